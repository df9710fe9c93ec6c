"""Matching of factors to their counterparts."""
