"""`sectracker extract` and `sectracker evaluate`: the JSON output contract and exact offsets."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sectracker.cli import app

runner = CliRunner()
GOLD = Path(__file__).resolve().parent.parent / "gold"
TEXT = (
    "\n  Brève — Asia security notes\n\n"
    "  • Navy “goodwill” visit. PLA Navy ships made port calls at Muara in Brunei and at Sihanoukville "
    "in Cambodia on 12 March 2021.\n"
    "  • Côte d’Ivoire receives drones. The Ivorian Air Force received two Chinese drones from NORINCO "
    "on 3 April 2021.\n"
)
FIELDS = {
    "category", "countries", "date_start", "date_end", "date_precision", "actors", "places",
    "quantities", "headline", "confidence", "evidence",
}  # fmt: skip


def _records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_jsonl_contract_and_offsets_with_non_ascii(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert len(records) == 3
    text = path.read_bytes().decode("utf-8")
    for r in records:
        assert set(r) >= FIELDS
        ev = r["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"]
        assert r["countries"] == sorted(r["countries"]) and "CHN" not in r["countries"]
        assert 0 <= r["confidence"] <= 1
        assert all({"name", "lat", "lon"} <= set(p) for p in r["places"])
        assert all({"value", "unit", "item", "text"} <= set(q) for q in r["quantities"])
    assert [r["countries"] for r in records] == [["BRN"], ["KHM"], ["CIV"]]
    assert records[2]["category"] == "domestic.arms_trade" and records[2]["date_start"] == "2021-04-03"


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\xff\xfe bad bytes. " + b"The PLA donated 5,000 masks to the Nepal Army on 2 May 2020.")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0
    assert "invalid UTF-8" in result.stderr
    [record] = _records(result.stdout)
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert text[record["evidence"]["start"] : record["evidence"]["end"]] == record["evidence"]["text"]


def test_published_option_and_table(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("The PLA donated 5,000 masks to the Nepal Army on May 2.", encoding="utf-8")
    [record] = _records(runner.invoke(app, ["extract", str(path), "--published", "2020-07-01"]).stdout)
    assert record["date_start"] == "2020-05-02"
    assert runner.invoke(app, ["extract", str(path), "--published", "July"]).exit_code == 2
    table = runner.invoke(app, ["extract", str(path), "--format", "table"])
    assert table.exit_code == 0 and "aid_training" in table.stdout


def test_evaluate_command() -> None:
    doc = GOLD / "brief_asia_2021_09.txt"
    result = runner.invoke(app, ["evaluate", "--gold", str(GOLD / "brief_asia_2021_09.gold.json"), str(doc), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["recall"] >= 0.95 and report["precision"] >= 0.85
    table = runner.invoke(app, ["evaluate", "--gold", str(GOLD / "brief_asia_2021_09.gold.json"), str(doc)])
    assert table.exit_code == 0 and "recall" in table.stdout
