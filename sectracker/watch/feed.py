"""Alerts as an Atom feed (RFC 4287), written the same way for the same alerts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from sectracker.watch.alerts import Alert

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _stamp(at: datetime | None) -> str:
    at = at or EPOCH
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_id(key: str) -> str:
    return "urn:sectracker:alert:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def atom_feed(alerts: Sequence[Alert], *, title: str = "sectracker watch alerts", link: str | None = None) -> str:
    """An Atom document with one entry per alert (newest first); the evidence is the entry's content."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = "urn:sectracker:watch"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    newest = max((a.fired_at for a in alerts if a.fired_at), default=None)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "sectracker watch"
    if link:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": link})
    for a in sorted(alerts, key=lambda x: (-(x.id or 0), x.key)):
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _entry_id(a.key)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = a.title
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(a.fired_at)
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": a.kind, "label": a.rule_id})
        summary = f"Rule {a.rule_id} ({a.kind})" + (f", about {a.subject_date.isoformat()}" if a.subject_date else "")
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
        content = ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"})
        content.text = json.dumps(a.evidence, sort_keys=True, indent=2, ensure_ascii=False, default=str)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
