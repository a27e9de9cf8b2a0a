"""Analyses of the event store: pure functions on one events DataFrame, returning DataFrames.

`loader` builds the frame once; `selection` parses the shared filter syntax; each
other module is one analysis (counts, top, change, compare, profile, network).
"""
