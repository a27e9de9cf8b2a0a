"""The bundled, hand-coded dataset (the 2020-H1 edition), kept as data."""
