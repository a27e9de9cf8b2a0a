"""Moving events in and out: file formats for import and export."""
