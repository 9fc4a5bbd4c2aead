"""tosei_seminar service."""
