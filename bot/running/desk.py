"""The desk: when the assistant cannot help, a ticket for a person (staff or youth volunteers), answers back.

A ticket is a plain dict kept in the store (`save_ticket`/`ticket`/`tickets`), so a restart loses none:
  id (5 characters, no look-alikes), status (open → taken → closed → reopened ...), channel and address
  (where the citizen is: a Telegram chat id, a web chat's outbox key, a Zalo user), ward, language,
  question and recent turns (masked: no phone or ID numbers), opened / first_answer / closed times (UTC),
  taken_by, answers (count), thread (the desk's forum topic), suggestions (alias suggestions, never applied).
Channels call `await desk.route(...)` after every reply of the core; the desk channel (Telegram group)
calls `take`, `close`, `answer`, `suggest`. Messages travel through `bot.running.delivery.Deliveries`.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets

from bot.answering import handoff
from bot.answering.answer import HANDOFF, Answer
from bot.answering.i18n import translator
from bot.running.delivery import Deliveries
from bot.running.state import iso, now

log = logging.getLogger(__name__)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone without mistakes
OPEN, TAKEN, CLOSED, REOPENED = "open", "taken", "closed", "reopened"
REOPEN_WITHIN = dt.timedelta(days=1)
REPOST_AFTER = dt.timedelta(seconds=60)  # a ticket younger than this may still be being posted by its process
PROVINCE_CENTRE = "ttpvhcc-tinh"  # whose hours count when the citizen's ward centre is not known


def parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class Desk:
    def __init__(self, store, assistant, deliveries: Deliveries | None = None, clock=None):
        self.store, self.assistant = store, assistant
        self.deliveries = deliveries or Deliveries()
        self.clock = clock or now
        self._latest: dict[str, str] | None = None  # "channel:address" → id of that chat's latest ticket

    @property
    def available(self) -> bool:
        return self.deliveries.has_desk

    # ---- the citizen's side ------------------------------------------------------------------------
    async def route(self, channel: str, address, session: dict, text: str, reply) -> Answer:
        """After the core replied: open, continue or reopen the chat's ticket; the answer to send."""
        if not self.available:  # no desk group: the core's answer (the hotline), and no turns kept
            return reply.answer
        t = translator(session.get("language"))
        wants_person = reply.answer.kind == HANDOFF
        handoff.remember_turn(session, t("Citizen"), text)
        current = (self.store.ticket(session["ticket"]) if session.get("ticket") else None) or self.latest(channel, address)
        if current and current["status"] == CLOSED and not self._recent(current):
            current = None
        u = reply.understanding  # "cảm ơn" or "xin chào" after a closed ticket does not reopen it
        small_talk = u is not None and (u.intent == "greeting" or getattr(u, "social", None) in ("thanks", "self"))
        if current and (current["status"] != CLOSED or wants_person or (text and not small_talk)):
            if text or current["status"] == CLOSED:
                await self._follow_up(current, text)
            answer = handoff.waiting(t, current) if wants_person else reply.answer
        elif wants_person:
            ticket = await self.open(channel, address, session, text, reply.events)
            answer = handoff.opened(t, ticket, self.expected(session.get("ward")))
        else:
            answer = reply.answer
        handoff.remember_turn(session, t("Assistant"), answer.title)
        return answer

    async def open(self, channel: str, address, session: dict, text: str, events=()) -> dict:
        when, turns = self.clock(), list(session.get("turns", []))[:-1 if text else None]  # without this message
        reason = next((e["handoff"] for e in events if e.get("handoff")), "asked")
        said = translator(session.get("language"))("Citizen") + ": "
        earlier = [turn[len(said):] for turn in turns if turn.startswith(said)]
        question = handoff.mask(text) if text else (earlier[-1] if earlier else "")
        ticket = {"id": self.new_id(), "status": OPEN, "channel": channel, "address": address,
                  "ward": session.get("ward"), "language": session.get("language") or "vi", "question": question,
                  # what an alias suggestion is made of: the question before "cho tôi gặp cán bộ", if any
                  "about": earlier[-1] if reason != "unanswered" and earlier else question,
                  "turns": turns, "reason": reason, "opened": iso(when),
                  "first_answer": None, "answers": 0, "taken_by": None, "closed": None, "suggestions": []}
        self.store.save_ticket(ticket)
        self.latest_ids()[f"{channel}:{address}"] = session["ticket"] = ticket["id"]  # the session: any process finds it
        await self.deliveries.to_desk(ticket, "opened")
        return self.store.ticket(ticket["id"]) or ticket

    async def repost(self, older_than: dt.timedelta = REPOST_AFTER) -> int:
        """Open tickets the desk group never saw (their post failed: Telegram unreachable, the bot not yet in the
        group) are posted again; the number of them. The desk channel marks a posted ticket (`desk_message`)."""
        if not self.available:
            return 0
        before = self.clock() - older_than
        missed = [ticket for ticket in self.store.tickets() if ticket.get("status") != CLOSED
                  and not ticket.get("desk_message") and (parse(ticket.get("opened")) or before) <= before]
        for ticket in missed:
            log.warning("ticket %s never reached the desk group: posting it again", ticket["id"])
            await self.deliveries.to_desk(ticket, "opened")
        return len(missed)

    async def _follow_up(self, ticket: dict, text: str) -> None:
        """The citizen wrote while the ticket is open (or within a day of closing it: it reopens)."""
        event = "message"
        if ticket["status"] == CLOSED:
            ticket.update(status=REOPENED, reopened=iso(self.clock()), closed=None)
            self.store.save_ticket(ticket)
            event = "reopened"
        await self.deliveries.to_desk(ticket, event, handoff.mask(text))

    def expected(self, ward: str | None) -> dt.datetime | None:
        """When a person can be expected to answer: None within office hours (ward centre, else the province's)."""
        knowledge = self.assistant.knowledge
        office = knowledge.offices.get(knowledge.unit_office(ward) or PROVINCE_CENTRE) or knowledge.offices.get(PROVINCE_CENTRE)
        return handoff.next_opening(office, self.clock())

    # ---- the desk's side -----------------------------------------------------------------------------
    def take(self, ticket_id: str, who: str) -> dict | None:
        ticket = self.store.ticket(ticket_id.upper())
        if ticket is None:
            return None
        ticket.update(status=TAKEN, taken_by=who)
        self.store.save_ticket(ticket)
        return ticket

    def close(self, ticket_id: str, who: str) -> dict | None:
        ticket = self.store.ticket(ticket_id.upper())
        if ticket is None:
            return None
        ticket.update(status=CLOSED, closed=iso(self.clock()), closed_by=who, taken_by=ticket.get("taken_by") or who)
        self.store.save_ticket(ticket)
        return ticket

    async def answer(self, ticket_id: str, who: str, text: str) -> dict | None:
        """Deliver a desk member's reply to the citizen, marked as from a person; the ticket, or None if unknown."""
        ticket = self.store.ticket(ticket_id.upper())
        if ticket is None:
            return None
        message = {"from": "person", "name": who, "text": text, "ticket": ticket["id"], "time": iso(self.clock()),
                   "language": ticket.get("language") or "vi"}
        ticket["delivered"] = await self.deliveries.to_citizen(ticket["channel"], ticket["address"], message)
        if ticket["delivered"]:
            ticket["answers"] = ticket.get("answers", 0) + 1
            ticket["first_answer"] = ticket.get("first_answer") or message["time"]
            ticket["taken_by"] = ticket.get("taken_by") or who
            ticket["status"] = TAKEN if ticket["status"] in (OPEN, REOPENED) else ticket["status"]
        self.store.save_ticket(ticket)
        return ticket

    def suggest(self, ticket_id: str, who: str, named: str) -> tuple[dict | None, str | None]:
        """Record the ticket's question as an alias suggestion for the procedure named (never applied)."""
        ticket, pid = self.store.ticket(ticket_id.upper()), self.procedure_named(named)
        if ticket is None or pid is None:
            return ticket, None
        ticket.setdefault("suggestions", []).append(
            {"procedure": pid, "alias": ticket.get("about") or ticket["question"], "by": who, "time": iso(self.clock())})
        self.store.save_ticket(ticket)
        return ticket, pid

    def procedure_named(self, named: str) -> str | None:
        """A procedure by id or portal code, else the assistant's confident reading of the name."""
        knowledge, named = self.assistant.knowledge, named.strip()
        if proc := knowledge.find(named) or knowledge.find(named.replace("_", "/")):
            return proc.id
        understander = self.assistant.brain.understander
        u = understander.understand(named)
        return u.top.id if u.top and u.intent == "procedure" and u.score >= understander.thresholds.answer else None

    # ---- lookups -------------------------------------------------------------------------------------
    def new_id(self) -> str:
        while True:
            tid = "".join(secrets.choice(ALPHABET) for _ in range(5))
            if self.store.ticket(tid) is None:
                return tid

    def latest_ids(self) -> dict[str, str]:
        """Built once from the store (so open tickets survive a restart), then kept up to date."""
        if self._latest is None:
            self._latest = {}
            for ticket in sorted(self.store.tickets(), key=lambda x: x.get("opened") or ""):
                self._latest[f"{ticket['channel']}:{ticket['address']}"] = ticket["id"]
        return self._latest

    def latest(self, channel: str, address) -> dict | None:
        tid = self.latest_ids().get(f"{channel}:{address}")
        return self.store.ticket(tid) if tid else None

    def _recent(self, ticket: dict) -> bool:
        closed = parse(ticket.get("closed"))
        return closed is not None and self.clock() - closed <= REOPEN_WITHIN
