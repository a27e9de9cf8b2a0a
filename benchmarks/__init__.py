"""Speed and memory measurements (run with `make bench`; never run as tests)."""
