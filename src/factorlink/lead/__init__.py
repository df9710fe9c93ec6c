"""Lead domain."""
