"""The assistant core every channel talks to: a question (or a pressed button) and a session in, an Answer out.

A session is a plain dict the channel keeps per chat: `last` (the last procedure, for follow-ups),
`ward`, `language` ("vi" or "en": follows the citizen's writing unless `language_chosen`), `pending` (ids
offered to choose from), `awaiting` ("ward" after /start).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.answering import handoff, replies
from bot.answering.answer import NOTICE, Answer, Button
from bot.answering.cards import checklist, details_answer, procedure_card
from bot.answering.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from bot.answering.languages import LANGUAGE_NAMES
from bot.answering.thread import chosen, continues, names_nothing, only_a_place, with_alternatives
from bot.understanding.cues import PhraseSet
from bot.understanding.intents import Understander, Understanding
from bot.understanding.language import conversation_language
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
        self.handoff = PhraseSet(knowledge.lexicon.get("intents", {}).get("handoff", []))  # "cho tôi gặp cán bộ"
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
        self.follow_language(text, session)
        t = translator(session.get("language"))
        if not text:
            return Reply(replies.greeting(t, session.get("ward")))
        if session.pop("awaiting", None) == "ward" and (unit := self.match_ward(text)):
            return Reply(self.set_ward(session, unit))
        if (picked := self._pick_by_number(text, session)) is not None:
            return picked
        if self.brain.handoff.count(fold(text)):
            return self.to_person(session, {"question": text, "intent": "handoff", "score": 1.0, "handoff": "asked"})
        u = self.brain.understander.understand(text)
        return self._second_miss(self._answer(u, text, session, t), u, session)

    def follow_language(self, text: str, session: dict) -> None:
        """Answer in the language the citizen writes (English or Vietnamese; mixed: the dominant one),
        unless they chose one (/lang, the web page's switch)."""
        current = session.get("language") or DEFAULT_LANGUAGE
        if not session.get("language_chosen") and (found := conversation_language(text, current)) != current:
            session["language"] = found

    def set_language(self, session: dict, language: str) -> Answer:
        """The citizen's own choice of language (/lang en|vi, the web switch): kept for the conversation."""
        if language not in LANGUAGES:
            t = translator(session.get("language"))
            both = " · ".join(translator(code)("Which language?") for code in LANGUAGES)  # readable by either reader
            return Answer(NOTICE, both, intro=t("Type /lang en for English or /lang vi for Vietnamese."),
                          buttons=[Button(LANGUAGE_NAMES[code], f"lang:{code}") for code in LANGUAGES])
        session["language"], session["language_chosen"] = language, True
        t = translator(language)
        return replies.notice(t("I will answer in {language}.", language=LANGUAGE_NAMES[language]),
                              t("Ask me about any administrative procedure, in your own words."))

    def to_person(self, session: dict, event: dict) -> Reply:
        """Hand the citizen over to a person (a channel with a desk opens a ticket: bot/running/desk.py)."""
        session["misses"] = 0
        t = translator(session.get("language"))
        return Reply(handoff.asked(t, self.knowledge.province.get("hotline", "")), events=[event])

    def _second_miss(self, reply: Reply, u: Understanding, session: dict) -> Reply:
        """Two in-scope questions in a row the assistant could not answer: hand over to a person."""
        missed = any(e.get("unanswered") for e in reply.events) and u.social != "out_of_scope"
        session["misses"] = session.get("misses", 0) + 1 if missed else 0
        if session["misses"] < 2:
            return reply
        handed = self.to_person(session, {**reply.events[0], "handoff": "unanswered"})
        return Reply(handed.answer, u, handed.events)

    def _pick_by_number(self, text: str, session: dict) -> Reply | None:
        pending = session.get("pending") or []
        if text.isdecimal() and 1 <= int(text) <= len(pending):
            return Reply(self.procedure(pending[int(text) - 1], session))
        return None

    def _answer(self, u: Understanding, text: str, session: dict, t) -> Reply:
        k = self.knowledge
        event = {"question": text, "intent": u.intent, "score": u.score, "procedure": u.top.id if u.top else None}
        if u.place:
            session["ward"] = u.place["name"]
        still_status = session.get("topic") == "status" and not u.rest and u.aspect in (None, "time") and not u.social
        if u.intent == "status" or still_status and u.intent in ("procedure", "none"):
            return Reply(self._status(u, session, t), u, [{**event, "intent": "status"}])
        offered = list(session.get("pending") or [])
        if (picked := chosen(u, session)) is not None:
            return Reply(self.procedure(picked, session, u.aspect), u, [{**event, "procedure": picked, "picked": True}])
        if offered and names_nothing(self.brain.understander, u):
            session["pending"] = offered  # "cần giấy tờ gì" right after a question back: which one, still
            return Reply(replies.clarify(k, offered, t), u, [{**event, "low_confidence": True}])
        if (last := continues(k, self.brain.understander, u, session)) is not None:
            aspect = u.aspect or ("where" if only_a_place(self.brain.understander, u) else None)
            event.update(intent="procedure", procedure=last, followup=True)
            return Reply(self.procedure(last, session, aspect), u, [event])
        if u.intent == "office":
            ward = u.place["name"] if u.place else session.get("ward")
            return Reply(replies.office(k, self._named_office(text) or self._ward_office(session), t, ward), u, [event])
        if u.intent == "greeting":
            return Reply(replies.greeting(t, session.get("ward")), u, [event])
        if u.intent == "none":
            return self._nothing(u, event, session, t)
        if u.clarify:
            session["pending"] = [c.id for c in u.candidates[:4]]
            return Reply(replies.clarify(k, session["pending"], t), u, [{**event, "low_confidence": True}])
        answer = self.procedure(u.top.id, session, u.aspect)
        return Reply(with_alternatives(k, answer, u, t), u, [event])

    def _status(self, u: Understanding, session: dict, t) -> Answer:
        """A dossier already filed: how to look it up, the named (or current) procedure's normal time, what if overdue."""
        k, answer = self.knowledge, self.brain.understander.thresholds.answer
        named = u.own if u.own and u.rest and u.own.score >= answer else None
        proc = k.find(named.id) if named else k.find(session.get("last") or "")
        if proc is not None and not proc.id.startswith("faq/"):
            session["last"] = proc.id
        session["topic"] = "status"
        return replies.status(k, list(u.dossier_codes), t, proc=proc, ward_office=self._ward_office(session))

    def _nothing(self, u: Understanding, event: dict, session: dict, t) -> Reply:
        """No procedure: thanks, a noted ward, an out-of-scope decline, or "we do not know"."""
        if u.social == "thanks":
            return Reply(replies.thanks(t), u, [event])
        if u.social == "self":  # "bạn là ai", "bot hay người": the greeting's self-introduction
            return Reply(replies.greeting(t, session.get("ward")), u, [{**event, "intent": "greeting"}])
        if u.social == "out_of_scope":
            return Reply(replies.decline(t), u, [{**event, "declined": True}])
        if only_a_place(self.brain.understander, u):
            return Reply(self.set_ward(session, u.place), u, [event])
        return Reply(replies.not_found(self.knowledge, [c.id for c in u.candidates[:2]], t), u, [{**event, "unanswered": True}])

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
            entry = self.knowledge.faq_entry(pid)
            return replies.faq(entry, t) if entry else replies.not_found(self.knowledge, [], t)
        proc = self.knowledge.find(pid)
        if proc is None:
            return replies.not_found(self.knowledge, [], t)
        session["last"], session["pending"], session["topic"] = proc.id, [], "procedure"
        card = procedure_card(self.knowledge, proc, t, aspect, session.get("ward"))
        return replies.fit_card(card, self.knowledge, proc, t, aspect, session.get("ward"))

    def checklist(self, pid: str, session: dict) -> Answer | None:
        proc = self.knowledge.find(pid)
        return checklist(self.knowledge, proc, translator(session.get("language")), session.get("ward")) if proc else None

    def press(self, action: str, session: dict) -> Reply:
        """A button the citizen pressed: `pick:ID`, `aspect:ID:ASPECT`, `details:ID`, `feedback:ID:up|down`, `status`, `browse`, `field:NAME`, `ward`."""
        t = translator(session.get("language"))
        verb, _, rest = action.partition(":")
        if verb == "pick":
            return Reply(self.procedure(rest, session), events=[{"intent": "procedure", "procedure": rest, "picked": True}])
        if verb == "aspect":
            pid, _, aspect = rest.rpartition(":")
            return Reply(self.procedure(pid, session, aspect))
        if verb == "details":  # the card's "Chi tiết" part on its own (Telegram's button)
            card = self.procedure(rest, session)
            return Reply(details_answer(card, t) if card.details else card)
        if verb == "feedback":
            pid, _, vote = rest.rpartition(":")
            return Reply(replies.notice(t("Thank you for your feedback!")), events=[{"feedback": vote, "procedure": pid}])
        if verb == "browse" or verb == "field":
            return Reply(replies.browse(self.knowledge, rest or None, t))
        if verb == "ward":
            session["awaiting"] = "ward"
            return Reply(replies.ward_question(self.knowledge, t))
        if verb == "lang":  # the web page's language switch, the buttons of /lang
            return Reply(self.set_language(session, rest))
        if verb == "handoff":  # "Gặp cán bộ" under a not-found answer
            return self.to_person(session, {"intent": "handoff", "handoff": "button", "picked": True})
        return Reply(replies.status(self.knowledge, [], t))
