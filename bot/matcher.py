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


def as_pairs(words) -> list[tuple[str, str | None]]:
    """Words as (folded, accented-or-None) pairs; plain strings carry no accent information."""
    return [(w, None) if isinstance(w, str) else tuple(w) for w in words]


def folded(pairs) -> tuple[str, ...]:
    return tuple(w for w, _ in pairs)


def key(pairs) -> str:
    return " ".join(folded(pairs))


def phrase_counts(phrase_words) -> dict[str, int]:
    """In how many documents each phrase occurs: a phrase shared by several is weaker evidence."""
    counts: dict[str, int] = defaultdict(int)
    for phrases in phrase_words:
        for k in {key(words) for words, _, _ in phrases}:
            counts[k] += 1
    return counts


def accent_variants(pairs) -> dict[str, frozenset[str]]:
    """folded syllable → the accented spellings a document uses (the folded one = accent-agnostic)."""
    out: dict[str, set[str]] = defaultdict(set)
    for w, accented in pairs:
        out[w].add(accented or w)
    return {w: frozenset(v) for w, v in out.items()}


class ProcedureIndex:
    """An index over SearchDocs; `tokenize` turns text into folded words (the same for questions)."""

    WEIGHTS = (0.35, 0.55, 0.1)  # best phrase's coverage, share of the question explained, official name's coverage
    FUZZY_WEIGHT = 0.15
    ACCENT_PENALTY = 0.5  # a syllable typed with other accents than the document's ("vàng" for "vắng")
    NO_PAIR_FACTOR = 0.6  # no two syllables matched side by side: scattered words are weak evidence

    def __init__(self, docs: list[SearchDoc], tokenize, known_words: set[str] = frozenset()):
        self.tokenize = lambda text: as_pairs(tokenize(text))
        self.ids = [d.id for d in docs]
        self.priors = [d.prior for d in docs]
        phrase_words = [[(self.tokenize(text), w, text) for text, w in d.phrases] for d in docs]
        shared = phrase_counts(phrase_words)
        df: dict[str, int] = defaultdict(int)
        self.doc_terms, self.variants = [], []
        for d, phrases in zip(docs, phrase_words):
            pairs = [p for words, _, _ in phrases for p in words] + self.tokenize(d.context)
            terms = set().union(*(terms_of(folded(words)) for words, _, _ in phrases)) if phrases else set()
            terms |= terms_of(folded(self.tokenize(d.context)))
            self.doc_terms.append(frozenset(terms))
            self.variants.append(accent_variants(pairs))
            for term in terms:
                df[term] += 1
        n = max(len(docs), 1)
        self.idf = {term: math.log(1 + n / c) for term, c in df.items()}
        self.phrases = [[(frozenset(terms_of(folded(words))), self._weight(terms_of(folded(words))),
                          w / math.sqrt(shared[key(words)]), text) for words, w, text in phrases if words]
                        for phrases in phrase_words]
        self.names = [self.phrases[i][0] if self.phrases[i] else None for i in range(len(docs))]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i in sorted(range(len(docs)), key=lambda i: -self.priors[i]):
            for term in self.doc_terms[i]:
                self.postings[term].append(i)
        self.vocab = sorted({term for term in df if "_" not in term})
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

    def query_terms(self, words) -> tuple[frozenset[str], dict[str, str]]:
        """The question's indexed terms, and the accented spelling of each syllable typed with accents."""
        pairs = [(self.correct(w), a if self.correct(w) == w else None) for w, a in as_pairs(words)]
        terms = frozenset(term for term in terms_of(folded(pairs)) if term in self.idf)
        return terms, {w: a for w, a in pairs if a and w in terms}

    def _candidates(self, q: frozenset[str]) -> list[int]:
        ranked = sorted(q, key=lambda t: len(self.postings[t]))
        rare = [t for t in ranked if len(self.postings[t]) <= self.rare_df] or ranked[:2]
        acc: dict[int, float] = defaultdict(float)
        for t in rare:
            w = self.idf[t]
            for i in self.postings[t][:2000]:
                acc[i] += w
        return sorted(acc, key=acc.__getitem__, reverse=True)[:60]

    def _matched(self, i: int, terms, accents: dict[str, str]) -> float:
        """idf weight of matched terms; a syllable typed with other accents than the document's counts less."""
        variants, total = self.variants[i], 0.0
        for term in terms:
            weight, typed = self.idf[term], accents.get(term)
            if typed and (spellings := variants.get(term, frozenset()) - {term}) and typed not in spellings:
                weight *= self.ACCENT_PENALTY
            total += weight
        return total

    def _score(self, i: int, q: frozenset[str], accents: dict, q_weight: float) -> tuple[float, str]:
        best, phrase = 0.0, ""
        for terms, total, w, text in self.phrases[i]:
            if total and (hit := terms & q):
                cov = w * self._matched(i, hit, accents) / total
                if cov > best:
                    best, phrase = cov, text
        shared = q & self.doc_terms[i]
        explained = self._matched(i, shared, accents) / q_weight if q_weight else 0.0
        name = self.names[i]
        name_cov = self._matched(i, name[0] & q, accents) / name[1] if name and name[1] else 0.0
        w_best, w_expl, w_name = self.WEIGHTS
        together = 1.0 if any("_" in term for term in shared) else self.NO_PAIR_FACTOR
        return self.priors[i] * together * (w_best * best + w_expl * explained + w_name * name_cov), phrase

    def search(self, words, query_text: str = "", limit: int = 5) -> list[Candidate]:
        """Candidates best first (at most `limit`), scores in 0..1."""
        q, accents = self.query_terms(words)
        if not q:
            return []
        q_weight = self._weight(q)
        scored = [(self._score(i, q, accents, q_weight), i) for i in self._candidates(q)]
        scored.sort(key=lambda s: s[0][0], reverse=True)
        text = query_text or key(as_pairs(words))
        out = []
        for (score, phrase), i in scored[: max(limit, 10)]:
            fuzzy = fuzz.partial_ratio(key(self.tokenize(phrase)), text) / 100 if phrase else 0.0
            out.append(Candidate(self.ids[i], round(score * (1 - self.FUZZY_WEIGHT * (1 - fuzzy)), 4), phrase))
        out.sort(key=lambda c: c.score, reverse=True)
        return out[:limit]

    def best(self, words, score_cutoff: float = 0.0) -> Candidate | None:
        """The best candidate if it reaches `score_cutoff`, else None."""
        found = self.search(words, limit=1)
        return found[0] if found and found[0].score >= score_cutoff else None
