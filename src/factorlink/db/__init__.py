"""Storage: the declarative base, engine, migrations and the unit of work."""
