"""Evidence highlighting splits text at offsets; it never builds HTML."""

from sectracker.web.highlight import split_pieces, window


def _view(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, bool, list[str]]]:
    return [(p.text, p.mark, p.event_ids) for p in split_pieces(text, spans)]


def test_plain_and_marked_runs() -> None:
    assert _view("abcdef", [(1, 3, "e1")]) == [("a", False, []), ("bc", True, ["e1"]), ("def", False, [])]
    assert _view("abcdef", []) == [("abcdef", False, [])]
    assert _view("", [(0, 3, "e1")]) == []


def test_overlapping_spans_and_bad_offsets() -> None:
    assert _view("abcdef", [(0, 4, "e1"), (2, 6, "e2")]) == [
        ("ab", True, ["e1"]),
        ("cd", True, ["e1", "e2"]),
        ("ef", True, ["e2"]),
    ]
    assert _view("abc", [(2, 99, "e1"), (5, 9, "e2"), (2, 1, "e3")]) == [("ab", False, []), ("c", True, ["e1"])]


def test_markup_in_text_stays_text() -> None:
    text = "<b>x</b><script>alert(1)</script>"
    pieces = split_pieces(text, [(3, 4, "e1")])
    assert "".join(p.text for p in pieces) == text
    assert pieces[1].text == "x"


def test_long_texts_are_windowed_around_the_evidence() -> None:
    text = "a" * 1000 + "EVIDENCE" + "b" * 1000
    shown, offset = window(text, [(1000, 1008, "e1")], limit=200)
    assert len(shown) == 200 and "EVIDENCE" in shown and text[offset : offset + 200] == shown
