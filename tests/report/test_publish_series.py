"""An edition's indicator exhibit is computed from the series stored in the database."""

from datetime import date
from pathlib import Path

from sectracker.exchange.readers import read_bundled
from sectracker.report.publish import EditionRequest, publish_edition
from sectracker.series.files import read_bundled_series
from sectracker.store import Database, api
from sectracker.store.series import save_series


def test_a_corrected_budget_value_changes_the_computed_change(db: Database, tmp_path: Path) -> None:
    api.add_events(db, read_bundled(), user="t")
    series = read_bundled_series()
    budget = next(s for s in series if s.id == "chn.defence-budget")
    latest = budget.observations[-1]
    corrected = budget.model_copy(
        update={"observations": [*budget.observations[:-1], latest.model_copy(update={"value": latest.value * 1.1})]}
    )
    save_series(db, [corrected if s.id == budget.id else s for s in series], user="t")
    request = EditionRequest(date(2020, 1, 1), date(2020, 6, 30), "2020-H1", formats=("html",), out_dir=tmp_path)
    publish_edition(db, request)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<td>1.397 trillion CNY</td><td>+17.3%</td>" in html  # 1.27 x 1.1 against the stored 2019 value
