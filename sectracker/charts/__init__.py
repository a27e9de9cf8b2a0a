"""Charts and maps as Altair (Vega-Lite) specs, rendered offline with vl-convert.

One module per kind of chart (bars, timeline, comparison, choropleth); `theme` holds
what they share, `render` turns a chart into SVG, PNG, a spec or a page, and `worker`
renders an edition's charts in a second process while the edition is built.
"""
