"""Releases: numbered, reproducible snapshots of a period with checksums and a changelog."""
