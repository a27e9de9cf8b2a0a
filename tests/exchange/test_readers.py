"""Import files are validated whole: every problem named with file, line and field."""

import json
from pathlib import Path

import pytest

from sectracker.errors import ValidationFailed
from sectracker.exchange.readers import parse_events, read_events

GOOD = {
    "id": "ev-good",
    "headline": "PLA Navy task force visits Karachi",
    "category": "diplomacy.exercises_port_calls",
    "date_start": "2020-01-05",
    "date_precision": "day",
    "countries": ["PAK"],
}


def _jsonl(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def test_jsonl_problems_name_line_and_field() -> None:
    text = _jsonl(
        '{"id": "ev-a", "headline": "Fine event here", "category": "architecture.un"}',
        '{"id": "ev-b", "headline": "Bad category", "category": "diplomacy.parties"}',
        '{"id": "ev-c", "headline": "Bad country", "category": "architecture.un", "countries": ["XXX"]}',
        '{"id": "ev-d", "headline": "Backwards", "category": "architecture.un",'
        ' "date_start": "2020-05-02", "date_end": "2020-05-01"}',
    )
    with pytest.raises(ValidationFailed) as info:
        parse_events(text, "jsonl", "in.jsonl")
    problems = [str(p) for p in info.value.problems]
    assert "in.jsonl:2 [category]: unknown category key 'diplomacy.parties'" in problems
    assert "in.jsonl:3 [countries]: unknown ISO 3166-1 alpha-3 country code 'XXX'" in problems
    assert any(p.startswith("in.jsonl:4") and "before date_start" in p for p in problems)


def test_china_is_never_a_counterpart() -> None:
    with pytest.raises(ValidationFailed, match="China is the actor"):
        parse_events(
            '{"id": "ev-a", "headline": "x y z", "category": "architecture.un", "countries": ["CHN"]}',
            "jsonl",
            "f.jsonl",
        )


def test_missing_required_field_and_duplicate_ids() -> None:
    text = _jsonl(
        '{"id": "ev-a", "headline": "First event", "category": "architecture.un"}',
        '{"id": "ev-b", "category": "architecture.un"}',
        '{"id": "ev-a", "headline": "Again the first", "category": "architecture.un"}',
    )
    with pytest.raises(ValidationFailed) as info:
        parse_events(text, "jsonl", "f.jsonl")
    problems = [str(p) for p in info.value.problems]
    assert "f.jsonl:2 [headline]: Field required" in problems
    assert "f.jsonl:3 [id]: duplicate id 'ev-a' (first on line 1)" in problems


def test_json_array_reports_the_line_each_item_starts_on() -> None:
    text = (
        '[\n  {"id": "ev-a", "headline": "Fine event", "category": "architecture.un"},\n'
        '  {"id": "ev-b", "headline": "Bad", "category": "nope"}\n]\n'
    )
    with pytest.raises(ValidationFailed) as info:
        parse_events(text, "json", "f.json")
    assert [str(p) for p in info.value.problems] == ["f.json:3 [category]: unknown category key 'nope'"]


def test_yaml_and_csv_line_numbers() -> None:
    yaml_text = (
        "events:\n  - id: ev-a\n    headline: Fine event\n    category: architecture.un\n"
        "  - id: ev-b\n    headline: Bad date\n    category: architecture.un\n    date_start: 2020-02-30\n"
    )
    with pytest.raises(ValidationFailed) as info:
        parse_events(yaml_text, "yaml", "f.yaml")
    assert str(info.value.problems[0]).startswith("f.yaml:5 [date_start]")
    csv_text = "id,headline,category,significance\nev-a,Fine event,architecture.un,3\nev-b,Bad,architecture.un,9\n"
    with pytest.raises(ValidationFailed) as info:
        parse_events(csv_text, "csv", "f.csv")
    assert str(info.value.problems[0]).startswith("f.csv:3 [significance]")


def test_malformed_files_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('[{"id": ', encoding="utf-8")
    with pytest.raises(ValidationFailed, match="broken.json:1: not valid JSON"):
        read_events(bad)
    with pytest.raises(ValidationFailed, match="unknown file type '.xls'"):
        read_events(tmp_path / "events.xls")
    with pytest.raises(ValidationFailed, match="no such file"):
        read_events(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,headline\nev-a,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(ValidationFailed, match="not UTF-8"):
        read_events(latin)


def test_csv_with_bad_json_cell() -> None:
    text = 'id,headline,category,locations\nev-a,Fine event,architecture.un,"[{oops"\n'
    with pytest.raises(ValidationFailed, match=r"f.csv:2: column 'locations' is not valid JSON"):
        parse_events(text, "csv", "f.csv")


def test_jsonl_events_equal_those_of_the_other_formats() -> None:
    from sectracker.exchange.readers import read_bundled
    from sectracker.exchange.writers import to_jsonl

    lines = to_jsonl(read_bundled()).splitlines()
    from_array = parse_events("[" + ",\n".join(lines) + "]", "json", "f.json")  # read with json.loads
    assert parse_events("\n".join(lines), "jsonl", "f.jsonl") == from_array


def test_jsonl_lines_that_fail_are_named_by_their_own_line() -> None:
    good = '{"id": "ev-a", "headline": "Fine event here", "category": "architecture.un"}'
    with pytest.raises(ValidationFailed) as info:
        parse_events(_jsonl(good, "", '["ev-b"]', '{"id": "ev-c", "headline": 5}'), "jsonl", "f.jsonl")
    problems = [str(p) for p in info.value.problems]
    assert problems[0] == "f.jsonl:3: an event must be an object with named fields"
    assert "f.jsonl:4 [headline]: Input should be a valid string" in problems
    with pytest.raises(ValidationFailed, match=r"f.jsonl:3: not valid JSON"):
        parse_events(_jsonl(good, '{"id": "ev-b"}', '{"id": '), "jsonl", "f.jsonl")


def test_reading_leaves_the_cycle_collector_as_it_was() -> None:
    import gc

    assert gc.isenabled() and gc.get_freeze_count() == 0
    parse_events(_jsonl(json.dumps(GOOD)), "jsonl", "f.jsonl")
    with pytest.raises(ValidationFailed):
        parse_events(_jsonl("{oops"), "jsonl", "f.jsonl")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.freeze()  # objects the process froze itself (as a pre-forking server may) stay frozen
    try:
        frozen = gc.get_freeze_count()
        parse_events(_jsonl(json.dumps(GOOD)), "jsonl", "f.jsonl")
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()


def _problem(text: str, fmt: str, name: str = "f") -> str:
    with pytest.raises(ValidationFailed) as err:
        parse_events(text, fmt, name)
    return str(err.value.problems[0])


def test_files_with_a_byte_order_mark_read_like_those_without(tmp_path: Path) -> None:
    for name, text in (
        ("bom.jsonl", json.dumps(GOOD) + "\n"),
        ("bom.csv", "id,headline,category\nev-a,Fine event,architecture.un\n"),
    ):
        path = tmp_path / name
        path.write_bytes("\ufeff".encode() + text.encode())
        assert len(read_events(path)) == 1


def test_unsafe_yaml_tags_deep_nesting_and_nul_bytes_are_refused() -> None:
    assert _problem("events:\n  - !!python/object/apply:os.system ['echo hi']\n", "yaml", "u.yaml").startswith(
        "u.yaml:2: not plain YAML data"
    )
    assert _problem("[" * 100_000, "json") == "f: nested too deeply to be an event"
    assert _problem(json.dumps(GOOD) + "\n" + "[" * 100_000 + "\n", "jsonl") == "f:2: nested too deeply to be an event"
    nul = "id,headline,category\nev-a,Fine\x00 event,architecture.un\n"
    assert _problem(nul, "csv") == "f:2: a NUL character (0x00) is in the text; remove it"


def test_csv_rows_short_of_cells_or_with_an_open_quote_are_refused() -> None:
    short = "id,headline,category,date_start\nev-a,Fine event,architecture.un\n"
    assert "fewer cells than the header" in _problem(short, "csv")
    unclosed = 'id,headline,category\nev-a,Fine event,architecture.un\nev-b,"Open quote,architecture.un\n'
    assert _problem(unclosed, "csv").startswith("f:3: not valid CSV")


def test_csv_highlight_must_be_a_yes_or_no() -> None:
    rows = "id,headline,category,highlight\nev-a,Fine event,architecture.un,{}\n"
    assert parse_events(rows.format("yes"), "csv", "f")[0].highlight is True
    assert parse_events(rows.format("false"), "csv", "f")[0].highlight is False
    assert _problem(rows.format("ture"), "csv").startswith("f:2 [highlight]")


@pytest.mark.parametrize("value", ["1e400", "NaN", "-Infinity"])
def test_quantities_must_be_finite(value: str) -> None:
    line = json.dumps(GOOD | {"quantities": [{"value": 1, "unit": "troops"}]}).replace(
        '"value": 1', f'"value": {value}'
    )
    assert _problem(line + "\n", "jsonl") == "f:1 [quantities.0.value]: Input should be a finite number"


def test_an_end_date_needs_a_start_date() -> None:
    line = json.dumps({k: v for k, v in GOOD.items() if k != "date_start"} | {"date_end": "2020-01-05"})
    assert _problem(line + "\n", "jsonl").startswith("f:1 [date_end]: date_end is given without date_start")


def test_an_unknown_format_is_named(tmp_path: Path) -> None:
    path = tmp_path / "ev.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    assert len(read_events(path, "JSONL")) == 1
    with pytest.raises(ValidationFailed, match=r"\[--format\]: unknown format 'xml'"):
        read_events(path, "xml")
