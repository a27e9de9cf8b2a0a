"""Country reference data: codes, names, groups and alignment."""
