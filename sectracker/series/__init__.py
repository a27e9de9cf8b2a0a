"""Indicator series: typed model, period-over-period change, display and series files.

Storage lives in `sectracker.store.series`; importers that fill series in
`sectracker.importers`.
"""

from sectracker.series.change import Aggregate, Aggregation, Change, aggregate, changes, latest_change
from sectracker.series.display import describe_change, describe_latest, format_value
from sectracker.series.models import Frequency, Observation, Provenance, Qualifier, Series

__all__ = [
    "Aggregate",
    "Aggregation",
    "Change",
    "Frequency",
    "Observation",
    "Provenance",
    "Qualifier",
    "Series",
    "aggregate",
    "changes",
    "describe_change",
    "describe_latest",
    "format_value",
    "latest_change",
]
