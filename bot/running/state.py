"""The state every channel shares: one interface, two backends, chosen by the settings.

- embedded (default, `BOT_DATA_DIR`): `bot.running.journal.StateStore`, one process per folder;
- shared (`BOT_STATE_URL=postgresql://…`): `bot.running.pgstore.PgStore`, any number of processes.

The interface (every method but `chat_key`, `healthy` and the desk's ticket and outbox calls is a
coroutine; those are synchronous, as the desk calls them, and wait only for one short write):

    healthy                                  # False while the last write failed (/healthz → 503)
    chat_key(chat_id) -> str                 # the salted hash stored instead of the chat id
    await session(chat_id) -> dict           # the chat's session ({} if none or idle too long)
    await save(chat_id, session, events=(), channel="telegram")
                                             # one reply's writes (session None = unchanged), durable on return
    await questions(since=None) / feedback(since=None) -> list[dict]   # records from that UTC day on
    await purge(retention_days) -> int       # question texts older than that are blanked
    save_ticket(ticket) / ticket(id) / tickets(status=None)            # desk tickets (upsert by "id")
    push_outbox(chat_key, message) / take_outbox(chat_key)             # desk replies waiting for a web citizen
    await aclose()

Records are plain dicts with a UTC ISO `time`, shaped here once for both backends.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from bot.knowledge.text import safe_json

SESSION_KEYS = ("ward", "language", "last", "pending", "awaiting", "asked_ward",
                "misses", "turns", "ticket")  # the desk (issue 17): unanswered in a row, last turns (masked), ticket id
RECORD_KEYS = ("chat", "seen")  # the store's own keys in a session record
SESSION_DAYS = 30
RETENTION_DAYS = 90


class StateLocked(SystemExit):
    """Another process owns the data folder (refuse to start, with a message saying what to do)."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(when: dt.datetime) -> str:
    when = when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return when.isoformat(timespec="seconds")


def now_iso() -> str:
    return iso(now())


def encode(data) -> str:
    """JSON text that UTF-8 and PostgreSQL's jsonb can carry, whatever strings the record holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
        if "\\u0000" not in text:
            return text
    except UnicodeEncodeError:
        pass
    return json.dumps(safe_json(data), ensure_ascii=False, separators=(",", ":")).replace("\\u0000", "\ufffd")


def hash_chat(salt: str, chat_id) -> str:
    return hashlib.sha256(f"{salt}:{chat_id}".encode()).hexdigest()[:24]


def session_record(key: str, session: dict, when: dt.datetime) -> dict:
    """Every key the core keeps in the session (SESSION_KEYS lists the known ones; a key the core adds
    later is kept too, so a follow-up on another process finds it), but "_"-prefixed transient ones."""
    kept = {k: v for k, v in session.items() if isinstance(k, str) and not k.startswith("_") and k not in RECORD_KEYS}
    return {"chat": key, **kept, "seen": iso(when)}


def session_view(record: dict | None, session_days: int, when: dt.datetime | None = None) -> dict:
    """The session as the core sees it; one idle for `session_days` is forgotten."""
    if not record or is_idle(record, session_days, when):
        return {}
    return json.loads(encode({k: v for k, v in record.items() if k not in RECORD_KEYS}))


def is_idle(record: dict, session_days: int, when: dt.datetime | None = None) -> bool:
    try:
        seen = dt.datetime.fromisoformat(record["seen"])
    except (KeyError, TypeError, ValueError):
        return True
    return (when or now()) - seen > dt.timedelta(days=session_days)


def event_record(key: str, event: dict, channel: str, when: dt.datetime) -> dict:
    """What the core reported, as stored: a question (answered or not) or a feedback vote."""
    base = {"chat": key, "time": iso(when), "channel": channel}
    if "feedback" in event:
        return {"kind": "feedback", **base, "vote": event["feedback"], "procedure": event.get("procedure"),
                "question": event.get("question")}
    return {"kind": "question", **base, "text": event.get("question"), "intent": event.get("intent"),
            "procedure": event.get("procedure"), "score": event.get("score", 0.0),
            "answered": not event.get("unanswered") and not event.get("low_confidence"),
            "unanswered": bool(event.get("unanswered")), "low_confidence": bool(event.get("low_confidence")),
            "picked": bool(event.get("picked"))}


def ticket_record(ticket: dict, when: dt.datetime) -> dict:
    if not isinstance(ticket.get("id"), str) or not ticket["id"]:
        raise ValueError("a ticket needs a str id")
    return {**ticket, "saved": iso(when)}


def ticket_expired(ticket: dict, retention_days: int, when: dt.datetime | None = None) -> bool:
    """Closed tickets are kept for the retention period, open ones until closed."""
    if ticket.get("status") != "closed":
        return False
    return is_idle({"seen": ticket.get("saved")}, retention_days, when)


def open_store(settings, *, readonly: bool = False):
    """The configured store: PostgreSQL when BOT_STATE_URL is set (open it with `await store.open()`),
    else the embedded one in BOT_DATA_DIR (`readonly` for reports next to a running bot: no lock)."""
    session_days = getattr(settings, "bot_session_days", SESSION_DAYS)
    retention = getattr(settings, "bot_retention_days", RETENTION_DAYS)
    url = getattr(settings, "bot_state_url", "")
    if url:
        from bot.running.pgstore import PgStore

        return PgStore(url, session_days=session_days, retention_days=retention,
                       pool_size=getattr(settings, "bot_state_pool_size", 10))
    from bot.running.journal import StateStore

    return StateStore(settings.bot_data_dir, session_days=session_days, retention_days=retention, readonly=readonly)
