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

from bot.understanding.normalize import untelex


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


class ProcedureIndex:
    """An index over SearchDocs; `tokenize` turns text into folded words (the same for questions)."""

    WEIGHTS = (0.35, 0.55, 0.1)  # best phrase's coverage, share of the question explained, official name's coverage
    RANK_BONUS = 0.2  # ranking only: explaining as much of the question as the best candidate does
    FUZZY_WEIGHT = 0.15
    RECALL_WEIGHT = 0.2  # a phrase that covers more of the question beats an equally matched shorter one
    SPECIALISED_BAND = 0.75  # how close a more specific procedure must score to take the top place
    RARE_TERMS = 16  # the rarest terms of a long question are enough to find its candidates
    CANDIDATES = 40  # how many documents the inverted index hands to full scoring
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
                          shared_weight(words, w, shared), text) for words, w, text in phrases if words]
                        for phrases in phrase_words]
        self.phrase_keys = {text: key(words) for phrases in phrase_words for words, _, text in phrases}
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

    def query_terms(self, words) -> tuple[frozenset[str], dict[str, str]]:
        """The question's indexed terms, and the accented spelling of each syllable typed with accents."""
        pairs = [(self.correct(w), a if self.correct(w) == w else None) for w, a in as_pairs(words)]
        terms = frozenset(term for term in terms_of(folded(pairs)) if term in self.idf)
        return terms, {w: a for w, a in pairs if a and w in terms}

    def _candidates(self, q: frozenset[str]) -> list[int]:
        ranked = sorted(q, key=lambda t: len(self.postings[t]))
        rare = [t for t in ranked if len(self.postings[t]) <= self.rare_df][: self.RARE_TERMS] or ranked[:2]
        acc: dict[int, float] = defaultdict(float)
        for t in rare:
            w = self.idf[t]
            for i in self.postings[t][:2000]:
                acc[i] += w
        return sorted(acc, key=acc.__getitem__, reverse=True)[: self.CANDIDATES]

    def _mismatched(self, i: int, accents: dict[str, str]) -> frozenset[str]:
        """Query syllables typed with other accents than document i spells them ("vàng" for "vắng")."""
        variants = self.variants[i]
        return frozenset(term for term, typed in accents.items()
                         if (spellings := variants.get(term, frozenset()) - {term}) and typed not in spellings)

    def _matched(self, terms, bad: frozenset[str]) -> float:
        """idf weight of matched terms; a mismatched syllable counts ACCENT_PENALTY of its weight."""
        weight = sum(map(self.idf.__getitem__, terms))
        if bad and (wrong := terms & bad):
            weight -= (1 - self.ACCENT_PENALTY) * sum(map(self.idf.__getitem__, wrong))
        return weight

    def _parts(self, i: int, q: frozenset[str], accents: dict, q_weight: float) -> tuple[float, float, float, float, str]:
        """(factor, best phrase coverage, share of the question explained, official name coverage, best phrase)."""
        bad = self._mismatched(i, accents) if accents else frozenset()
        shared = q & self.doc_terms[i]
        best, phrase = 0.0, ""
        for terms, total, w, text in self.phrases[i]:
            if total and (hit := terms & shared):
                matched = self._matched(hit, bad)
                cov = w * (matched / total) * (1 - self.RECALL_WEIGHT + self.RECALL_WEIGHT * min(1.0, matched / q_weight))
                if cov > best:
                    best, phrase = cov, text
        explained = self._matched(shared, bad) / q_weight
        name = self.names[i]
        name_cov = self._matched(name[0] & q, bad) / name[1] if name and name[1] else 0.0
        together = 1.0 if any("_" in term for term in shared) else self.NO_PAIR_FACTOR
        prior = self.priors[i] + (1 - self.priors[i]) * best * explained  # an exact long-tail name is not held back
        return prior * together, best, explained, name_cov, phrase

    def _combine(self, parts: list[tuple]) -> list[tuple[float, float, str]]:
        """(rank key, score in 0..1, phrase): the rank also rewards explaining as much as the best candidate does."""
        most = max((p[2] for p in parts), default=0.0) or 1.0
        w_best, w_expl, w_name = self.WEIGHTS
        out = []
        for factor, best, expl, name, phrase in parts:
            score = factor * (w_best * best + w_expl * expl + w_name * name)
            out.append((score + self.RANK_BONUS * factor * expl / most, score, phrase))
        return out

    def search(self, words, query_text: str = "", limit: int = 5) -> list[Candidate]:
        """Candidates best first (at most `limit`), scores in 0..1."""
        q, accents = self.query_terms(words)
        if not q:
            return []
        q_weight = self._weight(q)
        ids = self._candidates(q)
        scored = sorted(zip(self._combine([self._parts(i, q, accents, q_weight) for i in ids]), ids),
                        key=lambda s: s[0][0], reverse=True)
        text = query_text or key(as_pairs(words))
        ranked = []
        for (rank, score, phrase), i in scored[: max(limit, 6)]:
            fuzzy = 1 - self.FUZZY_WEIGHT * (1 - fuzz.partial_ratio(self.phrase_keys[phrase], text) / 100) if phrase else 0.85
            ranked.append((rank * fuzzy, i, Candidate(self.ids[i], round(score * fuzzy, 4), phrase)))
        ranked.sort(key=lambda r: r[0], reverse=True)
        return self._prefer_specialised([(i, c) for _, i, c in ranked], q)[:limit]

    def _prefer_specialised(self, ranked: list[tuple[int, Candidate]], q: frozenset[str]) -> list[Candidate]:
        """If a close runner-up's official name is the top one's plus more words, and the question has a
        word pair from that "more" ("đăng ký kết hôn" + "nước ngoài"), the runner-up is what was meant."""
        if len(ranked) < 2 or not self.names[ranked[0][0]]:
            return [c for _, c in ranked]
        top_i, top = ranked[0]
        base = {t for t in self.names[top_i][0] if "_" not in t}
        for pos, (i, cand) in enumerate(ranked[1:4], 1):
            name = self.names[i][0] if self.names[i] else frozenset()
            extra = {t for t in name - self.names[top_i][0] if "_" in t and not set(t.split("_")) & base}
            if cand.score >= self.SPECIALISED_BAND * top.score and base <= name and extra & q:
                swapped = Candidate(cand.id, max(cand.score, top.score), cand.phrase)
                return [swapped] + [c for j, (_, c) in enumerate(ranked) if j != pos]
        return [c for _, c in ranked]

    def best(self, words, score_cutoff: float = 0.0) -> Candidate | None:
        """The best candidate if it reaches `score_cutoff`, else None."""
        found = self.search(words, limit=1)
        return found[0] if found and found[0].score >= score_cutoff else None
