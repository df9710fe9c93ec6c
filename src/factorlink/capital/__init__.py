"""Capital domain."""
