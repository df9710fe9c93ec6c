"""Carrier domain."""
