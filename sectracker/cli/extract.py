"""Commands on the extraction pipeline: extract candidate events from a file, evaluate against gold."""

from __future__ import annotations

import codecs
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from sectracker.cli.common import app, console, err_console, fail, write_out
from sectracker.errors import Problem, SourceError, ValidationFailed
from sectracker.models import Document
from sectracker.settings import load_settings

if TYPE_CHECKING:
    from sectracker.pipeline.evaluation import EvaluationReport

# The pipeline and the HTML/PDF readers are imported by the commands that use them, so that
# every other command starts without loading the gazetteers and their libraries.

Published = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="Publication date (YYYY-MM-DD) to resolve dates without a year; default: the document's own "
        "metadata, else inferred from the dates written out in the text.",
    ),
]

Embed = Annotated[
    bool | None,
    typer.Option(
        "--embed/--no-embed",
        help="Also merge duplicates by sentence-embedding similarity (needs the optional 'embed' extra: "
        "pip install 'sectracker\\[embed]'); default: the embed setting, off. See docs/evaluation.md.",
    ),
]


@app.command("extract")
def extract_command(
    file: Annotated[Path, typer.Argument(help="A .txt/.md file (or .html, .pdf: offsets then index their text).")],
    published: Published = None,
    output: Annotated[str, typer.Option("--format", help="jsonl (one JSON object per candidate) or table.")] = "jsonl",
    embed: Embed = None,
) -> None:
    """Print the candidate events found in one document, each with its evidence span.

    JSON Lines output, one object per candidate: category, countries, date_start, date_end,
    date_precision, actors, places, quantities, headline, confidence, evidence (start, end, text).
    Offsets are Unicode code points into the file's text decoded as UTF-8 exactly as read.
    """
    from sectracker.pipeline.run import candidate_record, extract_events

    if output not in ("jsonl", "table"):
        fail("--format must be jsonl or table")
    _check_embed(embed)
    doc, shift = read_document(file)
    events = extract_events(doc, _date(published), embed=embed)
    records = [candidate_record(e, shift) for e in events]
    if output == "table":
        table = Table("start", "category", "countries", "dates", "conf.", "headline")
        for r in records:
            dates = f"{r['date_start'] or ''}..{r['date_end'] or ''}" if r["date_start"] else ""
            table.add_row(str(r["evidence"]["start"]), r["category"], " ".join(r["countries"]), dates,
                          f"{r['confidence']:.2f}", r["headline"])  # fmt: skip
        console.print(table)
        return
    write_out("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records))


@app.command("evaluate")
def evaluate_command(
    doc_path: Annotated[Path, typer.Argument(metavar="DOC", help="The document the gold file describes.")],
    gold_path: Annotated[Path, typer.Option("--gold", help="Gold file (JSON; see docs/evaluation.md).")],
    published: Published = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    embed: Embed = None,
) -> None:
    """Compare the pipeline's candidates for DOC with a gold file: recall, precision, categories, countries, dates.

    The publication date is --published, else the gold file's `published`, else the document's metadata.
    """
    from sectracker.pipeline.evaluation import Candidate, check_document, evaluate, load_gold
    from sectracker.pipeline.run import extract_events

    _check_embed(embed)
    gold = load_gold(gold_path)
    doc, shift = read_document(doc_path)
    for warning in check_document(gold, " " * shift + doc.text if shift else doc.text):
        err_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    events = extract_events(doc, _date(published) or gold.published, embed=embed)
    report = evaluate([Candidate.of(e, shift) for e in events], gold, document=str(doc_path))
    if as_json:
        data = report.to_dict() | {"false_positive_headlines": [events[i].headline for i in report.false_positives]}
        write_out(json.dumps(data, sort_keys=True, default=str, indent=1) + "\n")
        return
    _print_report(report)


def _check_embed(embed: bool | None) -> None:
    """Stop before any work when embeddings are on but their extra is missing (ConfigError)."""
    from sectracker.pipeline.embed import configured_embedder

    configured_embedder(embed)


def _print_report(report: EvaluationReport) -> None:
    table = Table("measure", "value", title=f"Evaluation of {report.document}")
    for key, value in report.figures().items():
        table.add_row(key.replace("_", " "), f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)
    if report.missed:
        console.print("missed gold events: " + ", ".join(report.missed), highlight=False)


def read_document(path: Path) -> tuple[Document, int]:
    """The document in a file, and how many leading characters the Document dropped (whitespace).

    Text files are decoded as UTF-8 exactly as read (no BOM or newline changes); invalid bytes
    become U+FFFD with a warning on stderr. HTML and PDF go through their source readers, and
    offsets then index their extracted text. A Document strips surrounding whitespace, so
    offsets into the file are the document's offsets plus the returned shift.
    """
    from sectracker.sources.corpora import CORPUS_SUFFIXES
    from sectracker.sources.feeds import FEED_SUFFIXES
    from sectracker.sources.files import binary_reason
    from sectracker.sources.html import HTML_SUFFIXES, read_html
    from sectracker.sources.pdf import PDF_SUFFIXES, read_pdf

    cap = load_settings().max_file_bytes
    try:
        if path.stat().st_size > cap:  # refuse before reading a huge file
            raise SourceError(f"{path}: too large ({path.stat().st_size:,} bytes; see the max_file_bytes setting)")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    suffix = path.suffix.lower()
    if suffix in CORPUS_SUFFIXES or suffix in FEED_SUFFIXES:
        kind = "a JSON Lines corpus" if suffix in CORPUS_SUFFIXES else "an RSS/Atom feed"
        raise ValidationFailed(
            Problem(
                f"{kind} holds many documents; extract reads one (.txt, .md, .html, .pdf): use ingest", file=str(path)
            )
        )
    if suffix in HTML_SUFFIXES or suffix in PDF_SUFFIXES:
        reader = read_html if suffix in HTML_SUFFIXES else read_pdf
        try:
            collected = reader(data, source=str(path), path=str(path))
        except SourceError as exc:  # the readers' messages do not name the file
            raise SourceError(f"{path}: {exc}") from exc
        for warning in collected.warnings:
            err_console.print(f"[yellow]warning:[/yellow] {path}: {warning}", highlight=False)
        assert collected.document is not None
        return collected.document, 0
    reason = binary_reason(data)
    if reason:
        raise SourceError(f"{path}: {reason}")
    utf16 = _is_utf16(data)
    try:
        text = data.decode("utf-16") if utf16 else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        err_console.print(
            f"[yellow]warning:[/yellow] {path}: invalid UTF-8 (first at byte {exc.start}); "
            "replaced with U+FFFD, offsets refer to the replaced text",
            highlight=False,
        )
    if utf16:
        err_console.print(
            f"[yellow]warning:[/yellow] {path}: decoded as UTF-16 (byte-order mark found); "
            "offsets refer to the decoded text",
            highlight=False,
        )
    if not text.strip():
        raise SourceError(f"{path}: empty file (no text)")
    doc = Document(id=Document.id_for(text), text=text, title=path.name, path=str(path))
    shift = 0 if doc.text == text else len(text) - len(text.lstrip())  # in case the model strips the text
    return doc, shift


def _is_utf16(data: bytes) -> bool:
    """UTF-16 with a byte-order mark: the mark, whole code units that decode, and NUL bytes (Latin text).

    Without NUL bytes the mark may as well be two stray bytes in front of UTF-8 text, which is
    then read as UTF-8 with those bytes replaced (as the offsets contract says).
    """
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or len(data) % 2 or b"\x00" not in data:
        return False
    try:
        data.decode("utf-16")
    except UnicodeDecodeError:
        return False
    return True


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(Problem(f"{value!r} is not a date (YYYY-MM-DD)", field="--published")) from exc
