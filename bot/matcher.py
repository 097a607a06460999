"""The matcher: which procedures a question is about, best first, with calibrated scores.

Pure core in the spirit of rapidfuzz's `process.extract`: documents and the normaliser are
passed in; `search` returns scored candidates and `best` returns None when nothing is good.

Stages: (1) typo correction of unknown words against the index vocabulary (rapidfuzz
Levenshtein), (2) candidates from an inverted index of the rarer terms (syllables and syllable
pairs), (3) scoring each candidate: how much of its best phrase the question contains, and how
much of the question its phrases explain, both weighted by term rarity (idf), times a prior
that puts curated procedures above the long tail, (4) rapidfuzz partial_ratio on the best
phrases to reward near-exact wording.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .normalize import untelex


@dataclass(frozen=True)
class SearchDoc:
    """What the matcher knows of one answerable thing: phrases with weights, context words, prior."""

    id: str
    phrases: tuple[tuple[str, float], ...]
    context: str = ""
    prior: float = 1.0


@dataclass(frozen=True)
class Candidate:
    id: str
    score: float
    phrase: str


def terms_of(words: list[str] | tuple[str, ...]) -> set[str]:
    """Syllables and adjacent syllable pairs: 'khai sinh' → {khai, sinh, khai_sinh}."""
    return set(words) | {f"{a}_{b}" for a, b in zip(words, words[1:])}


class ProcedureIndex:
    """An index over SearchDocs; `tokenize` turns text into folded words (the same for questions)."""

    COVERAGE_WEIGHT = 0.6  # share of the score from the best phrase; the rest from question coverage
    FUZZY_WEIGHT = 0.15

    def __init__(self, docs: list[SearchDoc], tokenize, known_words: set[str] = frozenset()):
        self.tokenize = tokenize
        self.ids = [d.id for d in docs]
        self.priors = [d.prior for d in docs]
        phrase_words = [[(tuple(tokenize(text)), w, text) for text, w in d.phrases] for d in docs]
        df: dict[str, int] = defaultdict(int)
        doc_terms = []
        for d, phrases in zip(docs, phrase_words):
            terms = set().union(*(terms_of(words) for words, _, _ in phrases)) if phrases else set()
            terms |= terms_of(tuple(tokenize(d.context)))
            doc_terms.append(frozenset(terms))
            for t in terms:
                df[t] += 1
        n = max(len(docs), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.doc_terms = doc_terms
        self.phrases = [[(frozenset(terms_of(words)), self._weight(terms_of(words)), w, text)
                         for words, w, text in phrases if words] for phrases in phrase_words]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i in sorted(range(len(docs)), key=lambda i: -self.priors[i]):
            for t in doc_terms[i]:
                self.postings[t].append(i)
        self.vocab = sorted({t for t in df if "_" not in t})
        self.vocab_set = frozenset(self.vocab)
        self.vocab_by_letter: dict[str, list[str]] = defaultdict(list)
        for v in self.vocab:
            self.vocab_by_letter[v[0]].append(v)
        self.known = frozenset(known_words) | self.vocab_set
        self.rare_df = max(40, n // 50)
        self.correct = lru_cache(maxsize=20000)(self._correct)

    def _weight(self, terms) -> float:
        return sum(self.idf.get(t, 0.0) for t in terms)

    def _correct(self, word: str) -> str:
        """A word unknown to the knowledge, mapped to the closest indexed syllable if one is 1 edit away."""
        if word in self.known or len(word) < 3 or not word.isalpha():
            return word
        fixed = untelex(word)
        if fixed in self.vocab_set or len(word) < 4:
            return fixed if fixed in self.vocab_set else word
        same_start = [v for v in self.vocab_by_letter.get(word[0], ())]
        hit = process.extractOne(word, same_start, scorer=Levenshtein.distance, score_cutoff=1)
        return hit[0] if hit else word

    def query_terms(self, words) -> frozenset[str]:
        return frozenset(t for t in terms_of(tuple(self.correct(w) for w in words)) if t in self.idf)

    def _candidates(self, q: frozenset[str]) -> list[int]:
        ranked = sorted(q, key=lambda t: len(self.postings[t]))
        rare = [t for t in ranked if len(self.postings[t]) <= self.rare_df] or ranked[:2]
        acc: dict[int, float] = defaultdict(float)
        for t in rare:
            w = self.idf[t]
            for i in self.postings[t][:2000]:
                acc[i] += w
        return sorted(acc, key=acc.__getitem__, reverse=True)[:60]

    def _score(self, i: int, q: frozenset[str], q_weight: float) -> tuple[float, str]:
        best, phrase = 0.0, ""
        for terms, total, w, text in self.phrases[i]:
            if total:
                cov = w * self._weight(terms & q) / total
                if cov > best:
                    best, phrase = cov, text
        explained = self._weight(q & self.doc_terms[i]) / q_weight if q_weight else 0.0
        return self.priors[i] * (self.COVERAGE_WEIGHT * best + (1 - self.COVERAGE_WEIGHT) * explained), phrase

    def search(self, words, query_text: str = "", limit: int = 5) -> list[Candidate]:
        """Candidates best first (at most `limit`), scores in 0..1."""
        q = self.query_terms(words)
        if not q:
            return []
        q_weight = self._weight(q)
        scored = [(self._score(i, q, q_weight), i) for i in self._candidates(q)]
        scored.sort(key=lambda s: s[0][0], reverse=True)
        text = query_text or " ".join(words)
        out = []
        for (score, phrase), i in scored[: max(limit, 10)]:
            fuzzy = fuzz.partial_ratio(" ".join(self.tokenize(phrase)), text) / 100 if phrase else 0.0
            out.append(Candidate(self.ids[i], round((1 - self.FUZZY_WEIGHT) * score + self.FUZZY_WEIGHT * fuzzy * score, 4), phrase))
        out.sort(key=lambda c: c.score, reverse=True)
        return out[:limit]

    def best(self, words, score_cutoff: float = 0.0) -> Candidate | None:
        """The best candidate if it reaches `score_cutoff`, else None."""
        found = self.search(words, limit=1)
        return found[0] if found and found[0].score >= score_cutoff else None
