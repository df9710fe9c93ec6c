"""Organization domain."""
