from pathlib import Path

import pytest

from sectracker.codebook import load_codebook, parse_codebook, render_markdown
from sectracker.errors import CodebookError

REPO = Path(__file__).resolve().parents[2]
CONTRACT = [
    "domestic.policy",
    "domestic.forces",
    "domestic.arms_trade",
    "diplomacy.meetings",
    "diplomacy.aid_training",
    "diplomacy.exercises_port_calls",
    "diplomacy.law_enforcement",
    "projection.peacekeeping",
    "projection.counter_piracy",
    "projection.humanitarian",
    "projection.deployments",
    "projection.logistics",
    "projection.cyber_space",
    "architecture.un",
    "architecture.nonproliferation",
]


def test_category_keys_are_the_public_contract() -> None:
    assert list(load_codebook().keys) == CONTRACT


def test_sections_carry_the_edition_headings() -> None:
    labels = [s.label for s in load_codebook().sections]
    assert labels == ["Domestic Developments", "Security Diplomacy", "Force Projection", "Global Security Architecture"]


def test_every_category_is_fully_described() -> None:
    for c in load_codebook().categories:
        assert c.definition and c.includes and c.excludes and len(c.cues) >= 5, c.key


def test_docs_codebook_is_generated_from_the_data() -> None:
    doc = (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert doc == render_markdown(load_codebook()), "run `make docs` to regenerate docs/codebook.md"


BAD = """version: "1"
title: t
sections:
  - id: domestic
    label: D
    definition: d
    categories:
      - key: domestic.policy
        label: P
        definition: x
        includes: [a]
        excludes: [b]
        cues: [c]
      - key: domestic.policy
        label: P2
        definition: y
        includes: [a]
        excludes: [b]
        cues: [c]
"""


def test_duplicate_key_error_names_file_and_line() -> None:
    with pytest.raises(CodebookError, match=r"cb.yaml:14: duplicate category key 'domestic.policy'"):
        parse_codebook(BAD, "cb.yaml")


def test_missing_field_error_names_line() -> None:
    text = BAD.replace("        cues: [c]\n      - key", "      - key", 1)
    with pytest.raises(CodebookError, match=r"cb.yaml:8: missing required field 'cues'"):
        parse_codebook(text, "cb.yaml")


def test_key_must_belong_to_its_section() -> None:
    with pytest.raises(CodebookError, match="must look like 'domestic.name'"):
        parse_codebook(BAD.replace("key: domestic.policy", "key: diplomacy.x", 1), "cb.yaml")


def test_invalid_yaml_names_line() -> None:
    with pytest.raises(CodebookError, match=r"cb.yaml:\d+: not valid YAML"):
        parse_codebook("version: [1\n", "cb.yaml")
