"""The corridor innovation index: a composite-indicator engine (OECD/JRC Handbook methods).

The arithmetic (framework, data, pipeline, steps/) is pure: it takes parsed files and numpy
arrays and returns arrays, so the same code serves the CLI, the API and the tests. `files.py`
reads files, `platform.py` reads FactorLink's own records, `report.py` writes the outputs.
"""
