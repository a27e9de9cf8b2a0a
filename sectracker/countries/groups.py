"""Country groups that change over time, answering "as of date D".

A `Reference` holds everything analyses need about countries: the country table, the
memberships we ship (ASEAN, SCO, BRICS, AU, EU, NATO, OECD, G20), and what was
imported into the database (World Bank income groups, Belt and Road lists, UN-vote
agreement with China). Without a database, or before an import, the imported groups
are simply absent: `has(name)` says which are there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from sectracker.countries import alignment as align
from sectracker.countries import tables
from sectracker.countries.bri import bri_members
from sectracker.countries.income import GROUP_LABELS, fiscal_year
from sectracker.countries.memberships import Organisation, load_memberships
from sectracker.countries.reference import countries_frame, country
from sectracker.countries.tables import ALIGNMENT_SCHEMA, BRI_SCHEMA, INCOME_SCHEMA
from sectracker.errors import AnalysisError
from sectracker.store.db import Database

BRI = "bri"
BRI_NAME = "Belt and Road Initiative"
IMPORTED = ("income", BRI, "alignment")
MEMBERSHIP_SCHEMA = {"group": pl.String, "iso3": pl.String, "since": pl.Date, "until": pl.Date, "source": pl.String}


@dataclass(frozen=True)
class GroupValue:
    """One fact about a country as of a date: which group, what value, since when, says whom."""

    group: str
    label: str
    value: str
    since: date | None
    source: str


@dataclass(frozen=True)
class Reference:
    """Country reference data for analyses: countries, memberships, income, BRI, alignment."""

    countries: pl.DataFrame
    memberships: pl.DataFrame
    organisations: dict[str, Organisation]
    income: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=INCOME_SCHEMA))
    bri_rows: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=BRI_SCHEMA))
    alignment: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ALIGNMENT_SCHEMA))
    bri_source: str | None = None

    @property
    def group_names(self) -> tuple[str, ...]:
        """Membership groups usable in `group = ...` (BRI only once imported)."""
        names = [*self.organisations]
        if self.has(BRI):
            names.append(BRI)
        return tuple(names)

    def has(self, name: str) -> bool:
        """Whether data for a group or dimension is present (memberships always are)."""
        if name == "income":
            return self.income.height > 0
        if name == BRI:
            return self.bri_rows.height > 0
        if name == "alignment":
            return self.yearly_alignment.height > 0
        return name in self.organisations

    def require(self, name: str) -> None:
        """AnalysisError naming the import command when `name` has no data."""
        if name in self.organisations or self.has(name):
            return
        hints = {
            "income": "sectracker countries import-income FILE",
            BRI: "sectracker countries import-bri FILE",
            "alignment": "sectracker countries import-unvotes VOTES ROLLCALLS",
        }
        if name in hints:
            raise AnalysisError(f"no {name} data in this database yet; run '{hints[name]}'")
        known = ", ".join([*self.organisations, BRI])
        raise AnalysisError(f"unknown group {name!r} (known groups: {known})")

    def label(self, group: str) -> str:
        if group == BRI:
            return BRI_NAME
        org = self.organisations.get(group)
        return org.name if org else group

    @property
    def yearly_alignment(self) -> pl.DataFrame:
        return self.alignment.filter(pl.col("basis") == "year").select("iso3", "period", "agreement", "votes")

    def members(self, group: str, as_of: date) -> list[str]:
        """Alpha-3 codes of the group's members on a date."""
        self.require(group)
        return sorted(self._membership_rows(as_of).filter(pl.col("group") == group)["iso3"].to_list())

    def _membership_rows(self, as_of: date) -> pl.DataFrame:
        day = pl.lit(as_of, dtype=pl.Date)
        return self.memberships.filter(
            (pl.col("since") <= day) & (pl.col("until").is_null() | (pl.col("until") >= day))
        )

    def groups_of(self, iso3: str, as_of: date) -> list[GroupValue]:
        """Every group fact about a country on a date: memberships, BRI, income, alignment."""
        code = country(iso3).iso3
        rows = self._membership_rows(as_of).filter(pl.col("iso3") == code).sort("group")
        out = [
            GroupValue(r["group"], self.label(r["group"]), "member", r["since"], r["source"])
            for r in rows.iter_rows(named=True)
        ]
        out += self._income_of(code, as_of) + self._alignment_of(code, as_of)
        return out

    def _income_of(self, iso3: str, as_of: date) -> list[GroupValue]:
        fy = fiscal_year(as_of)
        rows = self.income.filter((pl.col("iso3") == iso3) & (pl.col("fiscal_year") == fy))
        if not rows.height:
            return []
        r = rows.row(0, named=True)
        value = GROUP_LABELS.get(r["income_group"] or "", "not classified")
        return [GroupValue("income", f"World Bank income group, FY{fy}", value, None, r["source"])]

    def _alignment_of(self, iso3: str, as_of: date) -> list[GroupValue]:
        scores = self.alignment_as_of(as_of)
        rows = scores.filter(pl.col("iso3") == iso3)
        if not rows.height:
            return []
        r = rows.row(0, named=True)
        first, last = r["first_year"], r["last_year"]
        value = f"{r['agreement']:.3f} agreement, {align.QUARTILE_LABELS[r['quartile']]}"
        label = f"UN-vote agreement with China, {first}-{last}"
        return [GroupValue("alignment", label, value, None, f"{align.SOURCE} ({r['votes']} votes)")]

    def alignment_as_of(self, as_of: date, window: int = align.WINDOW_YEARS) -> pl.DataFrame:
        """Every country's window agreement and quartile for events on a date."""
        yearly = self.yearly_alignment
        end = align.window_end(yearly, as_of.year)
        if end is None:
            return pl.DataFrame(schema={"iso3": pl.String, "agreement": pl.Float64, "quartile": pl.Int8})
        scores = align.quartiles(align.window_agreement(yearly, end - window + 1, end))
        return scores.with_columns(first_year=pl.lit(end - window + 1), last_year=pl.lit(end))

    def bri_sources_of(self, iso3: str) -> pl.DataFrame:
        """What every imported Belt and Road list says about a country."""
        return self.bri_rows.filter(pl.col("iso3") == iso3).sort("source")


def package_reference() -> Reference:
    """Reference data from the package alone (no imported groups)."""
    data = load_memberships()
    return Reference(
        countries=countries_frame(),
        memberships=data.frame(),
        organisations={o.id: o for o in data.organisations},
    )


def build_reference(
    income: pl.DataFrame | None = None,
    bri_rows: pl.DataFrame | None = None,
    alignment: pl.DataFrame | None = None,
    bri_source: str | None = None,
) -> Reference:
    """Reference data from the package plus imported tables (any may be None)."""
    base = package_reference()
    bri_rows = bri_rows if bri_rows is not None else pl.DataFrame(schema=BRI_SCHEMA)
    memberships = base.memberships
    if bri_rows.height:
        members = bri_members(bri_rows, bri_source)
        bri = members.select(
            pl.lit(BRI).alias("group"),
            "iso3",
            "since",
            "until",
            pl.when(pl.col("join_source") == pl.col("source"))
            .then(pl.col("source"))
            .otherwise(pl.format("{} (join date from {})", "source", "join_source"))
            .alias("source"),
        )
        memberships = pl.concat([memberships, bri.cast(MEMBERSHIP_SCHEMA)])  # type: ignore[arg-type]
    return Reference(
        countries=base.countries,
        memberships=memberships,
        organisations=base.organisations,
        income=income if income is not None else pl.DataFrame(schema=INCOME_SCHEMA),
        bri_rows=bri_rows,
        alignment=alignment if alignment is not None else pl.DataFrame(schema=ALIGNMENT_SCHEMA),
        bri_source=bri_source,
    )


def load_reference(db: Database | None, bri_source: str | None = None) -> Reference:
    """Reference data from the package plus whatever was imported into `db`."""
    if db is None:
        return package_reference()
    return build_reference(tables.read_income(db), tables.read_bri(db), tables.read_alignment(db), bri_source)
