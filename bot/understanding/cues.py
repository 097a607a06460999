"""Phrase lists from the lexicon compiled into word-bounded patterns over folded text.

A phrase is compared without accents; "*" in a phrase stands for up to three words.
"""
from __future__ import annotations

import re

from bot.understanding.normalize import canonical, fold


def compile_phrase(phrase: str, accents: bool = False) -> re.Pattern:
    """A phrase as a word-bounded pattern over folded text; with `accents`, over canonical text, where a syllable
    typed without accents still matches ("gia vang" and "giá vàng" for "giá vàng", but "thuộc" never "thuốc")."""
    words = canonical(phrase).split() if accents else fold(phrase).split()
    parts = [re.escape(w) if w == fold(w) else f"(?:{re.escape(w)}|{re.escape(fold(w))})" for w in words]
    body = r"\s+".join(r"(?:\S+\s+){0,3}?" if p == r"\*" else p for p in parts).replace(r"?\s+", "?")
    return re.compile(rf"(?<![\w/]){body}(?![\w/])")


class PhraseSet:
    """A named list of phrases: which occur in a folded text, and where."""

    def __init__(self, phrases, accents: bool = False):
        self.patterns = [compile_phrase(p, accents) for p in phrases if fold(p).strip()]

    def hits(self, folded: str) -> list[re.Match]:
        return [m for pat in self.patterns if (m := pat.search(folded))]

    def count(self, folded: str) -> int:
        return len(self.hits(folded))

    def first_position(self, folded: str) -> int | None:
        found = [m.start() for m in self.hits(folded)]
        return min(found) if found else None

    def last_position(self, folded: str) -> int | None:
        found = [m.start() for pat in self.patterns for m in pat.finditer(folded)]
        return max(found) if found else None

    def drop_words(self, pairs: list[tuple]) -> list[tuple]:
        """The (folded, accented) words left after removing every phrase of the set."""
        text, starts, pos = "", [], 0
        for w, _ in pairs:
            starts.append(pos)
            text += w + " "
            pos += len(w) + 1
        cut = [False] * len(pairs)
        for pat in self.patterns:
            for m in pat.finditer(text):
                for i, s in enumerate(starts):
                    if m.start() <= s < m.end():
                        cut[i] = True
        return [p for p, c in zip(pairs, cut) if not c]

    def remove(self, folded: str) -> str:
        for pat in self.patterns:
            folded = pat.sub(" ", folded)
        return " ".join(folded.split())
