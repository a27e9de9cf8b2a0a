"""Evaluating watch rules: each kind fires on the right evidence, alerts are stored once, fed as Atom."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from sectracker.exchange.readers import read_bundled
from sectracker.models import Event, Precision, Status
from sectracker.series.files import read_bundled_series
from sectracker.store import Database, api
from sectracker.store.series import save_series
from sectracker.watch.alerts import list_alerts
from sectracker.watch.evaluate import Fact, counts_above_baseline, evaluate, run_watch
from sectracker.watch.feed import ATOM, atom_feed
from sectracker.watch.rules import parse_rules

RULES = """rules:
  - {id: new-partner, kind: new_exercise_partner, since: 2020-01-01}
  - {id: first-aid, kind: first_engagement, category: diplomacy.aid_training, countries: [ZWE, PAK]}
  - {id: budget-up, kind: indicator_change, series: chn.defence-budget, percent: 5, direction: up}
  - {id: budget-big, kind: indicator_change, series: chn.*, percent: 7}
"""


def _fact(i: int, day: date, iso3: str = "VNM", precision: str = "day") -> Fact:
    return Fact(f"ev-{i}", f"event {i}", "projection.deployments", "verified", day, precision, (iso3,), frozenset())


def test_rules_fire_on_the_bundled_edition(db: Database) -> None:
    api.add_events(db, read_bundled(), user="coder")
    save_series(db, read_bundled_series(), user="coder")
    run = run_watch(db, parse_rules(RULES, "rules.yaml"))
    by_rule: dict[str, list] = {}
    for a in run.new:
        by_rule.setdefault(a.rule_id, []).append(a)
    partners = {a.evidence["country"] for a in by_rule["new-partner"]}
    assert partners == {"TZA", "PAK", "PHL", "THA", "KHM"}, "the five partners of the first quarter"
    assert {a.evidence["country"] for a in by_rule["first-aid"]} <= {"ZWE", "PAK"}
    budget = by_rule["budget-up"][0]
    assert budget.evidence["percent"] == 6.6 and budget.evidence["previous_date"] == "2019-12-31"
    assert budget.title == "China's national defence budget: 1.27 trillion CNY, +6.6% on 2019"
    assert "budget-big" not in by_rule, "6.6% is below that rule's 7%"
    again = run_watch(db, parse_rules(RULES, "rules.yaml"))
    assert again.new == [] and again.fired == run.fired, "each alert is stored once"
    assert len(list_alerts(db)) == len(run.new)


def test_a_first_engagement_fires_for_the_first_event_only(db: Database) -> None:
    api.add_events(db, read_bundled(), user="coder")
    rules = parse_rules("rules:\n  - {id: first-aid, kind: first_engagement, category: diplomacy.aid_training}\n", "r")
    before = {a.evidence["country"] for a in run_watch(db, rules).new}
    later = next(e for e in read_bundled() if e.category == "diplomacy.aid_training" and e.countries)
    repeat = later.model_copy(update={"id": "2020h1-repeat-aid", "date_start": date(2020, 12, 1),
                                      "date_end": date(2020, 12, 1)})  # fmt: skip
    brand_new = repeat.model_copy(update={"id": "2020h1-aid-fiji", "countries": ["FJI"]})
    api.add_events(db, [repeat, brand_new], user="coder")
    fresh = run_watch(db, rules).new
    assert later.countries[0] in before
    assert [(a.evidence["country"], a.evidence["event_id"]) for a in fresh] == [("FJI", "2020h1-aid-fiji")]


def test_a_month_above_its_baseline_fires_with_the_evidence() -> None:
    facts = [_fact(i, date(2019, m, 10)) for i, m in enumerate(range(1, 13))]
    facts += [_fact(100 + i, date(2020, 1, 3 + i)) for i in range(5)]
    facts += [_fact(200 + i, date(2020, 2, 1), precision="year") for i in range(9)]
    rules = parse_rules("rules:\n  - {id: sea, kind: count_above_baseline, region: South-eastern Asia, sigma: 2}\n",
                        "r")  # fmt: skip
    alerts = counts_above_baseline(rules[0], facts)  # type: ignore[arg-type]
    assert [a.evidence["month"] for a in alerts] == ["2020-01"], "year-precision events do not make February a surge"
    ev = alerts[0].evidence
    assert (ev["count"], ev["mean"], ev["sd"], len(ev["event_ids"])) == (5, 1.0, 0.0, 5)
    outside = [_fact(300 + i, date(2020, 1, 3), iso3="FRA") for i in range(10)]
    assert len(evaluate(rules, facts + outside, [])) == 1, "events outside the region do not count"


def test_alerts_are_published_as_an_atom_feed(db: Database, tmp_path: Path) -> None:
    save_series(db, read_bundled_series(), user="coder")
    run_watch(db, parse_rules(RULES, "rules.yaml"))
    text = atom_feed(list_alerts(db))
    assert text == atom_feed(list_alerts(db)), "the same alerts give the same feed"
    root = ET.fromstring(text.encode("utf-8"))
    entries = root.findall(f"{{{ATOM}}}entry")
    assert root.tag == f"{{{ATOM}}}feed" and len(entries) == 1
    assert entries[0].find(f"{{{ATOM}}}title").text.startswith("China's national defence budget")  # type: ignore[union-attr]
    assert '"percent": 6.6' in entries[0].find(f"{{{ATOM}}}content").text  # type: ignore[union-attr]


def test_statuses_limit_what_rules_see(db: Database) -> None:
    rejected = Event(id="ev-rejected-aid", headline="A rejected aid report", category="diplomacy.aid_training",
                     date_start=date(2020, 3, 1), date_precision=Precision.day, countries=["FJI"],
                     status=Status.rejected)  # fmt: skip
    api.add_events(db, [rejected], user="coder")
    rules = parse_rules("rules:\n  - {id: first-aid, kind: first_engagement, category: diplomacy.aid_training}\n", "r")
    assert run_watch(db, rules).new == []


def test_alerts_are_stored_once_on_each_backend(any_db: Database) -> None:
    save_series(any_db, read_bundled_series(), user="coder")
    rules = parse_rules(RULES, "rules.yaml")
    first = run_watch(any_db, rules)
    assert [a.rule_id for a in first.new] == ["budget-up"]
    assert run_watch(any_db, rules).new == []
    stored = list_alerts(any_db)
    assert stored[0].evidence["series_id"] == "chn.defence-budget" and stored[0].subject_date == date(2020, 12, 31)
