"""Handing a citizen over to a person: what the citizen reads, and the pure rules a ticket follows.

Pure core (no store, no transport): masking of phone/ID-like numbers before anything is copied to the
desk, the next opening time of an office from its hours in offices.toml, and the answers the
citizen sees (a person will answer / outside hours / no desk / a person's reply).
"""
from __future__ import annotations

import datetime as dt
import re

from bot.answering.answer import HANDOFF, PERSON, Answer, Section
from bot.understanding.intents import DOSSIER_CODE

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")
# Nine or more digits, maybe split by single spaces, dots or dashes (+84 included): phone numbers (10),
# CCCD/CMND (12/9), social insurance (10), bank accounts. Dossier codes are kept (the desk needs them),
# and so are amounts written as money ("1.500.000.000 đồng").
LONG_NUMBER = re.compile(r"(?<![\w])\+?\d(?:[ .\-]?\d){8,}(?!\w)")
MONEY = re.compile(r"\d{1,3}(?:[.,]\d{3})+\s*(?:đ|đồng|vnd|vnđ|₫)", re.IGNORECASE)
HIDDEN = "•"
TURNS_KEPT = 6  # recent turns (citizen and assistant) copied to a ticket


def mask(text: str) -> str:
    """The text with every phone/ID-like digit run hidden ("0912 345 678" → "•••• ••• •••")."""
    keep = [m.span() for m in DOSSIER_CODE.finditer(text)] + [m.span() for m in MONEY.finditer(text)]

    def hide(m: re.Match) -> str:
        if any(a <= m.start() < b for a, b in keep):
            return m.group(0)
        return re.sub(r"\d", HIDDEN, m.group(0).lstrip("+"))

    return LONG_NUMBER.sub(hide, text)


def remember_turn(session: dict, who: str, text: str) -> None:
    """Keep the last few turns of the conversation (masked) for a ticket."""
    if text and text.strip():
        turns = session.setdefault("turns", [])
        turns.append(f"{who}: {mask(' '.join(text.split()))[:300]}")
        del turns[:-TURNS_KEPT]


def next_opening(office: dict | None, now: dt.datetime) -> dt.datetime | None:
    """None while the office is open at `now`; else when it next opens (Vietnam time), within two weeks."""
    hours = (office or {}).get("hours") or []
    if not hours:
        return None
    local = now.astimezone(VN_TZ)
    for offset in range(15):
        day = local.date() + dt.timedelta(days=offset)
        spans = sorted((_at(day, h["open"]), _at(day, h["close"])) for h in hours if str(day.isoweekday()) in h["days"])
        for start, end in spans:
            if start <= local < end:
                return None
            if local < start:
                return start
    return None


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), VN_TZ)


def asked(t, hotline: str) -> Answer:
    """The core's answer to "cho tôi gặp cán bộ": a channel with a desk replaces it by `opened`."""
    return Answer(HANDOFF, t("No staff member can be reached through this chat right now."),
                  intro=t("Please call the hotline: {hotline}", hotline=hotline))


def opened(t, ticket: dict, expect: dt.datetime | None) -> Answer:
    """A person will answer here; when, if it is outside office hours."""
    lines = [t("Your request number: {id}", id=ticket["id"]),
             t("Staff and youth volunteers will answer you in this chat.")]
    if expect is not None:
        when = t("{time}, {weekday} {date}", time=expect.strftime("%H:%M"), weekday=t.weekdays([str(expect.isoweekday())]),
                 date=t.date(expect.date()))
        lines.append(t("It is outside office hours now: expect an answer from {when}.", when=when))
    return Answer(HANDOFF, t("I have passed your question to a person."),
                  intro=t("You can keep asking me meanwhile."), sections=[Section("handoff", t("What happens next"), lines)])


def waiting(t, ticket: dict) -> Answer:
    """Asked again while a request is open: it is the same request."""
    return Answer(HANDOFF, t("A person already has your question (number {id}).", id=ticket["id"]),
                  intro=t("What you write here is passed on to them too."))


def from_person(t, message: dict) -> Answer:
    """A desk member's reply, marked as coming from a person."""
    return Answer(PERSON, t("Reply from {name} (staff/volunteer)", name=message.get("name") or t("a staff member")),
                  intro=message.get("text", ""), subtitle=t("Request number {id}", id=message.get("ticket", "")))
