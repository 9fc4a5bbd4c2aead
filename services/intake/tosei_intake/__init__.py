"""tosei_intake service."""
