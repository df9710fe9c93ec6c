"""Measuring the matching: metrics, BEIR corpora, judged corridor scenarios, and the bench."""
