"""Phrase lists from the lexicon compiled into word-bounded patterns over folded text.

A phrase is compared without accents; "*" in a phrase stands for up to three words.

A set has hundreds of phrases and a question a dozen words, so each phrase is filed under one of its
words (its "key", the one fewest phrases of the set share) and only the phrases whose key is a word of
the text are searched. That finds exactly what searching every phrase finds: a pattern bounds each
literal word by something that is neither a letter, digit, "_" nor "/" (the start, the end, a space,
punctuation), so wherever a phrase occurs its key is one of the text's maximal runs of those characters
(`RUNS`). A phrase with no word that is such a run ("c.ơn") has no key and is always searched.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache

from bot.understanding.normalize import canonical, fold

RUNS = re.compile(r"[\w/]+")  # the characters a pattern's word boundary (?<![\w/]) ... (?![\w/]) looks at


def phrase_words(phrase: str, accents: bool = False) -> list[str]:
    return canonical(phrase).split() if accents else fold(phrase).split()


def compile_phrase(phrase: str, accents: bool = False) -> re.Pattern:
    """A phrase as a word-bounded pattern over folded text; with `accents`, over canonical text, where a syllable
    typed without accents still matches ("gia vang" and "giá vàng" for "giá vàng", but "thuộc" never "thuốc")."""
    words = phrase_words(phrase, accents)
    parts = [re.escape(w) if w == fold(w) else f"(?:{re.escape(w)}|{re.escape(fold(w))})" for w in words]
    body = r"\s+".join(r"(?:\S+\s+){0,3}?" if p == r"\*" else p for p in parts).replace(r"?\s+", "?")
    return re.compile(rf"(?<![\w/]){body}(?![\w/])")


def spellings(phrase: str, accents: bool = False) -> list[frozenset[str]]:
    """For each word of the phrase that can be a key, the texts' words it matches (with `accents`: as typed
    or without accents); "*" and words with other characters ("c.ơn") are left out."""
    out = []
    for w in phrase_words(phrase, accents):
        forms = frozenset((w, fold(w)))
        if w != "*" and all(RUNS.fullmatch(f) for f in forms):
            out.append(forms)
    return out


@lru_cache(maxsize=16)  # the few texts of one reply, each read by a dozen sets
def runs(text: str) -> frozenset[str]:
    """The text's maximal runs of letters, digits, "_" and "/": the only places a phrase's key can be."""
    return frozenset(RUNS.findall(text))


class PhraseSet:
    """A named list of phrases: which occur in a folded text, and where."""

    def __init__(self, phrases, accents: bool = False):
        kept = [p for p in phrases if fold(p).strip()]
        self.patterns = [compile_phrase(p, accents) for p in kept]
        words = [spellings(p, accents) for p in kept]
        shared = Counter(f for forms in words for f in set().union(*forms))
        self.by_key: dict[str, list[int]] = {}
        self.keyless: list[int] = []
        for i, forms in enumerate(words):
            if not forms:
                self.keyless.append(i)
                continue
            key = min(forms, key=lambda fs: (max(shared[f] for f in fs), -min(map(len, fs))))
            for f in key:
                self.by_key.setdefault(f, []).append(i)

    def candidates(self, text: str) -> list[re.Pattern]:
        """The patterns that may occur in the text (every one that does), in the set's order."""
        found = set(self.keyless)
        for word in runs(text) & self.by_key.keys():
            found.update(self.by_key[word])
        return [self.patterns[i] for i in sorted(found)]

    def hits(self, folded: str) -> list[re.Match]:
        return [m for pat in self.candidates(folded) if (m := pat.search(folded))]

    def count(self, folded: str) -> int:
        return len(self.hits(folded))

    def first_position(self, folded: str) -> int | None:
        found = [m.start() for m in self.hits(folded)]
        return min(found) if found else None

    def last_position(self, folded: str) -> int | None:
        found = [m.start() for pat in self.candidates(folded) for m in pat.finditer(folded)]
        return max(found) if found else None

    def drop_words(self, pairs: list[tuple]) -> list[tuple]:
        """The (folded, accented) words left after removing every phrase of the set."""
        text, starts, pos = "", [], 0
        for w, _ in pairs:
            starts.append(pos)
            text += w + " "
            pos += len(w) + 1
        cut = [False] * len(pairs)
        for pat in self.candidates(text):
            for m in pat.finditer(text):  # the words starting inside the match (`starts` ascend)
                first, end = bisect_left(starts, m.start()), bisect_left(starts, m.end())
                cut[first:end] = [True] * (end - first)
        return [p for p, c in zip(pairs, cut) if not c]

    def remove(self, folded: str) -> str:
        # every substitution leaves the text's other runs as they were (a match is bounded by non-run characters
        # and becomes a space), so the candidates of the original text cover the whole sequence
        for pat in self.candidates(folded):
            folded = pat.sub(" ", folded)
        return " ".join(folded.split())
