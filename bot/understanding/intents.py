"""What a question is: a procedure (which, and which aspect), a dossier status, an office, a greeting, or none.

Pure core: built from a `Knowledge`, knows nothing of Telegram or the web.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.understanding.cues import PhraseSet
from bot.understanding.focus import Focus
from bot.understanding.documents import known_words, search_docs
from bot.understanding.language import ENGLISH, detect
from bot.understanding.matcher import Candidate, ProcedureIndex
from bot.understanding.normalize import SEPARATOR, Normalized, Normalizer
from bot.understanding.places import Places
from bot.understanding.siblings import Siblings

DOSSIER_CODE = re.compile(r"(?<![\w.])(?:\d{3}\.\d{2}\.\d{2}\.)?[A-Za-z]\d{2}(?:\.\d{1,3})*-\d{6}-\d{4}(?![\w])")
ASPECTS = ("documents", "fee", "time", "where", "online", "conditions")
STORY = 16  # a question with this many words of its own tells a story: its scores run lower
WORDS = re.compile(r"\w+")
SOCIAL = ("thanks", "self", "out_of_scope")  # lexicon [intents] lists read as small talk, not procedures


@dataclass(frozen=True)
class Thresholds:
    """Set by a small grid search on the labelled question files; see README, Matching."""

    answer: float = 0.45
    ask: float = 0.35
    story: float = 0.22  # a long story (`STORY` words of its own) whose best reading scores this is asked back, not "not found"
    margin: float = 0.06  # alternatives this close to the first are offered under the card
    clear: float = 0.08  # between `ask` and `answer`, a first this far ahead of the second is answered directly
    switch: float = 0.55  # a follow-up turn moves to another procedure only when it names it this clearly
    lead: float = 0.05  # ... and that procedure fits the turn's own words this much better than the current one


@dataclass(frozen=True)
class Understanding:
    intent: str
    candidates: tuple[Candidate, ...] = ()
    clarify: bool = False
    aspect: str | None = None
    dossier_codes: tuple[str, ...] = ()
    cue_scores: dict = field(default_factory=dict)
    place: dict | None = None  # the commune/ward the question names (a province.toml unit)
    social: str | None = None  # "thanks", "self" (who are you) or "out_of_scope", when nothing stronger is asked
    own: Candidate | None = None  # the best match for the question's own words (no aspect, follow-up or filler words)
    own_words: tuple = ()  # those words, (folded, accented) pairs
    words: tuple = ()  # the words that may name a procedure (no filler or place), to score the one under discussion
    rest: int = 0  # how many of the question's words are its own (not aspect, follow-up, filler or place words)
    follows: bool = False  # phrased as a follow-up ("thế còn", "nếu", "có cần ... không")

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


def pairs_of(n: Normalized) -> list[tuple[str, str | None]]:
    return list(zip(n.tokens, n.accents))


def typed(words: list) -> list:
    """The question's own words: those before the synonym-substituted copy (after the SEPARATOR)."""
    cut = next((i for i, w in enumerate(words) if (w[0] if isinstance(w, tuple) else w) == SEPARATOR), len(words))
    return words[:cut]


class Understander:
    """Reads a question against the knowledge and says what it is."""

    def __init__(self, knowledge, thresholds: Thresholds = Thresholds()):
        lex = knowledge.lexicon
        self.normalize = Normalizer(lex.get("abbreviations", {}), lex.get("synonyms", {}))
        self.stopwords = PhraseSet(lex.get("stopwords", []))
        # English questions: english.toml's vocabulary put in Vietnamese and its filler words dropped, in one
        # pass over the words as typed (longest phrase first: "power of attorney" before "of"); filler words are
        # dropped only here, as "to", "do", "so" are also Vietnamese words typed without accents
        english = {**lex.get("synonyms", {}), **{f: "" for f in lex.get("english_stopwords", [])}}
        self.english = Normalizer({}, english)
        self.intents = {k: PhraseSet(v) for k, v in lex.get("intents", {}).items()}
        self.off_topic = PhraseSet(lex.get("intents", {}).get("out_of_scope", []), accents=True)
        self.aspects = {k: PhraseSet(lex.get("aspects", {}).get(k, [])) for k in ASPECTS}
        # words that ask about a procedure without naming one: aspects, conditions, "thế còn ... thì sao"
        intents = lex.get("intents", {})
        self.not_own = PhraseSet([*(p for k in ASPECTS for p in lex.get("aspects", {}).get(k, [])),
                                  *(p for k in ("office", "office_hint", "status", "status_hint") for p in intents.get(k, []))])
        self.followup = PhraseSet([*intents.get("followup", []), *intents.get("followup_words", [])])  # not the turn's own
        self.follow_markers = PhraseSet(intents.get("followup", []))  # "thế còn", "nếu", "có cần"
        tokenize = lambda text: pairs_of(self.normalize(text))  # noqa: E731
        to_vietnamese = lambda text: " ".join(w for w, _ in self.in_vietnamese(pairs_of(self.normalize(text))))  # noqa: E731
        self.index = ProcedureIndex(search_docs(knowledge, to_vietnamese), tokenize, known_words(knowledge))
        self.siblings = Siblings(knowledge, self.index)
        self.focus = Focus(self.index, self.siblings.of, self.clause_words)
        pairs = {t for phrases in self.index.phrases for terms, *_ in phrases for t in terms if "_" in t}
        self.places = Places(knowledge.province.get("units", []), pairs, knowledge.province.get("name", ""))
        self.thresholds = thresholds

    def cue_score(self, name: str, folded: str) -> float:
        strong = self.intents.get(name)
        hint = self.intents.get(f"{name}_hint")
        return (strong.count(folded) if strong else 0) + 0.5 * (hint.count(folded) if hint else 0)

    def aspect(self, folded: str) -> str | None:
        """The aspect named first in the question, if any; "hồ sơ" alone asks for papers. Conditions ("có phải",
        "được không" mark any yes/no question) only when no other aspect is named."""
        found = [(pos, a) for a, s in self.aspects.items() if (pos := s.first_position(folded)) is not None]
        asked = [f for f in found if f[1] != "conditions"] or found  # "có phải về đúng xã ... không" asks where
        return min(asked)[1] if asked else ("documents" if folded.strip() == "ho so" else None)

    def procedures(self, n: Normalized, limit: int = 5) -> list[Candidate]:
        return self.index.search(self.words(n), limit=limit)

    def in_vietnamese(self, words: list) -> list:
        """An English question's (or English alias's) words with the vocabulary in Vietnamese, filler words dropped;
        then, like any question, a copy with lexicon.toml's synonyms ("người nước ngoài" → "yếu tố nước ngoài")."""
        vietnamese = self.english.substitute(typed(words))
        swapped = self.normalize.substitute(vietnamese)
        return vietnamese + [(SEPARATOR, None)] + swapped if swapped != vietnamese else vietnamese

    def words(self, n: Normalized) -> list[tuple[str, str | None]]:
        """The (folded, accented) words that may name a procedure: no filler, no commune/ward or province name."""
        words = self.stopwords.drop_words(pairs_of(n))
        if detect(n.original) == ENGLISH:  # searched in Vietnamese words; "to", "so", "do" are dropped only here
            words = self.in_vietnamese(words)
        return self.places.drop(words)

    def clause_words(self, clause: str) -> tuple[list, bool]:
        """A clause's words that may name a procedure, and whether it asks a side question ("có cần … không")."""
        n = self.normalize(clause)
        return self.words(n), bool(self.follow_markers.count(" ".join(n.tokens)))

    def own_words(self, n: Normalized, words, found: tuple[Candidate, ...]) -> tuple[Candidate | None, int, tuple]:
        """The best match for the words left once aspect, follow-up, office and status phrases are removed,
        how many are left, and the words."""
        own = self.stopwords.drop_words(self.not_own.drop_words(self.places.drop(pairs_of(n))))
        if detect(n.original) == ENGLISH:
            own = self.in_vietnamese(own)
        counted = self.followup.drop_words(own)
        rest = len(counted[: next((i for i, (w, _) in enumerate(counted) if w == SEPARATOR), len(counted))])
        if len(own) == len(words):
            return (found[0] if found else None), rest, tuple(own)
        hits = self.index.search(own, limit=1) if rest else []
        return (hits[0] if hits else None), rest, tuple(own)

    def fit(self, u: "Understanding", pid: str) -> float:
        """How well a given procedure (the one under discussion) matches the question, as its candidates are scored."""
        return self.index.score_of(list(u.words), pid) if u.words and u.own_words else 0.0

    def social(self, folded: str, canon: str = "") -> str | None:
        """Small talk; off-topic words are read with the accents typed ("thuộc hộ nghèo" is no "thuốc")."""
        talk = next((k for k in SOCIAL[:2] if k in self.intents and self.intents[k].count(folded)), None)
        if talk or not (canon and self.off_topic.count(" ".join(WORDS.findall(canon)))):
            return talk
        return "out_of_scope"

    def understand(self, text: str) -> Understanding:
        """Intent, candidates, whether to ask the citizen to choose, and the aspect asked about."""
        n = self.normalize(text or "")
        folded = " ".join(n.tokens)
        codes = tuple(m.group(0).upper() for m in DOSSIER_CODE.finditer(text or ""))
        cues = {k: self.cue_score(k, folded) for k in ("status", "office", "greeting")}
        words = self.words(n)
        found = tuple(self.focus.prefer(text, self.siblings.prefer(self.index.search(words, limit=5), words)))
        own, rest, own_words = self.own_words(n, words, found)
        place = self.places.find(n.tokens)
        social, follows = self.social(folded, n.canonical), bool(self.follow_markers.count(folded))
        base = dict(candidates=found, aspect=self.aspect(folded), dossier_codes=codes, cue_scores=cues,
                    place=place.unit if place else None, own=own, rest=rest, own_words=own_words,
                    words=tuple(words), follows=follows)
        return Understanding(self.decide(found, own, cues, codes, len(n.tokens), rest, social, follows), **base,
                             clarify=self.ask_back(found, rest), social=social)

    def decide(self, found, own, cues, codes, length: int, rest: int, social: str | None, follows: bool) -> str:
        """The intent: status, office, procedure, greeting or none (thresholds: `Thresholds`); `social` and
        `follows` as `understand` found them (small talk; phrased as a follow-up)."""
        t, top = self.thresholds, (found[0].score if found else 0.0)
        own_score = own.score if own else 0.0
        if codes or cues["status"] >= 1:
            return "status"
        if cues["office"] >= 1 and (own_score < t.answer or top < t.answer + 0.15):
            return "office"
        if social in SOCIAL and own_score < t.answer:
            return "none"  # small talk is no procedure; the conversation thanks, introduces itself or declines
        if not rest and follows:
            return "none"  # "thế còn cho vợ tôi": a follow-up that names nothing (the conversation knows what)
        if top >= t.answer:
            return "procedure"
        if cues["greeting"] >= 1 and length <= 8:
            return "greeting"
        return "procedure" if top >= t.ask or rest >= STORY and top >= t.story else "none"

    def ask_back(self, found, rest: int) -> bool:
        """Ask the citizen to choose only when no reading is strong enough to answer, or when a bare keyword
        (one or two words of its own, "hộ tịch") fits two about equally, or the turn has no words of its own at all;
        otherwise answer the first."""
        if not found:
            return False
        if not rest:
            return True  # "cần giấy tờ gì" names no procedure: never answered as one on its own
        tie = len(found) > 1 and found[0].score - found[1].score < self.thresholds.margin and rest <= 2
        clear = len(found) < 2 or found[0].score - found[1].score >= self.thresholds.clear
        return tie or found[0].score < self.thresholds.answer and not (found[0].score >= self.thresholds.ask and clear)
