"""The extraction pipeline: one module per stage, typed records in between (records.py)."""
