"""Demand domain."""
