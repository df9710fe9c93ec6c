"""Measuring extraction on pages with a ground truth (`factorlink news eval`)."""
