"""tosei_resilience service."""
