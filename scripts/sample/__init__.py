"""The sample-data generator behind scripts/make_sample.py (deterministic: seeded, no clock)."""
