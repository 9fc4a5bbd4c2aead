"""tosei_caseflow service."""
