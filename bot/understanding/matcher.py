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

import heapq
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat

from rapidfuzz import fuzz

from bot.understanding.index import IndexTables, SearchDoc, as_pairs, folded, key, terms_of  # noqa: F401 (SearchDoc: the input type)
from bot.understanding.normalize import SEPARATOR

BOUND_MARGIN = 1e-9  # relative (and absolute) slack of a rank bound: rounding errs by about 1e-15
EMPTY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    id: str
    score: float
    phrase: str


class ProcedureIndex(IndexTables):
    """Searching the index: candidates for a question, scored and ranked (the tables: `IndexTables`)."""

    WEIGHTS = (0.35, 0.55, 0.1)  # best phrase's coverage, share of the question explained, official name's coverage
    RANK_BONUS = 0.2  # ranking only: explaining as much of the question as the best candidate does
    FUZZY_WEIGHT = 0.15
    RECALL_WEIGHT = 0.2  # a phrase that covers more of the question beats an equally matched shorter one
    SPECIALISED_BAND = 0.75  # how close a more specific procedure must score to take the top place
    PREFERRED = 0.07  # a more specific procedure put first scores above the one it displaces (more than the ask-back margin)
    REFINING_WORDS = 4  # at most this many words added to a name make a more specific procedure
    NAMED_BAND = 0.65  # ... how close such a runner-up must score
    NAMED_COVERAGE = 0.9  # a runner-up whose official name the question (nearly) spells out in full
    RARE_TERMS = 16  # the rarest terms of a long question are enough to find its candidates
    COMMON_PAIRS = 4  # ... with its rarest word pairs, however common (a long story's place names are rarer)
    CANDIDATES = 40  # how many documents the inverted index hands to full scoring
    ACCENT_PENALTY = 0.5  # a syllable typed with other accents than the document's ("vàng" for "vắng")
    NO_PAIR_FACTOR = 0.6  # no two syllables matched side by side: scattered words are weak evidence

    def query_terms(self, words) -> tuple[frozenset[str], dict[str, str]]:
        """The question's indexed terms, and the accented spelling of each syllable typed with accents."""
        correct = self.correct
        pairs = [(c, a if c == w else None) for w, a in as_pairs(words) for c in (correct(w),)]
        terms = frozenset(term for term in terms_of(folded(pairs)) if term in self.idf)
        return terms, {w: a for w, a in pairs if a and w in terms}

    def _candidates(self, q: frozenset[str]) -> list[int]:
        df, postings = self.df, self.postings
        ranked = sorted(q, key=df.__getitem__)
        rare = [t for t in ranked if df[t] <= self.rare_df][: self.RARE_TERMS] or ranked[:2]
        rare += [t for t in ranked if "_" in t and t not in rare and df[t] <= 10 * self.rare_df][: self.COMMON_PAIRS]  # "khai_sinh" in a long story
        acc: dict[int, float] = {}  # document → idf weight of its rare terms, added term by term
        get = acc.get
        for t in rare:
            w = self.idf[t]
            for i in postings[t] if df[t] <= 2000 else postings[t][:2000]:
                acc[i] = get(i, 0.0) + w
        return sorted(acc, key=acc.__getitem__, reverse=True)[: self.CANDIDATES]

    def _matched(self, terms, bad: frozenset[str]) -> float:
        """idf weight of matched terms; a mismatched syllable counts ACCENT_PENALTY of its weight."""
        weight = sum(map(self.idf.__getitem__, terms))
        if bad and (wrong := terms & bad):
            weight -= (1 - self.ACCENT_PENALTY) * sum(map(self.idf.__getitem__, wrong))
        return weight

    def _parts(self, i: int, q: frozenset[str], accents: dict, q_weight: float) -> tuple[float, float, float, float, str]:
        """(factor, best phrase coverage, share of the question explained, official name coverage, best phrase)."""
        return self._finish(i, self._base(i, q, accents, q_weight), q_weight)

    def _base(self, i: int, q: frozenset[str], accents: dict, q_weight: float) -> tuple:
        """What scoring document i needs before its phrases: (mismatched syllables, shared terms, share of the
        question explained, official name coverage, factor for side-by-side syllables, shared terms' idf weight)."""
        return self._with_name(i, self._bases([i], q, accents, q_weight)[0], q)

    def _bases(self, ids: list[int], q: frozenset[str], accents: dict, q_weight: float) -> list[tuple]:
        """`_base` of each of ids, but None for the official name's coverage (`_with_name` adds it; a bound does
        without) (`_matched` inlined: the same sums in the same order)."""
        bad_of = self.mismatched(ids, accents) if accents else {}
        idf, doc_terms, pairs = self.idf.__getitem__, self.doc_terms, self.pair_terms
        penalty, apart = 1 - self.ACCENT_PENALTY, self.NO_PAIR_FACTOR
        out = []
        for i in ids:
            bad = bad_of.get(i, EMPTY)
            shared = q & doc_terms[i]
            reach = sum(map(idf, shared))
            if bad and (wrong := shared & bad):
                explained = (reach - penalty * sum(map(idf, wrong))) / q_weight
            else:
                explained = reach / q_weight
            out.append((bad, shared, explained, None, apart if shared.isdisjoint(pairs) else 1.0, reach))
        return out

    def _with_name(self, i: int, base: tuple, q: frozenset[str]) -> tuple:
        """The base with the official name's coverage."""
        if base[3] is not None:
            return base
        name, bad = self.names[i], base[0]
        name_cov = self._matched(name[0] & q, bad) / name[1] if name and name[1] else 0.0
        return base[:3] + (name_cov,) + base[4:]

    def _finish(self, i: int, base: tuple, q_weight: float) -> tuple[float, float, float, float, str]:
        """`_parts` from `_base`: the best phrase's coverage, strongest phrase first."""
        bad, shared, explained, name_cov, together, _ = base
        best, phrase = 0.0, ""
        idf, keep, recall, penalty = self.idf.__getitem__, 1 - self.RECALL_WEIGHT, self.RECALL_WEIGHT, 1 - self.ACCENT_PENALTY
        for terms, total, w, text in self.scored[i]:
            if w <= best:
                break  # a phrase covers at most its weight
            if terms.isdisjoint(shared):
                continue
            hit = terms & shared
            matched = sum(map(idf, hit))  # `_matched`, inlined: the same sums in the same order
            if bad and (wrong := hit & bad):
                matched -= penalty * sum(map(idf, wrong))
            if (cov := w * (matched / total)) <= best:
                continue  # the last factor is at most 1
            cov *= keep + recall * min(1.0, matched / q_weight)
            if cov > best:
                best, phrase = cov, text
        prior = self.priors[i] + (1 - self.priors[i]) * best * explained  # an exact long-tail name is not held back
        return prior * together, best, explained, name_cov, phrase

    def _combine(self, parts: list[tuple], most: float | None = None) -> list[tuple[float, float, str]]:
        """(rank key, score in 0..1, phrase): the rank also rewards explaining as much as the best candidate does
        (`most`: the largest share explained among the candidates; by default among `parts`)."""
        most = most or max((p[2] for p in parts), default=0.0) or 1.0
        w_best, w_expl, w_name = self.WEIGHTS
        out = []
        for factor, best, expl, name, phrase in parts:
            score = factor * (w_best * best + w_expl * expl + w_name * name)
            out.append((score + self.RANK_BONUS * factor * expl / most, score, phrase))
        return out

    def _ranked(self, ids: list[int], q: frozenset[str], accents: dict, q_weight: float, keep: int) -> list[tuple]:
        """The `keep` best of `ids` as ((rank key, score, phrase), document), best first: exactly the head of all of them
        scored and sorted by rank, but a candidate whose bound is below the `keep`th rank found so far never has its
        phrases scored (most candidates of a search). Strongest bound first: `_bound`, then `_tighter` of a candidate
        that comes first (each bound holds: what is left when the strongest is too low cannot reach the head)."""
        bases = self._bases(ids, q, accents, q_weight)
        most = max((b[2] for b in bases), default=0.0) or 1.0
        heap = [(-bound, j, False) for j, bound in enumerate(self._bounds(ids, bases, q_weight, most))]
        heapq.heapify(heap)
        done, ranks = {}, []
        while heap:
            bound, j, tight = heapq.heappop(heap)
            if len(ranks) == keep and -bound < ranks[0]:
                break  # every other bound is lower still
            bases[j] = self._with_name(ids[j], bases[j], q)
            if not tight:
                heapq.heappush(heap, (-self._tighter(ids[j], bases[j], q_weight, most), j, True))
                continue
            done[j] = self._combine([self._finish(ids[j], bases[j], q_weight)], most)[0]
            (heapq.heappush if len(ranks) < keep else heapq.heappushpop)(ranks, done[j][0])
        return sorted(((done[j], ids[j]) for j in sorted(done)), key=lambda s: s[0][0], reverse=True)[:keep]

    def _bound(self, i: int, base: tuple, q_weight: float, most: float) -> float:
        """A rank key document i cannot exceed: `_finish` and `_combine` with the best phrase's coverage replaced by
        what any phrase could cover of the shared terms (at most its weight; at most weight × shared idf / phrase idf),
        with a margin far above floating-point rounding. Every step is monotonic, so the bound holds."""
        return self._bounds([i], [base], q_weight, most)[0]

    def _bounds(self, ids: list[int], bases: list[tuple], q_weight: float, most: float) -> list[float]:
        """`_bound` of each of ids (base[5], the shared terms' idf weight: no phrase matches more)."""
        strongest, steepest = self.strongest, self.steepest
        covers = [min(strongest[i], base[5] * steepest[i]) for i, base in zip(ids, bases)]
        return self._rank_bounds(ids, bases, covers, q_weight, most)

    def _tighter(self, i: int, base: tuple, q_weight: float, most: float) -> float:
        """`_bound` with any phrase's coverage bounded by the sum of the shared terms' gains (`IndexTables._gains`)
        instead: closer, and dearer to compute, so asked only of a candidate that comes first."""
        gain = sum(map(self.gains[i].get, base[1], repeat(0.0)))
        return self._rank_bounds([i], [base], [min(self.strongest[i], gain)], q_weight, most)[0]

    def _rank_bounds(self, ids: list[int], bases: list[tuple], covers: list[float], q_weight: float, most: float) -> list:
        """The rank key each document cannot exceed when no phrase covers more than its `cover` (nor its official
        name more than the shared terms' idf weight, base[5], when its coverage is not known yet)."""
        w_best, w_expl, w_name = self.WEIGHTS
        keep, recall, bonus, priors, names = 1 - self.RECALL_WEIGHT, self.RECALL_WEIGHT, self.RANK_BONUS, self.priors, self.names
        out = []
        for i, (_, _, explained, name_cov, together, reach), cover in zip(ids, bases, covers):
            if name_cov is None:
                name_cov = min(1.0, reach / names[i][1]) if names[i] and names[i][1] else 0.0
            best = cover * (keep + recall * min(1.0, reach / q_weight))
            factor = (priors[i] + (1 - priors[i]) * best * explained) * together
            score = factor * (w_best * best + w_expl * explained + w_name * name_cov)
            out.append((score + bonus * factor * explained / most) * (1 + BOUND_MARGIN) + BOUND_MARGIN)
        return out

    def search(self, words, query_text: str = "", limit: int = 5) -> list[Candidate]:
        """Candidates best first (at most `limit`), scores in 0..1."""
        q, accents = self.query_terms(words)
        if not q:
            return []
        q_weight = self._weight(q)
        ids = self._candidates(q)
        text = query_text or key(as_pairs(words))
        ranked = []
        for (rank, score, phrase), i in self._ranked(ids, q, accents, q_weight, max(limit, 6)):
            fuzzy = 1 - self.FUZZY_WEIGHT * (1 - fuzz.partial_ratio(self.phrase_keys[phrase], text) / 100) if phrase else 0.85
            ranked.append((rank * fuzzy, i, Candidate(self.ids[i], round(score * fuzzy, 4), phrase)))
        ranked.sort(key=lambda r: r[0], reverse=True)
        ranked = self._prefer_specialised([(i, c) for _, i, c in ranked], q)
        typed = frozenset(terms_of(folded(as_pairs(words))[: self._typed_length(words)])) & q
        if ranked and (j := self._refined(ranked[0][0], typed)) is not None:
            top, mine = ranked[0][1], self._parts(j, q, accents, q_weight)
            score = max(self._combine([mine])[0][1], min(1.0, top.score + self.PREFERRED))
            ranked = [(j, Candidate(self.ids[j], round(score, 4), mine[4]))] + [r for r in ranked if r[0] != j]
        return [c for _, c in ranked][:limit]

    @staticmethod
    def _typed_length(words) -> int:
        """How many words were typed (before the copy with everyday phrases substituted, if any)."""
        found = [w for w, _ in as_pairs(words)]
        return found.index(SEPARATOR) if SEPARATOR in found else len(found)

    def _refined(self, top_i: int, q: frozenset[str]) -> int | None:
        """The procedure whose official name is the top one's plus words the question has every one of, as typed
        and side by side with the rest ("gia hạn" + "tạm trú", "đăng ký" + "lại" + "kết hôn", "chấm dứt" + "giám hộ")."""
        best = None
        for j, extra in self._refinements(top_i):
            needed = extra & self._head(j) or extra  # "rút yêu cầu trợ giúp pháp lý" (of "… của người được …")
            pairs = {t for t in self.names[j][0] & q if "_" in t and set(t.split("_")) & extra}
            if needed <= q and pairs and (best is None or len(needed) > len(best[1])):
                best = (j, needed)
        return best[0] if best else None

    def _head(self, i: int) -> set[str]:
        """The words of an official name before "của" (what the procedure does, not whose it is)."""
        return set(self.phrase_keys[self.names[i][3]].split(" cua ")[0].split()) if self.names[i] else set()

    def _refinements(self, i: int) -> list[tuple[int, frozenset[str]]]:
        """Documents whose official name has every word of document i's and more: (document, the more)."""
        if i in self.refinements:
            return self.refinements[i]
        singles, out = self.name_words[i], []
        if singles:
            size = len(singles) + self.REFINING_WORDS
            for j in self.postings.get(min(singles, key=lambda t: len(self.postings.get(t, ()))), ()):
                other = self.name_words[j]
                if len(other) <= size and singles < other:
                    out.append((j, other - singles))
        self.refinements[i] = out
        return out

    @cached_property
    def refinements(self) -> dict[int, list]:
        return {}

    def _prefer_specialised(self, ranked: list[tuple[int, Candidate]], q: frozenset[str]) -> list[tuple[int, Candidate]]:
        """If a close runner-up's official name is the top one's plus more words, and the question has a
        word pair from that "more" ("đăng ký kết hôn" + "nước ngoài"), the runner-up is what was meant."""
        if len(ranked) < 2 or not self.names[ranked[0][0]]:
            return ranked
        top_i, top = ranked[0]
        base = {t for t in self.names[top_i][0] if "_" not in t}
        for pos, (i, cand) in enumerate(ranked[1:5], 1):
            name = self.names[i][0] if self.names[i] else frozenset()
            longer = pos < 4 and cand.score >= self.SPECIALISED_BAND * top.score and base <= name and \
                {t for t in name - self.names[top_i][0] if "_" in t and not set(t.split("_")) & base} & q
            if longer or cand.score >= self.NAMED_BAND * top.score and self._named(i, top_i, q):
                swapped = Candidate(cand.id, max(cand.score, min(1.0, top.score + self.PREFERRED)), cand.phrase)
                return [(i, swapped)] + [r for j, r in enumerate(ranked) if j != pos]
        return ranked

    def _named(self, i: int, top_i: int, q: frozenset[str]) -> bool:
        """The question contains document i's whole official name (or clause) but not the top one's, and in it a word
        pair the top document does not know at all ("cấp lại giấy chứng nhận đăng ký hộ kinh doanh" against "thành lập")."""
        def covered(terms, total) -> bool:
            return bool(total) and self._weight(terms & q) / total >= self.NAMED_COVERAGE

        if not self.names[top_i] or covered(*self.names[top_i][:2]):
            return False  # the question names the top one in full too: it stays
        names = self.phrases[i][:4] if self.priors[i] < 1 else self.phrases[i][:1]  # a long-tail name's clauses too
        return any(covered(terms, total) and any("_" in t for t in (terms & q) - self.doc_terms[top_i])
                   for terms, total, _, _ in names)

    def score_of(self, words, doc_id: str) -> float:
        """The score one document gets for the words, ranked or not (0 when unknown or nothing is shared)."""
        q, accents = self.query_terms(words)
        if not q or (i := self.position.get(doc_id)) is None:
            return 0.0
        return self._combine([self._parts(i, q, accents, self._weight(q))])[0][1]

    @cached_property
    def position(self) -> dict[str, int]:
        return {doc_id: i for i, doc_id in enumerate(self.ids)}

    def best(self, words, score_cutoff: float = 0.0) -> Candidate | None:
        """The best candidate if it reaches `score_cutoff`, else None."""
        found = self.search(words, limit=1)
        return found[0] if found and found[0].score >= score_cutoff else None
