"""The `report` command: build an edition (filled in by the report module)."""
