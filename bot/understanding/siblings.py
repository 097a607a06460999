"""Specific siblings: when the question has the words that set apart a procedure the first one's `distinguish`
list names ("Cho người nước ngoài thuê nhà, ở nhờ" → *Khai báo tạm trú cho người nước ngoài* under
*Đăng ký tạm trú*), that sibling is what was meant; the common one is offered under its card.

Learned from the knowledge: the siblings a curated file lists, their names and the situations the hints
describe (`documents.situations`), against everything the first procedure's own phrases and summary say.
"""
from __future__ import annotations

from bot.understanding.matcher import Candidate, ProcedureIndex

BAND = 0.45  # the sibling must score at least this share of the first one
SETS_APART = 10.0  # idf weight of the question's word pairs the sibling has and the first one lacks
PREFERRED = 0.07  # the sibling put first scores this much above the one it displaces


def sibling_map(knowledge) -> dict[str, tuple[str, ...]]:
    """procedure id → the national records its `distinguish` list names (a curated sibling has its own aliases)."""
    out = {}
    for p in knowledge.procedures.values():
        found = (knowledge.find(item.get("id", "")) for item in p.data.get("distinguish", []))
        out[p.id] = tuple(dict.fromkeys(s.id for s in found if s is not None and not s.curated))
    return out


class Siblings:
    def __init__(self, knowledge, index: ProcedureIndex):
        self.index = index
        self.of = {k: v for k, v in sibling_map(knowledge).items() if v and k in index.position}

    def apart(self, q: frozenset[str], sibling: int, first: int) -> float:
        """idf weight of the question's word pairs the sibling's phrases have and the first document's lack; a pair
        of the sibling's official name ("nước ngoài" in *Khai báo tạm trú cho người nước ngoài*) is enough alone."""
        index = self.index
        pairs = {t for t in q & index.doc_terms[sibling] if "_" in t and t not in index.doc_terms[first]}
        named = bool(pairs & index.names[sibling][0]) if index.names[sibling] else False
        return sum(index.idf[t] for t in pairs) + (SETS_APART if named else 0.0)

    def asked(self, q: frozenset[str], sid: str) -> bool:
        """The question has the sibling's action, the first two words of its official name ("xóa đăng ký",
        "trình báo", "khai báo"): what it does, not only what it is about."""
        i = self.index.position.get(sid)
        name = self.index.names[i] if i is not None else None
        words = self.index.phrase_keys[name[3]].split()[:2] if name else []
        return len(words) == 2 and "_".join(words) in q

    def prefer(self, found: list[Candidate], words) -> list[Candidate]:
        """The candidates, with a sibling of the first put first when the question has what sets it apart."""
        if not found or found[0].id not in self.of:
            return found
        top, index = found[0], self.index
        q, _ = index.query_terms(words)
        first, best = index.position[top.id], None
        for sid in self.of[top.id]:
            weight = self.apart(q, index.position[sid], first) if self.asked(q, sid) else 0.0
            if weight >= SETS_APART and (best is None or weight > best[1]):
                best = (sid, weight)
        if best is None or (score := index.score_of(words, best[0])) < BAND * top.score:
            return found
        chosen = Candidate(best[0], round(max(score, min(1.0, top.score + PREFERRED)), 4), "")
        return [chosen, *(c for c in found if c.id != best[0])]
