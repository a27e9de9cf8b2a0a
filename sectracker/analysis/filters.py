"""Applying a parsed Selection to the events frame.

Event conditions (category, date, actor, tag ...) keep or drop whole events. Country
conditions (country, region, group, income, alignment ...) are tested per counterpart
country: an event stays with those of its countries that pass, and drops out when
none does (or when it has no counterpart country).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce

import polars as pl

from sectracker.analysis import annotate
from sectracker.analysis.loader import pairs as explode_pairs
from sectracker.analysis.selection import Condition, Selection, parse_selection
from sectracker.countries.groups import Reference


def _compare(column: pl.Expr, op: str, values: tuple[object, ...]) -> pl.Expr:
    if op == "in":
        return column.is_in(list(values))
    if op == "not in":
        return ~column.is_in(list(values))
    value = pl.lit(values[0])
    return {
        "=": column == value,
        "!=": column != value,
        "<": column < value,
        "<=": column <= value,
        ">": column > value,
        ">=": column >= value,
    }[op]


def _list_has(column: str, c: Condition) -> pl.Expr:
    hit = pl.col(column).list.set_intersection(pl.lit(list(c.values), dtype=pl.List(pl.String))).list.len() > 0
    return ~hit if c.op in ("!=", "not in") else hit


def _event_expr(c: Condition) -> pl.Expr:
    if c.field == "actor":
        return _list_has("actors", c)
    if c.field == "tag":
        return _list_has("tags", c)
    if c.field == "period":
        inside = [pl.col("date").is_between(pl.lit(a), pl.lit(b)) for a, b in c.values]
        hit = reduce(lambda x, y: x | y, inside)
        return ~hit if c.op in ("!=", "not in") else hit
    column = {"significance": pl.col("significance").cast(pl.Float64)}.get(c.field, pl.col(c.field))
    return _compare(column, c.op, c.values)


def _country_expr(pairs: pl.DataFrame, c: Condition, ref: Reference) -> tuple[pl.DataFrame, pl.Expr]:
    """The pairs frame with any columns the condition needs, and the condition itself."""
    if c.field == "country":
        return pairs, _compare(pl.col("country"), c.op, c.values)
    if c.field in ("region", "subregion", "continent"):
        return annotate.with_place(pairs, ref, c.field), _compare(pl.col(c.field), c.op, c.values)
    if c.field == "group":
        flags = []
        for group in c.values:
            ref.require(str(group))
            name = f"_member_{group}"
            pairs = annotate.with_membership(pairs, ref, str(group), name)
            flags.append(pl.col(name))
        hit = reduce(lambda x, y: x | y, flags)
        return pairs, (~hit if c.op in ("!=", "not in") else hit)
    if c.field == "income":
        ref.require("income")
        return annotate.with_income(pairs, ref), _compare(pl.col("_income"), c.op, c.values)
    ref.require("alignment")
    pairs = annotate.with_alignment(pairs, ref)
    if isinstance(c.values[0], str):
        quartiles = tuple(int(str(v)[1]) for v in c.values)
        return pairs, _compare(pl.col("_quartile").cast(pl.Int64), c.op, quartiles)
    return pairs, _compare(pl.col("_agreement"), c.op, c.values)


def event_mask(frame: pl.DataFrame, selection: Selection) -> pl.Series | None:
    """The events the selection's event conditions keep (None: all of them)."""
    conditions = [_event_expr(c) for c in selection.conditions if c.level == "event"]
    if not conditions:
        return None
    return frame.select(reduce(lambda x, y: x & y, conditions).fill_null(False)).to_series()


def select_countries(pairs: pl.DataFrame, selection: Selection, ref: Reference) -> pl.DataFrame:
    """Pairs that pass the selection's country conditions (helper columns start with '_')."""
    out = annotate.with_asof(pairs, selection.asof)
    for c in selection.conditions:
        if c.level == "country":
            out, expr = _country_expr(out, c, ref)
            out = out.filter(pl.col("country").is_not_null() & expr.fill_null(c.op in ("!=", "not in")))
    return out


def select_events(
    frame: pl.DataFrame, selection: Selection | str | None, ref: Reference, extra: Sequence[str] = ()
) -> pl.DataFrame:
    """Event-country pairs of the frame that a selection keeps; `extra` adds event columns (e.g. "actors")."""
    sel = selection if isinstance(selection, Selection) else parse_selection(selection)
    return select_countries(explode_pairs(frame, event_mask(frame, sel), extra), sel, ref)
