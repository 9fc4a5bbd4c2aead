"""What every Tosei service shares. See docs/architecture.md for how the pieces fit."""
