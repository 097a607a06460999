"""Building the matcher's index: from SearchDocs to the tables that `matcher.ProcedureIndex` searches.

Terms are syllables and adjacent syllable pairs (folded); each has an idf weight. For each document:
its terms, its phrases (terms, idf weight, name/alias weight lowered when shared), its accent
spellings, and the official name (first phrase). Postings list documents by prior, curated first.
The vocabulary by first letter serves typo correction (rapidfuzz Levenshtein, one edit).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.understanding.normalize import untelex


@dataclass(frozen=True)
class SearchDoc:
    """What the matcher knows of one answerable thing: phrases with weights, context words, prior."""

    id: str
    phrases: tuple[tuple[str, float], ...]
    context: str = ""
    prior: float = 1.0


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


def phrase_counts(phrase_words) -> tuple[dict[str, int], dict[str, int]]:
    """In how many documents each phrase is a name or alias (weight ≥ 0.95), and a mere keyword."""
    names: dict[str, int] = defaultdict(int)
    keywords: dict[str, int] = defaultdict(int)
    for phrases in phrase_words:
        for k, strong in {(key(words), w >= 0.95) for words, w, _ in phrases}:
            (names if strong else keywords)[k] += 1
    return names, keywords


def shared_weight(words, w: float, counts) -> float:
    """A phrase several documents use is weaker evidence; a keyword that is another's alias, more so."""
    names, keywords = counts
    k = key(words)
    return w / math.sqrt(max(1, names[k]) if w >= 0.95 else names[k] + keywords[k])


def accent_variants(pairs) -> dict[str, frozenset[str]]:
    """folded syllable → the accented spellings a document uses (the folded one = accent-agnostic)."""
    out: dict[str, set[str]] = defaultdict(set)
    for w, accented in pairs:
        out[w].add(accented or w)
    return {w: frozenset(v) for w, v in out.items()}


class IndexTables:
    """The tables built once from the documents; read-only afterwards."""

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
                          shared_weight(words, w, shared), text) for words, w, text in phrases if words]
                        for phrases in phrase_words]
        self.by_weight = [sorted(phrases, key=lambda p: -p[2]) for phrases in self.phrases]  # strongest first
        self.phrase_keys = {text: key(words) for phrases in phrase_words for words, _, text in phrases}
        self.names = [self.phrases[i][0] if self.phrases[i] else None for i in range(len(docs))]
        self.name_words = [frozenset(t for t in n[0] if "_" not in t) if n else frozenset() for n in self.names]
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
        self._scoring_tables()

    def _scoring_tables(self) -> None:
        """What a search reads per candidate, computed once: the documents spelling a syllable with accents (from
        `variants`: folded syllable → its spellings) and those spelling it one given accented way, document
        frequencies, the word pairs, each document's phrases that can cover anything (an idf weight above 0;
        strongest first), their largest weight, largest weight per idf weight, and their terms' gains."""
        accented: dict[str, set[int]] = defaultdict(set)
        spelled: dict[tuple[str, str], set[int]] = defaultdict(set)
        for i, variants in enumerate(self.variants):
            for term, spellings in variants.items():
                if not (others := spellings - {term}):
                    continue  # spelled only without accents
                accented[term].add(i)
                for spelling in others:
                    spelled[term, spelling].add(i)
        self.accented = {term: frozenset(docs) for term, docs in accented.items()}
        self.spelled = {pair: frozenset(docs) for pair, docs in spelled.items()}
        self.df = {term: len(docs) for term, docs in self.postings.items()}
        self.pair_terms = frozenset(term for term in self.df if "_" in term)
        self.scored = [[p for p in phrases if p[1]] for phrases in self.by_weight]
        self.strongest = [max((w for _, _, w, _ in phrases), default=0.0) for phrases in self.scored]
        self.steepest = [max((w / total for _, total, w, _ in phrases), default=0.0) for phrases in self.scored]
        self.gains = [self._gains(phrases) for phrases in self.scored]

    def mismatched(self, ids, accents: dict[str, str]) -> dict[int, frozenset[str]]:
        """For those of ids that have any: the query syllables typed with other accents than the document spells
        them ("vàng" for "vắng"), found syllable by syllable (the documents spelling it with accents, but not as
        typed). `accents`: folded syllable → its spelling as typed; each set is built in the order of `accents`."""
        found: dict[int, list[str]] = defaultdict(list)
        among = frozenset(ids)
        for term, typed in accents.items():
            if (docs := self.accented.get(term)) is not None:
                for i in (docs & among) - self.spelled.get((term, typed), frozenset()):
                    found[i].append(term)
        return {i: frozenset(terms) for i, terms in found.items()}

    def _gains(self, phrases) -> dict[str, float]:
        """term → the most a phrase's coverage can gain by matching it: its idf × the largest weight per idf weight
        of the document's phrases that have it. A phrase covers at most the sum of its matched terms' gains."""
        ratio: dict[str, float] = {}
        for terms, total, w, _ in phrases:
            for term in terms:
                ratio[term] = max(ratio.get(term, 0.0), w / total)
        return {term: self.idf[term] * r for term, r in ratio.items()}

    def _weight(self, terms) -> float:
        return sum(self.idf.get(t, 0.0) for t in terms)  # build time: terms may be unknown

    def _correct(self, word: str) -> str:
        """A word unknown to the knowledge, mapped to the closest indexed syllable if one is 1 edit away."""
        if word in self.known or len(word) < 3 or not word.isalpha():
            return word
        fixed = untelex(word)
        if fixed in self.vocab_set or len(word) < 4:
            return fixed if fixed in self.vocab_set else word
        close = process.extract(word, self.vocab_by_letter.get(word[0], ()), scorer=Levenshtein.distance,
                                score_cutoff=1, limit=8)
        return max(close, key=lambda hit: len(self.postings[hit[0]]))[0] if close else word  # the commonest
