"""The thread of a conversation: which procedure a turn is about when it names none of its own, and the
specific cases offered under a direct answer ("Không phải trường hợp của bạn?").

The session (a plain dict) holds `last`, the procedure under discussion, and `ward`.
"""
from __future__ import annotations

from functools import lru_cache

from bot.answering.answer import Answer, Button
from bot.answering.languages import display_name
from bot.understanding.index import terms_of
from bot.understanding.intents import Understander, Understanding

ALTERNATIVES = 3  # at most this many "Không phải trường hợp của bạn?" buttons
NEAR = 0.8  # a runner-up scoring this share of the first is offered under the card
SIBLING_WORDS = 3  # a turn needs this many words of its own to move to a sibling procedure
MENTIONED = 0.6  # share (idf) of a turn's matched words the current procedure's own text must have to keep it
FAR = 0.3  # ... or that far above how the turn fits the current one ("thế chấp sổ ở ngân hàng khác" after its removal)
PICKED = 0.2  # after a question back, a choice the next turn's words score this much for is taken as picked
CHOICE_MARGIN = 0.1  # ... and no more than this below the turn's best reading


def names_nothing(understander: Understander, u: Understanding) -> bool:
    """A turn that asks about a procedure without naming one: aspect or follow-up words only ("cần giấy tờ gì"),
    or an aspect with a few words that name nothing well ("process mất mấy ngày")."""
    if u.intent not in ("procedure", "none") or u.social:
        return False
    weak = u.own is None or u.own.score < understander.thresholds.ask
    return not u.rest or bool(u.aspect) and weak


def only_a_place(understander: Understander, u: Understanding) -> bool:
    """"nhà tôi ở phường Kinh Bắc": a commune/ward and nothing that names a procedure."""
    return bool(u.place) and (not u.rest or u.own is None or u.own.score < understander.thresholds.ask)


def continues(knowledge, understander: Understander, u: Understanding, session: dict) -> str | None:
    """The procedure under discussion, when this turn asks about it without naming another one:
    an aspect ("hết bao nhiêu tiền"), a condition ("nếu quá hạn thì sao"), a person ("thế còn vợ tôi").
    A turn that clearly names another procedure (and fits it better than the current one) switches."""
    last = session.get("last")
    if not last or u.intent not in ("procedure", "none") or u.social in ("thanks", "out_of_scope", "self"):
        return None
    if not u.rest or u.own is not None and u.own.id == last:
        return last
    t = understander.thresholds
    fit = understander.fit(u, last)
    if not (u.aspect or u.place or u.follows or fit >= t.ask):
        return None  # not phrased as a follow-up and nothing of the current procedure: a question of its own
    if u.own is None:
        return last
    named = u.intent == "procedure" and u.top.id == u.own.id and (u.score >= t.switch or far(u, fit, t))
    if u.aspect == "conditions" and fit >= t.ask:
        return last  # "có phải về đúng xã đã đăng ký khai tử không": a condition of the current one
    if (u.aspect in ("documents", "conditions") or u.follows) and mentioned(knowledge, understander, u, last):
        return last  # "do our passports need to be translated?", "có phải về đúng xã đã đăng ký khai tử không"
    if named and u.score - fit >= t.lead and not refines(understander, last, u.top.id):
        return None
    return sibling(knowledge, understander, u, last, fit) or last


def far(u: Understanding, fit: float, t) -> bool:
    """A turn of some words of its own that names another procedure well and the current one hardly at all."""
    return u.rest >= SIBLING_WORDS and u.score >= t.ask and u.score - fit >= FAR


def mentioned(knowledge, understander: Understander, u: Understanding, last: str) -> bool:
    """The word pairs that made the turn's own match ("hộ chiếu", "đăng ký khai tử") are (nearly all) in what the
    current procedure says: its papers, conditions, places and summary. Asking about them is asking about it."""
    proc, index = knowledge.find(last), understander.index
    i = index.position.get(u.own.id) if u.own else None
    if proc is None or i is None:
        return False
    asked, text = index.query_terms(list(u.own_words))[0] & index.doc_terms[i], said(understander, proc)
    weight = lambda terms: sum(index.idf[t] for t in terms)  # noqa: E731
    pairs = {t for t in asked if "_" in t}
    return bool(pairs & text) and weight(asked & text) >= MENTIONED * weight(asked)


def said(understander: Understander, proc) -> frozenset[str]:
    """The words and word pairs of a procedure's own text: papers (names, notes), conditions, where, summary, name."""
    d = proc.data
    papers = (f"{p.get('name', '')} . {p.get('note', '')}" for p in d.get("documents", []) if isinstance(p, dict))
    parts = [d.get("name", ""), d.get("summary", ""), *d.get("conditions", []), *d.get("document_notes", []), *papers,
             str(d.get("where", ""))]
    return terms_said(understander, " . ".join(str(x) for x in parts))


@lru_cache(maxsize=512)
def terms_said(understander: Understander, text: str) -> frozenset[str]:
    return frozenset(terms_of(list(understander.normalize(text).tokens)))


def refines(understander: Understander, last: str, other: str) -> bool:
    """The current procedure is a more specific form of the one the turn names ("chấm dứt giám hộ" while
    "đăng ký giám hộ" is mentioned): the turn is still about the current one."""
    index = understander.index
    mine, theirs = index.position.get(last), index.position.get(other)
    return mine is not None and theirs is not None and index.name_words[theirs] < index.name_words[mine]


def sibling(knowledge, understander: Understander, u: Understanding, last: str, fit: float) -> str | None:
    """A procedure of the same field as the current one that the turn fits clearly better ("bán thêm mỹ
    phẩm thì giấy đăng ký có phải bổ sung không" while opening a shop: the change of registration)."""
    t, current = understander.thresholds, knowledge.find(last)
    for c in u.candidates[:3]:
        other = knowledge.find(c.id)
        if other is not None and current is not None and other.id != current.id and other.field == current.field:
            near = c.score >= t.ask and c.score >= u.score - t.margin and c.score - fit >= t.lead
            return other.id if near and u.rest >= SIBLING_WORDS and not refines(understander, last, c.id) else None
    return None


def chosen(u: Understanding, session: dict) -> str | None:
    """Right after a question back, a turn whose words point to one of the choices offered picks it
    (the choices are offered for that one turn)."""
    pending = session.pop("pending", None) or []
    if not pending or u.intent not in ("procedure", "none") or u.social or u.rest < 2:
        return None
    best = u.candidates[0].score if u.candidates else 0.0  # a choice, not a clearly better reading outside them
    return next((c.id for c in u.candidates if c.id in pending and c.score >= max(PICKED, best - CHOICE_MARGIN)), None)


def with_alternatives(knowledge, answer: Answer, u: Understanding, t) -> Answer:
    """Under a direct answer, the specific cases that could also apply: the procedure's `distinguish`
    siblings and close runners-up, as buttons (the answer model; every channel renders them)."""
    proc = knowledge.find(answer.procedure_id or "")
    if proc is None:
        return answer
    near = [c.id for c in u.candidates[1:4] if c.score >= NEAR * u.score]
    ids = [d["id"] for d in proc.data.get("distinguish", [])] + near
    found = {p.id: p for p in map(knowledge.find, ids) if p is not None and p.id != proc.id}
    others = list(found.values())[:ALTERNATIVES]
    answer.buttons = [Button(t("Not your case? {name}", name=display_name(p, t)[:45]), f"pick:{p.id}")
                      for p in others] + answer.buttons
    answer.candidates = [proc.id, *(p.id for p in others)]
    return answer
