"""World map geometry: `countries-110m.json` from the npm package world-atlas 2.0.2.

TopoJSON made by Mike Bostock from Natural Earth's 1:110m Admin 0 countries (public
domain); the package is under the ISC licence kept beside it in LICENSE. Features
carry their ISO 3166-1 numeric code as `id`; Kosovo, Northern Cyprus and Somaliland
have none (see sectracker/countries/extra.yaml, map_names).
"""
