"""Achievement domain."""
