"""Data files of the pipeline stages: gazetteers of countries and places, and the classification rules."""
