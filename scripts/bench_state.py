#!/usr/bin/env python3
"""Benchmark the state: the work of one reply at 0 / 100k / 1M stored questions, and the webhook end to end.

usage: .venv/bin/python scripts/bench_state.py [--sizes 0,100000,1000000] [--replies 2000] [--no-postgres]
           [--only replies|e2e] [--e2e-rate 300,50] [--e2e-seconds 10] [--e2e-burst 3000] [--e2e-workers 2]

1. State work of one reply, as a reply does it: read the chat's session, then save the changed session
   and one question event (one batch), sequentially, for `--replies` replies; p50/p99 per reply.
   Stores: the landed TinyDB store (commit 55a1eca, loaded from git; at most 5 replies above 10k, not
   run at 1M: its file would be ~330 MB and each reply ~10 × the 100k time), the embedded store, and
   PostgreSQL (a fresh database on BOT_TEST_DATABASE_URL's server, see tests/helpers/postgres.py).
   The stores are filled directly (journal files, SQL) with questions spread over 90 days and one
   session per five questions (at most 100,000).
2. Webhook end to end with 100,000 questions stored: the bot in its own process (this script with
   --serve: the real Telegram Application, webhook mode, no API rate limiter), the fake Bot API and the
   load in this one. Steady: each `--e2e-rate` (updates a second) for `--e2e-seconds`; burst: `--e2e-burst`
   updates, 40 at a time (Telegram's default max_connections). Latency: from posting the update to
   the bot's first message to that chat reaching the fake API. PostgreSQL also with `--e2e-workers`
   bot processes on one database, the updates spread over them as a reverse proxy would.
   The harness is the lean one of scripts/bench_wire.py (a plain-asyncio fake Bot API and load generator):
   in production neither Telegram's servers nor the load run on the bot's machine, so the harness is made
   as cheap as possible for the machine's two cores to measure the bot's own cost. CPU per update: the bot
   processes, this harness process, the whole machine. The tests keep the validating FakeBotAPI.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "scripts")]

from bench_wire import LeanBotAPI, post_updates

from bot.running.state import encode, event_record, hash_chat, session_record

OLD_COMMIT = "55a1eca"  # the store the issue measured: one state.json rewritten per reply
UTC = dt.UTC
QUESTIONS = ("làm giấy khai sinh cho con cần gì", "đăng ký kết hôn cần giấy tờ gì", "phí làm căn cước bao nhiêu",
             "sổ đỏ", "xin chào", "tra cứu hồ sơ 000.00.23.H10-250703-0005", "đăng ký thường trú ở đâu",
             "làm hộ chiếu mất bao lâu", "chứng thực bản sao", "giấy xác nhận tình trạng hôn nhân",
             "cấp lại thẻ bảo hiểm y tế", "đăng ký hộ kinh doanh", "asdfgh qwerty", "trung tâm hành chính công ở đâu")
EVENT = {"question": "làm giấy khai sinh cho con cần gì", "intent": "procedure", "procedure": "ho-tich/khai-sinh",
         "score": 0.91}


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def fake_records(n: int, salt: str):
    now = dt.datetime.now(UTC)
    for i in range(n):
        when = now - dt.timedelta(days=i % 90, seconds=i % 86400)
        yield event_record(hash_chat(salt, 10_000_000 + i % max(n // 5, 1)), {**EVENT, "question": f"câu hỏi {i}"},
                           "telegram", when)


# ---- 1. the work of one reply ------------------------------------------------------------------------

def old_store_class():
    source = subprocess.run(["git", "show", f"{OLD_COMMIT}:bot/running/state.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("old_state")
    exec(compile(source, "old_state.py", "exec"), module.__dict__)  # noqa: S102 - our own file at a known commit
    return module.StateStore


def bench_old(n: int, replies: int) -> dict:
    store_class = old_store_class()
    with tempfile.TemporaryDirectory() as folder:
        salt = "0" * 32
        data = {"meta": {"1": {"salt": salt, "created": "2026-01-01T00:00:00+00:00"}}, "sessions": {}, "feedback": {},
                "questions": {str(i): {k: v for k, v in r.items() if k != "kind"}
                              for i, r in enumerate(fake_records(n, salt), 1)}}
        (Path(folder) / "state.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        del data
        store = store_class(folder)
        times = []
        for i in range(replies):
            start = time.perf_counter()
            session = store.session(i)
            with store.batch():
                store.save_session(i, {**session, "last": "ho-tich/khai-sinh"})
                store.record(i, EVENT)
            times.append((time.perf_counter() - start) * 1000)
        size = (Path(folder) / "state.json").stat().st_size
    return {"times": times, "bytes": size}


def fill_embedded(folder: Path, n: int) -> None:
    salt = "1" * 32
    by_day: dict[str, list[str]] = {}
    for record in fake_records(n, salt):
        by_day.setdefault(record["time"][:10], []).append(encode(record))
    (folder / "journal").mkdir(parents=True)
    for day, lines in by_day.items():
        (folder / "journal" / f"{day}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    now = dt.datetime.now(UTC)
    sessions = {str(i): session_record(hash_chat(salt, 10_000_000 + i), {"ward": "phường Kinh Bắc", "last": "x"}, now)
                for i in range(min(n // 5, 100_000))}
    meta = {"salt": salt, "created": now.isoformat(), "generation": 0}
    (folder / "state.json").write_text(encode({"meta": {"1": meta}, "sessions": sessions}), encoding="utf-8")


async def time_replies(store, replies: int) -> list[float]:
    times = []
    for i in range(replies):
        start = time.perf_counter()
        session = await store.session(i)
        await store.save(i, {**session, "last": "ho-tich/khai-sinh"}, [EVENT])
        times.append((time.perf_counter() - start) * 1000)
    return times


async def bench_embedded(n: int, replies: int) -> dict:
    from bot.running.journal import StateStore

    with tempfile.TemporaryDirectory() as folder:
        fill_embedded(Path(folder), n)
        store = StateStore(folder)
        times = await time_replies(store, replies)
        store.close()
        size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    return {"times": times, "bytes": size}


FILL_SQL = """
INSERT INTO bot_events (kind, time, doc)
SELECT 'question', t, jsonb_build_object('kind', 'question', 'chat', left(md5((i %% CHATS)::text), 24),
       'time', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS+00:00'), 'channel', 'telegram',
       'text', 'câu hỏi ' || i, 'intent', 'procedure', 'procedure', 'ho-tich/khai-sinh', 'score', 0.91,
       'answered', true, 'unanswered', false, 'low_confidence', false, 'picked', false)
FROM (SELECT i, now() - (i %% 90) * interval '1 day' - (i %% 86400) * interval '1 second' AS t
      FROM generate_series(1, %(n)s) AS i) AS g
;;
INSERT INTO bot_sessions (chat, doc, seen)
SELECT left(md5(('s' || i)::text), 24), jsonb_build_object('ward', 'phường Kinh Bắc', 'seen', now()::text), now()
FROM generate_series(1, %(sessions)s) AS i
"""


async def fill_postgres(conn, n: int, chats: int, sessions: int) -> None:
    events, session_rows = FILL_SQL.replace("CHATS", str(max(chats, 1))).split(";;")
    await conn.execute(events, {"n": n})
    await conn.execute(session_rows, {"sessions": sessions})
    await conn.execute("VACUUM ANALYZE")  # as after a restore: autovacuum does not start mid-measurement


async def bench_postgres(n: int, replies: int) -> dict:
    from helpers.postgres import fresh_database

    from bot.running.pgstore import PgStore

    with fresh_database() as url:
        store = await PgStore(url).open()
        async with store.pool.connection() as conn:
            await fill_postgres(conn, n, n // 5, min(n // 5, 100_000))
            await conn.execute("VACUUM ANALYZE bot_events")
        times = await time_replies(store, replies)
        async with store.pool.connection() as conn:
            size = (await (await conn.execute("SELECT pg_database_size(current_database())")).fetchone())[0]
        await store.aclose()
    return {"times": times, "bytes": size}


def reply_rows(args) -> list[str]:
    rows = ["| store | questions stored | stored size | replies timed | p50 per reply | p99 per reply |",
            "|---|---:|---:|---:|---:|---:|"]
    for n in args.sizes:
        runs = []
        if n <= 100_000:
            runs.append(("landed: one TinyDB state.json", lambda n=n: bench_old(n, args.replies if n <= 10_000 else 5)))
        runs.append(("embedded: memory + snapshot/log + daily journal",
                     lambda n=n: asyncio.run(bench_embedded(n, args.replies))))
        if not args.no_postgres:
            runs.append(("PostgreSQL (psycopg 3 async pool)", lambda n=n: asyncio.run(bench_postgres(n, args.replies))))
        for name, work in runs:
            r = work()
            rows.append(f"| {name} | {n:,} | {r['bytes'] / 1e6:,.1f} MB | {len(r['times'])} | "
                        f"{statistics.median(r['times']):.2f} ms | {pct(r['times'], 0.99):.2f} ms |")
            print(rows[-1], file=sys.stderr, flush=True)
    return rows


# ---- 2. webhook end to end ---------------------------------------------------------------------------

async def serve() -> None:
    """The bot process: the real Telegram channel in webhook mode, without the API rate limiter."""
    from bot.answering.conversation import Assistant
    from bot.channels.telegram.app import start_telegram
    from bot.knowledge.loader import load_knowledge
    from bot.running.memory import settle
    from bot.running.settings import load_settings
    from bot.running.state import open_store

    settings = load_settings()
    store = open_store(settings)
    if hasattr(store, "open"):
        await store.open()
    handle = await start_telegram(settings, Assistant(load_knowledge(settings.bot_knowledge_dir)), store,
                                  api_rate_limit=False)
    settle()  # as the runner does once the channels are up (bot/running/memory.py)
    print("ready", handle.webhook_addresses[0][1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the parent closes stdin
    await handle.stop()
    await store.aclose()


def update_body(chat: int) -> bytes:
    """The update Telegram would post for a text from private chat `chat` (update_id and message_id: the chat)."""
    person = {"id": chat, "is_bot": False, "first_name": "Lan", "language_code": "vi"}
    message = {"message_id": chat, "date": int(time.time()), "chat": {"id": chat, "type": "private", "first_name": "Lan"},
               "from": person, "text": QUESTIONS[chat % len(QUESTIONS)]}
    return json.dumps({"update_id": chat, "message": message}, ensure_ascii=False).encode()


async def load(api, endpoints: list[str], secret: str, updates: list[tuple[float, int]], concurrency: int) -> dict:
    """Post each update at its planned moment (or as soon as one of `concurrency` slots is free), spreading
    them over the workers' endpoints as a reverse proxy would."""
    first: dict[int, float] = {}
    start, mark = time.monotonic(), len(api.sent)
    posted, failed = await post_updates(endpoints, secret, updates, concurrency, update_body, start)
    for chat, at in api.sent[mark:]:
        first.setdefault(chat, at)
    latencies = [(first[c] - posted[c]) * 1000 for c in posted if c in first]
    elapsed = max(first.values()) - start
    return {"n": len(updates), "answered": len(latencies), "seconds": elapsed, "rate": len(latencies) / elapsed,
            "p50": statistics.median(latencies), "p99": pct(latencies, 0.99), "failed": failed}


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, all processes, the kernel): /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # minus idle and iowait


def cpu_seconds(processes) -> float:
    """User + system CPU the bot processes have used so far (Linux /proc)."""
    total = 0
    for process in processes:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def end_to_end(kind: str, env: dict, args, workers: int = 1) -> list[dict]:
    api = await LeanBotAPI().start()
    secret = "bench-secret-token"
    env = {**os.environ, **env, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
           "TELEGRAM_WEBHOOK_URL": "https://bot.example/hook", "TELEGRAM_WEBHOOK_PORT": "0",
           "TELEGRAM_WEBHOOK_SECRET": secret, "BOT_RATE_LIMIT_PER_MINUTE": "0", "BOT_LOG_LEVEL": "WARNING"}
    bots = [await asyncio.create_subprocess_exec(sys.executable, __file__, "--serve", env=env, stdin=subprocess.PIPE,
                                                 stdout=subprocess.PIPE) for _ in range(workers)]
    try:
        endpoint = []
        for bot in bots:
            line = (await bot.stdout.readline()).decode().split()
            assert line[:1] == ["ready"], f"a bot process did not start ({line})"
            endpoint.append(f"http://127.0.0.1:{line[1]}/hook")
        kind += f", {workers} worker{'s' if workers > 1 else ''}"
        if args.e2e_warmup > 0:  # not measured: connections opened, code paths and caches warm, as in a running bot
            await load(api, endpoint, secret, [(i / 100, 8_000_000 + i) for i in range(int(100 * args.e2e_warmup))], 200)
        plans = [(f"steady {rate:g}/s", [(i / rate, 1_000_000 * (n + 1) + i) for i in range(int(rate * args.e2e_seconds))],
                  200) for n, rate in enumerate(args.e2e_rate)]
        plans.append(("burst, 40 at a time", [(0.0, 9_000_000 + i) for i in range(args.e2e_burst)], 40))
        results = []
        for name, updates, concurrency in plans:
            cpu, own, busy, errors = cpu_seconds(bots), time.process_time(), machine_busy(), api.errors
            result = await load(api, endpoint, secret, updates, concurrency)
            result["cpu"] = (cpu_seconds(bots) - cpu) * 1000 / len(updates)
            result["harness"] = (time.process_time() - own) * 1000 / len(updates)
            result["machine"] = (machine_busy() - busy) * 1000 / len(updates)
            result["errors"] = api.errors - errors  # Bot API calls the lean fake could not answer
            results.append({"name": f"{kind}: {name}", **result})
        return results
    finally:
        for bot in bots:
            bot.stdin.close()
            await bot.wait()
        await api.stop()


def e2e_rows(args) -> list[str]:
    rows = [("| store, load | updates | answered | seconds | updates/s | p50 | p99 | bot CPU per update "
             "| harness CPU per update | machine CPU per update | webhook non-200 |"),
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    runs = [("embedded", None)] + ([] if args.no_postgres else [("PostgreSQL", "pg")])
    for kind, backend in runs:
        if backend is None:
            with tempfile.TemporaryDirectory() as folder:
                fill_embedded(Path(folder), 100_000)
                results = asyncio.run(end_to_end(kind, {"BOT_DATA_DIR": folder}, args))
        else:
            results = asyncio.run(e2e_postgres(kind, args, 1)) + asyncio.run(e2e_postgres(kind, args, args.e2e_workers))
        for r in results:
            rows.append(f"| {r['name']} | {r['n']:,} | {r['answered']:,} | {r['seconds']:.1f} | {r['rate']:.0f} | "
                        f"{r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['cpu']:.2f} ms | {r['harness']:.2f} ms | {r['machine']:.2f} ms | {r['failed']} |")
            print(rows[-1], file=sys.stderr, flush=True)
            if r["errors"]:
                print(f"  {r['name']}: {r['errors']} Bot API calls the fake could not answer", file=sys.stderr)
    return rows


async def e2e_postgres(kind: str, args, workers: int) -> list[dict]:
    from helpers.postgres import fresh_database

    from bot.running.pgstore import PgStore

    with fresh_database() as url:
        store = await PgStore(url).open()
        async with store.pool.connection() as conn:
            await fill_postgres(conn, 100_000, 20_000, 20_000)
        await store.aclose()
        return await end_to_end(kind, {"BOT_STATE_URL": url}, args, workers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", default="0,100000,1000000", help="stored questions (default 0,100000,1000000)")
    parser.add_argument("--replies", type=int, default=2000, help="replies timed per store and size (default 2000)")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL store")
    parser.add_argument("--only", choices=("replies", "e2e"), help="run one part only")
    parser.add_argument("--e2e-rate", default="300,50", help="steady rates, updates per second (default 300,50)")
    parser.add_argument("--e2e-seconds", type=float, default=10, help="seconds of steady load (default 10)")
    parser.add_argument("--e2e-warmup", type=float, default=2, help="seconds at 100 updates/s before measuring (default 2)")
    parser.add_argument("--e2e-workers", type=int, default=2, help="bot processes sharing PostgreSQL (default 2)")
    parser.add_argument("--e2e-burst", type=int, default=3000, help="updates in the burst (default 3000)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return 0
    args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    args.e2e_rate = [float(x) for x in args.e2e_rate.split(",") if x.strip()]
    if args.only != "e2e":
        print("\n".join(reply_rows(args)) + "\n")
    if args.only != "replies":
        print("\n".join(e2e_rows(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
