"""FactorLink: connects a region's innovation factors and carries each connection to a deal."""

__version__ = "0.1.0"
