"""`python -m sectracker.cli`."""

from sectracker.cli import main

main()
