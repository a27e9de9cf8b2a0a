"""Bad gold files for `sectracker evaluate`: refused naming the event and the field, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.errors import ValidationFailed
from sectracker.pipeline.evaluation import check_document, parse_gold

runner = CliRunner()
TEXT = "China and Japan held talks in Beijing on 3 May 2020 about the East China Sea."


def event(eid: str = "a", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": eid, "evidence": [{"start": 0, "end": 20}], "category": "domestic.policy"}
    return {k: v for k, v in (base | changes).items() if v is not None}


def fields(data: Any) -> set[tuple[str | None, str]]:
    with pytest.raises(ValidationFailed) as info:
        parse_gold(data, "g.json")
    return {(p.field, p.message) for p in info.value.problems}


def evaluate(tmp_path: Path, gold: bytes) -> Any:
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "g.json").write_bytes(gold)
    return runner.invoke(app, ["evaluate", str(tmp_path / "doc.txt"), "--gold", str(tmp_path / "g.json")])


def test_a_bogus_published_date_names_the_field(tmp_path: Path) -> None:
    out = evaluate(tmp_path, b'{"published":"bogus","events":[]}')
    assert out.exit_code == 2, out.output
    assert "g.json [published]" in out.output and "'bogus' is not a date" in out.output


def test_a_non_utf8_gold_file_names_the_encoding(tmp_path: Path) -> None:
    out = evaluate(tmp_path, json.dumps({"document": "é", "events": []}, ensure_ascii=False).encode("latin-1"))
    assert out.exit_code == 2 and "g.json: not UTF-8 text" in out.output, out.output


def test_evidence_past_the_end_of_the_text_is_refused(tmp_path: Path) -> None:
    gold = {"events": [event(), event("far", evidence=[{"start": 10, "end": 20}, {"start": 70, "end": 500}])]}
    out = evaluate(tmp_path, json.dumps(gold).encode())
    assert out.exit_code == 2, out.output
    assert "g.json [events[1].evidence[1]]: event 'far': evidence span 70-500 runs past the end" in out.output
    assert check_document(parse_gold({"events": [event()]}), TEXT) == []


def test_end_before_start_duplicates_and_missing_fields_are_named() -> None:
    found = fields(
        {
            "events": [
                event(date_start="2020-05-03", date_end="2020-05-01"),
                event(),
                event("b", evidence=None),
                event("c", date_start="May 2020"),
            ]
        }
    )
    assert found == {
        ("events[0].date_end", "event 'a': date_end 2020-05-01 is before date_start 2020-05-03"),
        ("events[1].id", "event 'a': the id is used twice (first by events[0])"),
        ("events[2].evidence", "event 'b': the field 'evidence' is missing"),
        ("events[3].date_start", "event 'c': 'May 2020' is not a date (YYYY-MM-DD)"),
    }


def test_malformed_spans_are_named() -> None:
    found = fields({"events": [event(evidence=[{"start": "x", "end": 3}]), event("b", evidence=[{"start": 1}])]})
    assert {f for f, _m in found} == {"events[0].evidence[0]", "events[1].evidence[0]"}
