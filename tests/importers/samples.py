"""Small input files in each dataset's published layout, written by the tests themselves."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from sectracker.importers.acled import OPTIONAL as ACLED_OPTIONAL
from sectracker.importers.acled import REQUIRED as ACLED_REQUIRED
from sectracker.importers.gdelt import COLUMNS as GDELT_COLUMNS
from sectracker.importers.sipri import COLUMNS as SIPRI_COLUMNS

SIPRI_PREAMBLE = [
    "Transfers of major conventional arms from China to All countries. Sample written by the sectracker tests;",
    "A '?' in a column indicates uncertain data.;",
    ";",
    "Source: SIPRI Arms Transfers Database (layout); rows invented for tests.;",
]
# deal, recipient, designation, description, category, order, order est, n, n est, year, year est, status, tiv
SIPRI_ROWS = [
    ("90001", "Nigeria", "VT-4", "tank", "Armoured vehicles", "2018", "No", "17", "No", "2020", "No", "New", "5.5"),
    ("90001", "Nigeria", "VT-4", "tank", "Armoured vehicles", "2018", "No", "3", "Yes", "2021", "Yes", "New", "5.5"),
    ("90002", "Bangladesh", "C-802", "anti-ship missile", "Missiles", "2015", "Yes", "8", "Yes", "2016", "No",
     "New", "0.9"),
    ("90003", "UAE", "Wing Loong-2", "armed UAV", "Aircraft", "2017", "Yes", "5", "Yes", "2019", "Yes", "New", "7"),
    ("90004", "Germany", "Leopard-2", "tank", "Armoured vehicles", "2015", "No", "2", "No", "2016", "No", "New", "5"),
]  # fmt: skip


def sipri_register(path: Path, rows: Sequence[tuple[str, ...]] = SIPRI_ROWS, *, extra: str = "") -> Path:
    """A trade-register export: preamble, header, rows ending in ';' with CRLF line ends."""
    lines = list(SIPRI_PREAMBLE) + [",".join(SIPRI_COLUMNS) + extra + ";"]
    for r in rows:
        supplier = "Germany" if r[1] == "Germany" else "China"
        recipient = "Nigeria" if r[1] == "Germany" else r[1]
        total = f"{float(r[7]) * float(r[12]):g}" if r[7].isdigit() else ""
        cells = [r[0], supplier, recipient, *r[2:12], r[12], r[12], total, "No"]
        lines.append(",".join(cells) + ";")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
    return path


GENDER_HEADER = ["", "Date", "Contributor", "Contributor ISO-3", "Mission"] + [
    f"{p} {s}"
    for p in ("Individual Police", "Formed Police Units", "Experts on Mission", "Troops", "Total")
    for s in ("Male", "Female", "Total")
]


def gender_file(path: Path, rows: Sequence[tuple[str, str, str, int]]) -> Path:
    """TCC-DataScraper Gender.Full.csv layout: (date, contributor ISO3, mission, total troops)."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    w.writerow(GENDER_HEADER)
    names = {"CHN": "China", "PAK": "Pakistan"}
    for i, (day, iso3, mission, troops) in enumerate(rows, start=1):
        counts = [0] * 9 + [troops, 0, troops, troops, 0, troops]  # police and experts 0; troops = total
        w.writerow([str(i), day, names.get(iso3, iso3), iso3, mission, *counts])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def totals_file(path: Path, rows: Sequence[tuple[str, str, str, str, str]]) -> Path:
    """PPP_Loader per-country totals with a contributor column: (contributor, date, troops, police, experts)."""
    path.write_text("contributor,date,troops,police,experts\n" + "".join(",".join(r) + "\n" for r in rows))
    return path


def acled_file(path: Path, rows: Sequence[dict[str, str]], columns: Sequence[str] | None = None) -> Path:
    """An ACLED export (current column order) with the given cells; other cells empty."""
    cols = list(columns or [c for c in _ACLED_ORDER if c in ACLED_REQUIRED or c in ACLED_OPTIONAL])
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in cols})
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


_ACLED_ORDER = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso",
    "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip


def acled_row(event_id: str, **cells: str) -> dict[str, str]:
    base = {
        "event_id_cnty": event_id, "event_date": "2020-06-15", "year": "2020", "time_precision": "1",
        "disorder_type": "Political violence", "event_type": "Battles", "sub_event_type": "Armed clash",
        "actor1": "Military Forces of China (2012-)", "actor2": "Military Forces of India (2014-)",
        "iso": "356", "region": "South Asia", "country": "India", "location": "Galwan Valley",
        "latitude": "34.7500", "longitude": "78.2000", "geo_precision": "2", "source": "The Hindu",
        "notes": "Clash between Chinese and Indian troops on the Line of Actual Control.", "fatalities": "20",
    }  # fmt: skip
    return base | cells


def gdelt_row(event_id: str, **cells: str) -> list[str]:
    """One GDELT 2.0 event row (61 cells) for a Chinese military actor visiting Pakistan."""
    base = dict.fromkeys(GDELT_COLUMNS, "")
    base |= {
        "GLOBALEVENTID": event_id, "SQLDATE": "20200612", "MonthYear": "202006", "Year": "2020",
        "FractionDate": "2020.4438", "Actor1Code": "CHNMIL", "Actor1Name": "CHINA", "Actor1CountryCode": "CHN",
        "Actor1Type1Code": "MIL", "Actor2Code": "PAK", "Actor2Name": "PAKISTAN", "Actor2CountryCode": "PAK",
        "IsRootEvent": "1", "EventCode": "042", "EventBaseCode": "042", "EventRootCode": "04", "QuadClass": "1",
        "GoldsteinScale": "1.9", "NumMentions": "6", "NumSources": "2", "NumArticles": "6", "AvgTone": "-1.2",
        "ActionGeo_Type": "4", "ActionGeo_FullName": "Rawalpindi, Punjab, Pakistan", "ActionGeo_CountryCode": "PK",
        "ActionGeo_Lat": "33.6", "ActionGeo_Long": "73.0667", "DATEADDED": "20200612101500",
        "SOURCEURL": "https://example.org/news/pla-visit",
    }  # fmt: skip
    base |= cells
    return [base[c] for c in GDELT_COLUMNS]


def gdelt_file(path: Path, rows: Sequence[Sequence[str]], *, header: bool = False) -> Path:
    lines = (["\t".join(GDELT_COLUMNS)] if header else []) + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
