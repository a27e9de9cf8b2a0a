"""A regex alternation of many words factored as a trie, shared by the date and quantity stages."""

from __future__ import annotations

import re


def word_trie(words: list[str]) -> str:
    """A regex alternation of words factored as a trie: the regex engine tests one letter per branch."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)
