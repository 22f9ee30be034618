"""The demonstration data set: deterministic (seeded), built only through the real services."""
