"""The shared store (`BOT_STATE_URL=postgresql://…`): every piece of state in PostgreSQL, so any number of
bot processes (webhook workers, web workers behind a load balancer) share sessions, questions,
feedback, desk tickets and outboxes. psycopg 3 with its async pool: nothing blocks the event loop.

One reply is one transaction (its session upsert and its events), committed before `save` returns,
so the citizen's next message finds it whichever process receives it (group commit: see `group_commit`). The schema is created or
migrated at `open()`, under an advisory lock so that workers starting together do not race.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets

from psycopg.types.json import Jsonb, set_json_dumps
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from bot.running.state import (
    RETENTION_DAYS,
    SESSION_DAYS,
    encode,
    event_record,
    hash_chat,
    now,
    session_record,
    session_view,
    ticket_record,
)

log = logging.getLogger(__name__)
set_json_dumps(encode)  # strings jsonb cannot hold (lone surrogates, NUL) are replaced, never fatal
WARM_CONNECTIONS = 4  # opened at start: the first replies after a (re)start do not wait for connections
CONNECT_WAIT = 3.0  # seconds a reply waits for a connection when the database is unreachable (then answers without)
MIGRATION_LOCK = 7_414_001  # pg_advisory_xact_lock key while the schema is created or migrated

MIGRATIONS = (  # index + 1 is the schema version; append, never edit
    """
    CREATE TABLE bot_meta (key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE bot_sessions (chat text PRIMARY KEY, doc jsonb NOT NULL, seen timestamptz NOT NULL);
    CREATE INDEX bot_sessions_seen ON bot_sessions (seen);
    CREATE TABLE bot_events (id bigserial PRIMARY KEY, kind text NOT NULL, time timestamptz NOT NULL,
                             doc jsonb NOT NULL);
    CREATE INDEX bot_events_kind_time ON bot_events (kind, time);
    CREATE TABLE bot_tickets (id text PRIMARY KEY, status text, saved timestamptz NOT NULL, doc jsonb NOT NULL);
    CREATE TABLE bot_outbox (id bigserial PRIMARY KEY, chat text NOT NULL, doc jsonb NOT NULL);
    CREATE INDEX bot_outbox_chat ON bot_outbox (chat, id);
    """,
)


SAVE = """
WITH session AS (
    INSERT INTO bot_sessions (chat, doc, seen) SELECT %(key)s, %(doc)s, %(when)s WHERE %(doc)s::jsonb IS NOT NULL
    ON CONFLICT (chat) DO UPDATE SET doc = EXCLUDED.doc, seen = EXCLUDED.seen)
INSERT INTO bot_events (kind, time, doc)
SELECT event ->> 'kind', %(when)s, event FROM jsonb_array_elements(%(events)s) WITH ORDINALITY AS e (event, n) ORDER BY n
"""  # one reply's session upsert and its events (in order), as one statement: a data-modifying WITH always runs


async def group_commit(conn) -> None:
    """Replies commit without waiting for their own WAL flush: PostgreSQL's WAL writer flushes them
    together within 3 × wal_writer_delay (600 ms by default). A bot process killed at any moment loses
    nothing committed; only a crash of the database server itself can lose that last window."""
    await conn.execute("SET synchronous_commit TO off")


class PgStore:
    """The PostgreSQL store; see `bot.running.state` for the interface it shares with the embedded one."""

    def __init__(self, url: str, *, session_days: int = SESSION_DAYS, retention_days: int = RETENTION_DAYS,
                 pool_size: int = 10):
        self.url, self.session_days, self.retention_days = url, session_days, retention_days
        size = max(pool_size, 1)
        self.pool = AsyncConnectionPool(url, min_size=min(size, WARM_CONNECTIONS), max_size=size, open=False,
                                        timeout=CONNECT_WAIT, kwargs={"autocommit": True}, configure=group_commit)
        self.sync_pool = ConnectionPool(url, min_size=1, max_size=2, open=False, timeout=CONNECT_WAIT,
                                        kwargs={"autocommit": True})
        self.salt, self.healthy = "", True

    async def open(self) -> PgStore:
        await self.pool.open(wait=True, timeout=30)
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            await conn.execute("CREATE TABLE IF NOT EXISTS bot_schema (version int NOT NULL)")
            row = await (await conn.execute("SELECT max(version) FROM bot_schema")).fetchone()
            for version in range((row[0] or 0) + 1, len(MIGRATIONS) + 1):
                await conn.execute(MIGRATIONS[version - 1])
                await conn.execute("INSERT INTO bot_schema VALUES (%s)", (version,))
                log.info("state schema migrated to version %d", version)
            await conn.execute("INSERT INTO bot_meta VALUES ('salt', %s) ON CONFLICT DO NOTHING", (secrets.token_hex(16),))
            self.salt = (await (await conn.execute("SELECT value FROM bot_meta WHERE key = 'salt'")).fetchone())[0]
        await asyncio.to_thread(self.sync_pool.open, True, 30)
        return self

    async def run(self, sql: str, params=(), fetch: bool = False):
        """One statement; `healthy` follows whether the database accepts writes."""
        try:
            async with self.pool.connection() as conn:
                cur = await conn.execute(sql, params)
                rows = await cur.fetchall() if fetch else None
        except Exception:
            self.healthy = False
            raise
        self.healthy = True
        return rows

    def chat_key(self, chat_id) -> str:
        return hash_chat(self.salt, chat_id)

    async def session(self, chat_id) -> dict:
        rows = await self.run("SELECT doc FROM bot_sessions WHERE chat = %s", (self.chat_key(chat_id),), fetch=True)
        return session_view(rows[0][0] if rows else None, self.session_days)

    async def save(self, chat_id, session: dict | None, events=(), channel: str = "telegram",
                   at: dt.datetime | None = None) -> None:
        """The reply's session (None: unchanged) and events: one statement (so one transaction and one round
        trip), committed on return."""
        key, when = self.chat_key(chat_id), at or now()
        records = [event_record(key, e, channel, when) for e in events]
        if session is None and not records:
            return
        doc = Jsonb(session_record(key, session, when)) if session is not None else None
        await self.run(SAVE, {"key": key, "doc": doc, "when": when, "events": Jsonb(records)})

    async def questions(self, since: dt.date | None = None) -> list[dict]:
        return await self.events("question", since)

    async def feedback(self, since: dt.date | None = None) -> list[dict]:
        return await self.events("feedback", since)

    async def events(self, kind: str, since: dt.date | None) -> list[dict]:
        start = dt.datetime.combine(since, dt.time(), dt.UTC) if since else dt.datetime.min.replace(tzinfo=dt.UTC)
        async with self.pool.connection() as conn, conn.transaction():
            cur = conn.cursor(name=f"read_{kind}")  # server side: rows arrive in chunks (streaming)
            await cur.execute("SELECT doc FROM bot_events WHERE kind = %s AND time >= %s ORDER BY id", (kind, start))
            return [row[0] async for row in cur]

    async def purge(self, retention_days: int, today: dt.date | None = None) -> int:
        """Blank the texts of the days before the retention period (kept: counts and procedures)."""
        before = dt.datetime.combine((today or now().date()) - dt.timedelta(days=retention_days), dt.time(),
                                     dt.UTC)
        rows = await self.run(
            "UPDATE bot_events SET doc = doc || jsonb_build_object(CASE kind WHEN 'question' THEN 'text' "
            "ELSE 'question' END, null) WHERE time < %s AND (doc->>'text' IS NOT NULL OR doc->>'question' IS NOT NULL) "
            "RETURNING 1", (before,), fetch=True)
        await self.run("DELETE FROM bot_sessions WHERE seen < %s", (now() - dt.timedelta(days=self.session_days),))
        await self.run("DELETE FROM bot_tickets WHERE status = 'closed' AND saved < %s",
                       (now() - dt.timedelta(days=self.retention_days),))
        return len(rows)

    # Desk tickets and outboxes: synchronous, as the desk (bot/running/desk.py) calls them; desk actions
    # are rare, so a round trip on a small blocking pool (about a millisecond) is accepted there.
    def sync_run(self, sql: str, params=(), fetch: bool = False):
        with self.sync_pool.connection() as conn:
            cur = conn.execute(sql, params)
            return cur.fetchall() if fetch else None

    def save_ticket(self, ticket: dict) -> None:
        record = ticket_record(ticket, now())
        self.sync_run("INSERT INTO bot_tickets (id, status, saved, doc) VALUES (%s, %s, %s, %s) ON CONFLICT (id) "
                      "DO UPDATE SET status = EXCLUDED.status, saved = EXCLUDED.saved, doc = EXCLUDED.doc",
                      (record["id"], record.get("status"), record["saved"], Jsonb(record)))

    def ticket(self, ticket_id: str) -> dict | None:
        rows = self.sync_run("SELECT doc FROM bot_tickets WHERE id = %s", (ticket_id,), fetch=True)
        return rows[0][0] if rows else None

    def tickets(self, status: str | None = None) -> list[dict]:
        closed_after = now() - dt.timedelta(days=self.retention_days)
        rows = self.sync_run("SELECT doc FROM bot_tickets WHERE (%(s)s::text IS NULL OR status = %(s)s) AND "
                             "(status IS DISTINCT FROM 'closed' OR saved >= %(t)s) ORDER BY saved",
                             {"s": status, "t": closed_after}, fetch=True)
        return [row[0] for row in rows]

    def push_outbox(self, chat_key: str, message: dict) -> None:
        self.sync_run("INSERT INTO bot_outbox (chat, doc) VALUES (%s, %s)", (chat_key, Jsonb(message)))

    def take_outbox(self, chat_key: str) -> list[dict]:
        rows = self.sync_run("DELETE FROM bot_outbox WHERE chat = %s RETURNING id, doc", (chat_key,), fetch=True)
        return [doc for _, doc in sorted(rows)]

    async def aclose(self) -> None:
        await self.pool.close()
        await asyncio.to_thread(self.sync_pool.close)

