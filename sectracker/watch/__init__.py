"""Watch rules: kept as YAML data, evaluated on events and series, alerts stored and fed as Atom."""
