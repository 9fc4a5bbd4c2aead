"""tosei_requests service."""
