"""What a question is: a procedure (which, and which aspect), a dossier status, an office, a greeting, or none.

Pure core: built from a `Knowledge`, knows nothing of Telegram or the web.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.understanding.cues import PhraseSet
from bot.understanding.matcher import Candidate, ProcedureIndex, SearchDoc
from bot.understanding.normalize import Normalized, Normalizer, fold, tokens

DOSSIER_CODE = re.compile(r"(?<![\w.])(?:\d{3}\.\d{2}\.\d{2}\.)?[A-Za-z]\d{2}(?:\.\d{1,3})*-\d{6}-\d{4}(?![\w])")
ASPECTS = ("documents", "fee", "time", "where", "online", "conditions")
NATIONAL_PRIOR, FAQ_PRIOR = 0.88, 0.85


@dataclass(frozen=True)
class Thresholds:
    """Set by a small grid search on the labelled question files; see README, Matching."""

    answer: float = 0.55
    ask: float = 0.36
    margin: float = 0.06


@dataclass(frozen=True)
class Understanding:
    intent: str
    candidates: tuple[Candidate, ...] = ()
    clarify: bool = False
    aspect: str | None = None
    dossier_codes: tuple[str, ...] = ()
    cue_scores: dict = field(default_factory=dict)

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


def pairs_of(n: Normalized) -> list[tuple[str, str | None]]:
    return list(zip(n.tokens, n.accents))


def search_docs(knowledge) -> list[SearchDoc]:
    """One SearchDoc per procedure and per FAQ entry."""
    docs = []
    for p in knowledge.procedures.values():
        d = p.data
        name = re.sub(r"^thủ tục\s+", "", p.name, flags=re.I)
        if p.curated:
            phrases = [(name, 1.0), *((a, 1.0) for a in d.get("aliases", [])),
                       *((k, 0.85) for k in d.get("keywords", [])), *((o, 0.95) for o in p.other_names)]
            docs.append(SearchDoc(p.id, tuple(phrases), f"{d.get('summary', '')} {p.field}", 1.0))
        else:
            docs.append(SearchDoc(p.id, ((name, 1.0),), p.field, NATIONAL_PRIOR))
    for f in knowledge.faq:
        docs.append(SearchDoc(f"faq/{f['id']}", ((f["question"], 1.0), *((a, 1.0) for a in f["aliases"])), "", FAQ_PRIOR))
    return docs


def known_words(knowledge) -> set[str]:
    """Every word the knowledge uses anywhere: such words are never 'corrected' as typos."""
    raw: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            raw.update(value.lower().split())
        elif isinstance(value, (dict, list)):
            for v in value.values() if isinstance(value, dict) else value:
                walk(v)

    for p in knowledge.procedures.values():
        walk([p.data.get(k) for k in ("summary", "documents", "steps", "conditions", "who")])
    walk(knowledge.lexicon)
    return {w for word in raw for w in tokens(fold(word))}


class Understander:
    """Reads a question against the knowledge and says what it is."""

    def __init__(self, knowledge, thresholds: Thresholds = Thresholds()):
        lex = knowledge.lexicon
        self.normalize = Normalizer(lex.get("abbreviations", {}), lex.get("synonyms", {}))
        self.stopwords = PhraseSet(lex.get("stopwords", []))
        self.intents = {k: PhraseSet(v) for k, v in lex.get("intents", {}).items()}
        self.aspects = {k: PhraseSet(lex.get("aspects", {}).get(k, [])) for k in ASPECTS}
        tokenize = lambda text: pairs_of(self.normalize(text))  # noqa: E731
        self.index = ProcedureIndex(search_docs(knowledge), tokenize, known_words(knowledge))
        self.thresholds = thresholds

    def cue_score(self, name: str, folded: str) -> float:
        strong = self.intents.get(name)
        hint = self.intents.get(f"{name}_hint")
        return (strong.count(folded) if strong else 0) + 0.5 * (hint.count(folded) if hint else 0)

    def aspect(self, folded: str) -> str | None:
        """The aspect named first in the question, if any."""
        found = [(pos, a) for a, s in self.aspects.items() if (pos := s.first_position(folded)) is not None]
        return min(found)[1] if found else None

    def procedures(self, n: Normalized, limit: int = 5) -> list[Candidate]:
        return self.index.search(self.stopwords.drop_words(pairs_of(n)), limit=limit)

    def understand(self, text: str) -> Understanding:
        """Intent, candidates, whether to ask the citizen to choose, and the aspect asked about."""
        n = self.normalize(text or "")
        folded = " ".join(n.tokens)
        codes = tuple(m.group(0).upper() for m in DOSSIER_CODE.finditer(text or ""))
        cues = {k: self.cue_score(k, folded) for k in ("status", "office", "greeting")}
        found = tuple(self.procedures(n))
        top = found[0].score if found else 0.0
        aspect = self.aspect(folded)
        t = self.thresholds
        base = dict(candidates=found, aspect=aspect, dossier_codes=codes, cue_scores=cues)
        if codes or cues["status"] >= 1:
            return Understanding("status", **base)
        if cues["office"] >= 1 and top < t.answer + 0.15:
            return Understanding("office", **base)
        if top >= t.answer:
            close = [c for c in found[1:] if found[0].score - c.score < t.margin]
            return Understanding("procedure", **base, clarify=bool(close))
        if cues["greeting"] >= 1 and len(n.tokens) <= 8:
            return Understanding("greeting", **base)
        if top >= t.ask:
            return Understanding("procedure", **base, clarify=True)
        return Understanding("none", **base)
