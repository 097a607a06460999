"""The assistant core every channel talks to: a question (or a pressed button) and a session in, an Answer out.

A session is a plain dict the channel keeps per chat: `last` (the last procedure, for follow-ups),
`ward`, `language`, `pending` (ids offered to choose from), `awaiting` ("ward" after /start).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.answering import replies
from bot.answering.answer import Answer
from bot.answering.cards import checklist, procedure_card
from bot.answering.i18n import translator
from bot.understanding.intents import Understander, Understanding
from bot.understanding.normalize import fold


@dataclass
class Reply:
    """What the core answered, and what it learned (for the staff's statistics)."""

    answer: Answer
    understanding: Understanding | None = None
    events: list[dict] = field(default_factory=list)


def deep_link_payload(pid: str) -> str:
    """A procedure id in the characters a Telegram deep link allows: '/' → '_', '.' → '__'."""
    return pid.replace(".", "__").replace("/", "_")


def from_payload(payload: str) -> str:
    return payload.replace("__", ".").replace("_", "/")


class Brain:
    """Knowledge and the understander built from it; swapped as one when knowledge is reloaded."""

    def __init__(self, knowledge):
        self.knowledge = knowledge
        self.understander = Understander(knowledge)
        self.units = {fold(u["name"]): u for u in knowledge.province.get("units", [])}
        for key, unit in list(self.units.items()):
            self.units.setdefault(key.split(" ", 1)[-1], unit)


class Assistant:
    def __init__(self, knowledge):
        self.brain = Brain(knowledge)

    @property
    def knowledge(self):
        return self.brain.knowledge

    def swap(self, knowledge) -> None:
        """Start answering from new knowledge (built fully before the swap)."""
        self.brain = Brain(knowledge)

    def match_ward(self, text: str) -> dict | None:
        hit = process.extractOne(fold(text), list(self.brain.units), scorer=fuzz.WRatio, score_cutoff=86)
        return self.brain.units[hit[0]] if hit else None

    def start(self, session: dict, payload: str = "") -> Answer:
        """Greeting; a deep-link payload opens that procedure; asks for the ward once."""
        t = translator(session.get("language"))
        proc = self.knowledge.find(from_payload(payload)) if payload else None
        if proc:
            session["last"] = proc.id
            return procedure_card(self.knowledge, proc, t, ward=session.get("ward"))
        if not session.get("ward") and not session.get("asked_ward"):
            session["awaiting"], session["asked_ward"] = "ward", True
        return replies.greeting(t, session.get("ward"))

    def set_ward(self, session: dict, unit: dict) -> Answer:
        session["ward"] = unit["name"]
        session.pop("awaiting", None)
        t = translator(session.get("language"))
        return replies.notice(t("Noted: {ward}.", ward=unit["name"]), t("Now ask me about any procedure."))

    def reply(self, text: str, session: dict) -> Reply:
        """Answer one free-text message."""
        text = (text or "").strip()
        t = translator(session.get("language"))
        if not text:
            return Reply(replies.greeting(t, session.get("ward")))
        if session.pop("awaiting", None) == "ward" and (unit := self.match_ward(text)):
            return Reply(self.set_ward(session, unit))
        if (picked := self._pick_by_number(text, session)) is not None:
            return picked
        u = self.brain.understander.understand(text)
        return self._answer(u, text, session, t)

    def _pick_by_number(self, text: str, session: dict) -> Reply | None:
        pending = session.get("pending") or []
        if text.isdigit() and 1 <= int(text) <= len(pending):
            return Reply(self.procedure(pending[int(text) - 1], session))
        return None

    def _answer(self, u: Understanding, text: str, session: dict, t) -> Reply:
        k, last = self.knowledge, session.get("last")
        event = {"question": text, "intent": u.intent, "score": u.score, "procedure": u.top.id if u.top else None}
        if u.aspect and last and u.intent in ("procedure", "none") and u.score < self.brain.understander.thresholds.answer:
            event.update(intent="procedure", procedure=last, followup=True)
            return Reply(self.procedure(last, session, u.aspect), u, [event])
        if u.intent == "status":
            return Reply(replies.status(k, list(u.dossier_codes), t), u, [event])
        if u.intent == "office":
            return Reply(replies.office(k, self._named_office(text) or self._ward_office(session), t), u, [event])
        if u.intent == "greeting":
            return Reply(replies.greeting(t, session.get("ward")), u, [event])
        if u.intent == "none":
            return Reply(replies.not_found(k, [c.id for c in u.candidates[:2]], t), u, [{**event, "unanswered": True}])
        if u.clarify:
            session["pending"] = [c.id for c in u.candidates[:4]]
            return Reply(replies.clarify(k, session["pending"], t), u, [{**event, "low_confidence": True}])
        return Reply(self.procedure(u.top.id, session, u.aspect), u, [event])

    def _named_office(self, text: str) -> str | None:
        """The centre of a commune/ward the question names ("trung tâm phường Kinh Bắc ở đâu")."""
        padded = f" {' '.join(fold(text).split())} "
        named = [u for key, u in self.brain.units.items() if f" {key} " in padded and u.get("office")]
        return named[0]["office"] if named else None

    def _ward_office(self, session: dict) -> str | None:
        return self.knowledge.unit_office(session.get("ward"))

    def procedure(self, pid: str, session: dict, aspect: str | None = None) -> Answer:
        """The card for one procedure (or FAQ entry); remembered for follow-up questions."""
        t = translator(session.get("language"))
        if pid.startswith("faq/"):
            entry = next((f for f in self.knowledge.faq if f"faq/{f['id']}" == pid), None)
            return replies.faq(entry, t) if entry else replies.not_found(self.knowledge, [], t)
        proc = self.knowledge.find(pid)
        if proc is None:
            return replies.not_found(self.knowledge, [], t)
        session["last"], session["pending"] = proc.id, []
        return procedure_card(self.knowledge, proc, t, aspect, session.get("ward"))

    def checklist(self, pid: str, session: dict) -> Answer | None:
        proc = self.knowledge.find(pid)
        return checklist(self.knowledge, proc, translator(session.get("language")), session.get("ward")) if proc else None

    def press(self, action: str, session: dict) -> Reply:
        """A button the citizen pressed: `pick:ID`, `aspect:ID:ASPECT`, `feedback:ID:up|down`, `status`, `browse`, `field:NAME`, `ward`."""
        t = translator(session.get("language"))
        verb, _, rest = action.partition(":")
        if verb == "pick":
            return Reply(self.procedure(rest, session), events=[{"intent": "procedure", "procedure": rest, "picked": True}])
        if verb == "aspect":
            pid, _, aspect = rest.rpartition(":")
            return Reply(self.procedure(pid, session, aspect))
        if verb == "feedback":
            pid, _, vote = rest.rpartition(":")
            return Reply(replies.notice(t("Thank you for your feedback!")), events=[{"feedback": vote, "procedure": pid}])
        if verb == "browse" or verb == "field":
            return Reply(replies.browse(self.knowledge, rest or None, t))
        if verb == "ward":
            session["awaiting"] = "ward"
            return Reply(replies.ward_question(self.knowledge, t))
        return Reply(replies.status(self.knowledge, [], t))
