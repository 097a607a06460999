"""The embedded store (the default): one process, one data folder, constant cost per reply.

    BOT_DATA_DIR/
      state.lock                one process per folder (flock; a second process refuses to start)
      state.json                sessions, desk tickets, outboxes: bounded, a snapshot in TinyDB's layout
      state.<generation>.log    changes since that snapshot, JSON lines (snapshot.py)
      journal/<UTC day>.jsonl   questions and feedback, append-only; past days blanked by the retention
                                setting become <day>.notext.jsonl

A reply reads its session from memory (a dict lookup) and hands its writes to the writer thread
(writer.py), which group-commits them; `save` returns once they are fsynced. Nothing on the event loop
grows with history; `/stats` and `report` read only the days they show, streaming, off the loop.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import threading
from pathlib import Path

from bot.running import files, snapshot
from bot.running.state import (
    RETENTION_DAYS,
    SESSION_DAYS,
    encode,
    event_record,
    hash_chat,
    now,
    session_record,
    session_view,
    ticket_expired,
    ticket_record,
)
from bot.running.writer import Batch, Writer

log = logging.getLogger(__name__)


class StateStore:
    """The embedded store; see `bot.running.state` for the interface it shares with PostgreSQL."""

    def __init__(self, data_dir: str | Path, *, session_days: int = SESSION_DAYS,
                 retention_days: int = RETENTION_DAYS, readonly: bool = False, compact_after: int = 20_000):
        self.folder = Path(data_dir)
        self.journal = self.folder / "journal"
        self.session_days, self.retention_days = session_days, retention_days
        self.lock = self.writer = None
        if readonly:  # a reader beside the running bot (report): no lock, no writes
            self.tables = snapshot.peek(self.folder)
            self.salt = self.tables.meta["salt"]
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = files.FolderLock(self.folder)
        try:
            self.tables = self.start_up(compact_after)
        except BaseException:
            self.lock.release()
            raise
        self.salt = self.tables.meta["salt"]

    def start_up(self, compact_after: int) -> snapshot.Tables:
        """Clean what a killed process left, read (repairing) the state, move version-1 events to the
        journal, write a fresh snapshot, start the writer."""
        files.remove_temps(self.folder, ".state.json.*")
        if self.journal.is_dir():
            files.remove_temps(self.journal, ".*.jsonl.*")
        tables, legacy = snapshot.load(self.folder)
        if legacy:
            self.migrate(legacy)
        self.writer = Writer(self.folder, tables, self.session_days, self.retention_days, compact_after)
        self.writer.compact()
        for stale in self.folder.glob("state.*.log"):
            if stale.name != f"state.{tables.generation}.log":
                stale.unlink()
        self.writer.start()
        return tables

    def migrate(self, legacy: list[dict]) -> None:
        by_day: dict[str, list[str]] = {}
        for record in legacy:
            by_day.setdefault(str(record.get("time", ""))[:10] or "0000-00-00", []).append(encode(record))
        self.journal.mkdir(exist_ok=True)
        for day, lines in by_day.items():
            with open(self.journal / f"{day}.jsonl", "a", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
        log.info("moved %d questions and votes from state.json to journal/", len(legacy))

    @property
    def healthy(self) -> bool:
        """False while the last write failed (the web /healthz reports it)."""
        return self.writer.healthy and self.writer.is_alive() if self.writer else self.lock is None

    def chat_key(self, chat_id) -> str:
        return hash_chat(self.salt, chat_id)

    async def session(self, chat_id) -> dict:
        return session_view(self.tables.sessions.get(self.chat_key(chat_id)), self.session_days)

    async def save(self, chat_id, session: dict | None, events=(), channel: str = "telegram",
                   at: dt.datetime | None = None) -> None:
        """The reply's session (None: unchanged) and events, on disk when this returns."""
        key, when = self.chat_key(chat_id), at or now()
        batch = Batch(events=[event_record(key, e, channel, when) for e in events])
        if session is not None:
            batch.changes.append({"op": "session", "doc": session_record(key, session, when)})
        await self.submit(batch)

    async def submit(self, batch: Batch):
        if self.writer is None or not self.writer.is_alive():
            raise RuntimeError("the state store is closed")
        batch.future = asyncio.get_running_loop().create_future()
        self.writer.submit(batch)
        return await batch.future

    async def questions(self, since: dt.date | None = None) -> list[dict]:
        return await asyncio.to_thread(self.read, "question", since)

    async def feedback(self, since: dt.date | None = None) -> list[dict]:
        return await asyncio.to_thread(self.read, "feedback", since)

    def read(self, kind: str, since: dt.date | None = None) -> list[dict]:
        """Records of one kind from the journal days from `since` on, read line by line."""
        days: dict[str, Path] = {}
        for path in sorted(self.journal.glob("*.jsonl")):  # a day's .notext file wins over a leftover original
            wanted = since is None or path.name[:10] >= since.isoformat()
            if wanted and (path.name.endswith(".notext.jsonl") or path.name[:10] not in days):
                days[path.name[:10]] = path
        return [r for day in sorted(days) for r in files.read_json_lines(days[day]) if r.get("kind") == kind]

    async def purge(self, retention_days: int, today: dt.date | None = None) -> int:
        """Blank the texts of the days before the retention period (in the writer thread); the number of days."""
        before = (today or now().date()) - dt.timedelta(days=retention_days)
        return await self.submit(Batch(purge_before=before))

    # Desk tickets and outboxes: synchronous, as the desk (bot/running/desk.py) calls them. A write
    # waits for the writer thread's append (a fraction of a millisecond), so memory is never ahead.
    def save_ticket(self, ticket: dict) -> None:
        self.submit_and_wait(Batch(changes=[{"op": "ticket", "doc": ticket_record(ticket, now())}]))

    def ticket(self, ticket_id: str) -> dict | None:
        found = self.tables.tickets.get(ticket_id)
        return json.loads(encode(found)) if found else None

    def tickets(self, status: str | None = None) -> list[dict]:
        found = list(self.tables.tickets.values())
        return [json.loads(encode(t)) for t in found if (status is None or t.get("status") == status)
                and not ticket_expired(t, self.retention_days)]

    def push_outbox(self, chat_key: str, message: dict) -> None:
        self.submit_and_wait(Batch(changes=[{"op": "push", "chat": chat_key, "msg": message}]))

    def take_outbox(self, chat_key: str) -> list[dict]:
        waiting = list(self.tables.outbox.get(chat_key, ()))
        if waiting:
            self.submit_and_wait(Batch(changes=[{"op": "take", "chat": chat_key, "n": len(waiting)}]))
        return waiting

    def submit_and_wait(self, batch: Batch) -> None:
        if self.writer is None or not self.writer.is_alive():
            raise RuntimeError("the state store is closed")
        batch.done = threading.Event()
        self.writer.submit(batch)
        batch.done.wait()
        if batch.error:
            raise batch.error

    def close(self) -> None:
        """Let the writer finish what is queued, then release the folder."""
        if self.writer is not None and self.writer.is_alive():
            self.writer.submit(None)
            self.writer.join()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)
