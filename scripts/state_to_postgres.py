#!/usr/bin/env python3
"""Move a ward's embedded state into PostgreSQL, when it joins the province's shared store.

usage: .venv/bin/python scripts/state_to_postgres.py DATA_DIR postgresql://user:password@host/db

Stop the bot first (the folder's lock is checked), and copy before any worker starts on the database.
Copies sessions, questions and feedback, desk tickets and outboxes. The database must be new (no sessions
or questions yet): it then takes the folder's salt, so every citizen's session is found again under the
same chat. Prints what it copied.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from psycopg.types.json import Jsonb  # noqa: E402

from bot.running import files, snapshot  # noqa: E402
from bot.running.pgstore import PgStore  # noqa: E402
from bot.running.state import now_iso  # noqa: E402

BATCH = 5000
EPOCH = "1970-01-01T00:00:00+00:00"  # for a record without a time (it then counts in no day's figures)


def journal_records(folder: Path):
    days: dict[str, Path] = {}
    for path in sorted((folder / "journal").glob("*.jsonl")):
        if path.name.endswith(".notext.jsonl") or path.name[:10] not in days:
            days[path.name[:10]] = path
    for day in sorted(days):
        yield from files.read_json_lines(days[day])


async def copy(folder: Path, url: str) -> dict:
    lock = files.FolderLock(folder)  # refuses while the bot runs on the folder
    try:
        tables = snapshot.peek(folder)
        store = await PgStore(url).open()
        try:
            async with store.pool.connection() as conn, conn.transaction():
                used = await (await conn.execute(
                    "SELECT (SELECT count(*) FROM bot_sessions) + (SELECT count(*) FROM bot_events)")).fetchone()
                if used[0]:
                    raise SystemExit("The database already holds state: copy into a new database only.")
                await conn.execute("UPDATE bot_meta SET value = %s WHERE key = 'salt'", (tables.meta["salt"],))
                async with conn.cursor() as cur:
                    await insert_tables(cur, tables)
                    events = await insert_events(cur, folder)
            async with store.pool.connection() as conn:  # outside the transaction (VACUUM cannot run in one)
                await conn.execute("VACUUM ANALYZE")  # now, not as an autovacuum storm under the first day's load
        finally:
            await store.aclose()
    finally:
        lock.release()
    return {"sessions": len(tables.sessions), "tickets": len(tables.tickets), "events": events,
            "outbox": sum(map(len, tables.outbox.values()))}


async def insert_tables(cur, tables: snapshot.Tables) -> None:
    await cur.executemany("INSERT INTO bot_sessions (chat, doc, seen) VALUES (%s, %s, %s)",
                          [(k, Jsonb(d), d["seen"]) for k, d in tables.sessions.items() if d.get("seen")])
    await cur.executemany("INSERT INTO bot_tickets (id, status, saved, doc) VALUES (%s, %s, %s, %s)",
                          [(k, d.get("status"), d.get("saved") or now_iso(), Jsonb(d)) for k, d in tables.tickets.items()])
    await cur.executemany("INSERT INTO bot_outbox (chat, doc) VALUES (%s, %s)",
                          [(k, Jsonb(m)) for k, ms in tables.outbox.items() for m in ms])


async def insert_events(cur, folder: Path) -> int:
    """The journal, day by day, in batches (never the whole history in memory)."""
    count, batch = 0, []
    for record in journal_records(folder):
        batch.append((record.get("kind", "question"), record.get("time") or EPOCH, Jsonb(record)))
        if len(batch) >= BATCH:
            await cur.executemany("INSERT INTO bot_events (kind, time, doc) VALUES (%s, %s, %s)", batch)
            count, batch = count + len(batch), []
    await cur.executemany("INSERT INTO bot_events (kind, time, doc) VALUES (%s, %s, %s)", batch)
    return count + len(batch)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    counts = asyncio.run(copy(Path(sys.argv[1]), sys.argv[2]))
    print(", ".join(f"{n} {what}" for what, n in counts.items()) + " copied.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
