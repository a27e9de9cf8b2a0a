"""One module per resource; each holds its API endpoints (/api/v1) and its pages."""
