"""Expert domain."""
