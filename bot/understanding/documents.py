"""The matcher's documents, learned from the knowledge: one SearchDoc per procedure and FAQ entry.

A curated procedure brings its name, aliases, keywords, other names and English phrases; a national record
its official name and the clauses of a long one. The situations a curated file's `distinguish` hints describe
("Mua xe cũ của người khác: làm Đăng ký sang tên xe") are everyday words for the procedure they point to.
"""
from __future__ import annotations

import re

from bot.understanding.index import SearchDoc
from bot.understanding.normalize import fold, tokens

NATIONAL_PRIOR, FAQ_PRIOR = 0.88, 0.85
SITUATION_WEIGHT = 0.8  # a situation a sibling's hint describes: weaker than an alias, about a keyword
SITUATION_WORDS = 3  # shorter situations ("Bước trước") say nothing of the procedure


def name_clauses(name: str) -> list[str]:
    """The parts of a long official name that name a procedure on their own ("Cấp lại Giấy chứng nhận đăng ký
    hộ kinh doanh, Cấp đổi sang ..."): the clauses between commas, semicolons and brackets, of three words or more."""
    parts = [p.strip() for p in re.split(r"[,;()]", name)]
    return [p for p in parts if len(p.split()) >= 3] if len(parts) > 1 else []


def search_docs(knowledge, translate=lambda text: text) -> list[SearchDoc]:
    """One SearchDoc per procedure and per FAQ entry."""
    docs, told = [], situations(knowledge)
    for p in knowledge.procedures.values():
        d = p.data
        name = re.sub(r"^thủ tục\s+", "", p.name, flags=re.IGNORECASE)
        seen = [(s, SITUATION_WEIGHT) for s in told.get(p.id, ())]
        if p.curated:
            phrases = [(name, 1.0), *((a, 1.0) for a in d.get("aliases", [])),
                       *((k, 0.85) for k in d.get("keywords", [])), *((o, 0.95) for o in p.other_names),
                       *english_phrases(d, translate), *seen]
            docs.append(SearchDoc(p.id, tuple(phrases), f"{d.get('summary', '')} {p.field}", 1.0))
        else:
            phrases = ((name, 1.0), *((c, 0.6) for c in name_clauses(name)), *seen)
            docs.append(SearchDoc(p.id, phrases, p.field, NATIONAL_PRIOR))
    for f in knowledge.faq:
        docs.append(SearchDoc(f"faq/{f['id']}", ((f["question"], 1.0), *((a, 1.0) for a in f["aliases"])), "", FAQ_PRIOR))
    return docs


def situations(knowledge) -> dict[str, list[str]]:
    """procedure id → the situations other procedures' `distinguish` hints describe for it: the words before the
    hint's colon, without what a bracket says it is not ("Cần đổi bằng lái (không phải giấy tờ xe): làm ...")."""
    out: dict[str, list[str]] = {}
    for p in knowledge.procedures.values():
        for item in p.data.get("distinguish", []):
            target, (situation, colon, _) = knowledge.find(item.get("id", "")), item.get("hint", "").partition(":")
            situation = re.sub(r"\([^)]*\)", " ", situation).strip()
            if target is not None and not target.curated and colon and len(situation.split()) >= SITUATION_WORDS:
                out.setdefault(target.id, []).append(situation)
    return out


def english_phrases(data: dict, translate) -> list[tuple[str, float]]:
    """A curated procedure's English aliases and keywords, in the words an English question is searched with."""
    phrases = [*((a, 1.0) for a in data.get("aliases_en", [])), *((k, 0.85) for k in data.get("keywords_en", []))]
    return [(kept, w) for text, w in phrases if (kept := translate(text))]


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
