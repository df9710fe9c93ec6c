"""Introduction domain."""
