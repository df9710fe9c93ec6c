"""The pipeline steps, each a pure numpy function over a (years, units, indicators) array."""
