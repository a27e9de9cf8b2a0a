"""The event store: schema, migrations, and read/write functions per table group."""

from sectracker.store.db import Database, open_database

__all__ = ["Database", "open_database"]
