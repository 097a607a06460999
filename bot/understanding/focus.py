"""The request in a story: between close readings, the one the latest clause names wins.

A citizen tells the background first and what happened or what they want last ("Anh tôi nhà thuộc hộ cận
nghèo, không may bị tai nạn mất hôm qua. Gia đình cần làm giấy tờ gì?" is about the death, not the poverty
status). Clauses that ask a side question ("có cần mang cccd không", "có phải … không") do not count, and a
specific record the matcher or `siblings` put before its common cousin keeps its place.
"""
from __future__ import annotations

import re

from bot.understanding.matcher import Candidate, ProcedureIndex

CLAUSES = re.compile(r"[.,;:!?\n]+")
CLOSE = 0.85  # readings within this share of the first are weighed by where the story names them
NAMES = 0.3  # a clause names a reading when the reading scores this much for the clause's words


class Focus:
    def __init__(self, index: ProcedureIndex, siblings: dict[str, tuple[str, ...]], clause_words):
        self.index, self.siblings = index, siblings
        self.clause_words = clause_words  # text → (words that may name a procedure, asks a side question?)

    def prefer(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """The candidates, with the close reading named latest in the story first (scored as the first was)."""
        clauses = [c for c in CLAUSES.split(text or "") if c.strip()]
        close = [c for c in found[:3] if c.score >= CLOSE * found[0].score] if found else []
        if len(clauses) < 2 or len(close) < 2:
            return found
        named = [words for words, side in map(self.clause_words, clauses) if not side]
        latest = {c.id: max((i for i, words in enumerate(named) if words and self.index.score_of(words, c.id) >= NAMES),
                            default=-1) for c in close}
        top = found[0]
        pick = max(close, key=lambda c: (latest[c.id], c.id == top.id))
        if pick.id == top.id or self.cousin(pick.id, top.id):
            return found
        return [Candidate(pick.id, top.score, pick.phrase), *(c for c in found if c.id != pick.id)]

    def cousin(self, common: str, specific: str) -> bool:
        """`specific` is a more specific form of `common`: its name has all of common's words, or common's
        `distinguish` list names it."""
        index, i, j = self.index, self.index.position.get(common), self.index.position.get(specific)
        named = i is not None and j is not None and bool(index.name_words[i]) and index.name_words[i] < index.name_words[j]
        return named or specific in self.siblings.get(common, ())
