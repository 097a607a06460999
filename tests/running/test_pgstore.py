"""The shared store on a real PostgreSQL server (see tests/helpers/postgres.py): the interface, the schema,
desk tickets and outboxes seen from two stores, and two bot processes sharing one citizen's conversation."""
import asyncio
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from helpers.postgres import fresh_database

from bot.running.pgstore import PgStore

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC
CHAT = 5550001234567


@pytest.fixture
def pg_url():
    with fresh_database() as url:
        yield url


async def opened(url, **kw) -> PgStore:
    return await PgStore(url, **kw).open()


def asked(text, **extra):
    return {"question": text, "intent": "procedure", "procedure": "ho-tich/khai-sinh", "score": 0.9, **extra}


async def test_sessions_and_events_through_the_interface(pg_url):
    store = await opened(pg_url)
    try:
        await store.save(CHAT, {"ward": "phường Kinh Bắc", "last": "ho-tich/khai-sinh", "_transient": 1},
                         [asked("làm giấy khai sinh"), {"feedback": "up", "procedure": "ho-tich/khai-sinh"}])
        await store.save(CHAT, None, [asked("khai sinh \ud800 \x00")], channel="web")  # unencodable: replaced
        await store.save(7, {"ward": "xã Đông Tiến"}, [asked("cũ")], at=dt.datetime(2026, 1, 5, tzinfo=UTC))
        assert await store.session(CHAT) == {"ward": "phường Kinh Bắc", "last": "ho-tich/khai-sinh"}
        assert await store.session(999) == {}
        texts = [(q["text"], q["channel"], q["answered"]) for q in await store.questions()]
        assert texts == [("làm giấy khai sinh", "telegram", True), ("khai sinh \ufffd  ", "web", True),
                         ("cũ", "telegram", True)]
        assert [q["text"] for q in await store.questions(dt.date(2026, 2, 1))] == ["làm giấy khai sinh", "khai sinh \ufffd  "]
        assert [f["vote"] for f in await store.feedback()] == ["up"]
        assert await store.session(7) == {}  # idle for more than BOT_SESSION_DAYS
        assert await store.purge(90) == 1 and await store.purge(90) == 0
        assert [q["text"] for q in await store.questions()][-1] is None
        assert store.healthy and str(CHAT) not in json.dumps(await store.questions())
    finally:
        await store.aclose()


async def test_one_statement_saves_a_session_alone_replaces_it_and_keeps_events_in_order(pg_url):
    store = await opened(pg_url)
    try:
        await store.save(CHAT, {"ward": "phường Kinh Bắc"})  # no events
        await store.save(CHAT, {"ward": "phường Võ Cường", "last": "ho-tich/ket-hon"})  # the upsert replaces it
        await store.save(CHAT, None, [asked(f"câu {n}") for n in range(5)])  # no session change, five events
        await store.save(CHAT, None, [])  # nothing to write
        assert await store.session(CHAT) == {"ward": "phường Võ Cường", "last": "ho-tich/ket-hon"}
        assert [q["text"] for q in await store.questions()] == [f"câu {n}" for n in range(5)]
    finally:
        await store.aclose()


async def test_workers_starting_together_create_the_schema_once_and_share_the_salt(pg_url):
    stores = await asyncio.gather(*(opened(pg_url) for _ in range(3)))
    try:
        assert len({s.salt for s in stores}) == 1 and len(stores[0].salt) == 32
        async with stores[0].pool.connection() as conn:
            versions = await (await conn.execute("SELECT version FROM bot_schema")).fetchall()
        assert versions == [(1,)]
    finally:
        for s in stores:
            await s.aclose()
    again = await opened(pg_url)  # a restart migrates nothing and keeps the salt
    assert again.salt == stores[0].salt
    await again.aclose()


async def test_tickets_and_outboxes_are_shared_by_two_stores(pg_url):
    one, two = await opened(pg_url, retention_days=90), await opened(pg_url, retention_days=90)
    try:
        one.save_ticket({"id": "AB2CD", "status": "open", "turns": ["Công dân: ..."]})
        ticket = two.ticket("AB2CD")
        assert ticket["status"] == "open" and ticket["turns"] == ["Công dân: ..."]
        two.save_ticket({**ticket, "status": "closed"})
        one.save_ticket({"id": "ZZ9YY", "status": "open"})
        assert [t["id"] for t in one.tickets("closed")] == ["AB2CD"] and len(one.tickets()) == 2
        assert one.ticket("nope") is None
        one.push_outbox("web-key", {"text": "một"})
        two.push_outbox("web-key", {"text": "hai"})
        assert [m["text"] for m in two.take_outbox("web-key")] == ["một", "hai"]
        assert one.take_outbox("web-key") == []  # taken once, by whichever worker the page reached
    finally:
        await one.aclose()
        await two.aclose()
    later = await opened(pg_url, retention_days=0)  # closed tickets go after the retention period
    try:
        assert [t["id"] for t in later.tickets()] == ["ZZ9YY"]
    finally:
        await later.aclose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_worker(url: str, data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", "ZALO_"))}
    env.update(BOT_STATE_URL=url, BOT_DATA_DIR=str(data_dir), BOT_WEB_PORT=str(port), BOT_RELOAD_SECONDS="0",
               PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-telegram"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ask(port: int, sid: str, question: str) -> dict:
    body = json.dumps({"q": question, "session": sid}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.load(resp)


def test_two_bot_processes_share_one_citizens_conversation(pg_url, tmp_path):
    ports = free_port(), free_port()
    workers = [start_worker(pg_url, tmp_path, port) for port in ports]  # one data folder too: no lock with PostgreSQL
    try:
        for worker, port in zip(workers, ports):
            line = worker.stdout.readline()
            assert line.strip() == f"Web chat: http://127.0.0.1:{port}/", worker.stderr.read()
        a, b = ports
        sid = "citizen-lan-0001"
        assert ask(a, sid, "làm giấy khai sinh cho con")["title"] == "Đăng ký khai sinh"
        follow_up = ask(b, sid, "lệ phí bao nhiêu")  # the second process knows the procedure chosen on the first
        assert follow_up["kind"] == "procedure" and follow_up["title"] == "Đăng ký khai sinh"
        assert ask(a, "someone-else-0002", "lệ phí bao nhiêu")["kind"] == "clarify"  # without history: which one?
        assert ask(b, sid, "đăng ký kết hôn")["title"].startswith("Đăng ký kết hôn")
        assert ask(a, sid, "cần giấy tờ gì")["title"].startswith("Đăng ký kết hôn")  # and back again
    finally:
        for worker in workers:
            worker.terminate()
        codes = [worker.wait(timeout=30) for worker in workers]
    assert codes == [0, 0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    report = subprocess.run([sys.executable, "-m", "bot", "report", "--days", "1"], cwd=ROOT, capture_output=True, check=False,
                            text=True, env={**env, "BOT_STATE_URL": pg_url}, timeout=120)
    assert report.returncode == 0 and "Câu hỏi hôm nay: 5" in report.stdout, report.stderr  # both workers' questions


async def test_a_database_outage_costs_the_history_not_the_answer(pg_url, knowledge):
    """The web chat on PostgreSQL: when the database goes away the citizen still gets answers (without
    history), /healthz says 503; nothing hangs longer than the pool's wait."""
    import psycopg
    from aiohttp.test_utils import TestClient, TestServer
    from helpers.postgres import server_url

    from bot.answering.conversation import Assistant
    from bot.channels.web.app import build_web_app
    from bot.running.settings import load_settings

    store = await opened(pg_url)
    settings = load_settings({}).replace(bot_rate_limit_per_minute=1000)
    async with TestClient(TestServer(build_web_app(settings, Assistant(knowledge), store))) as client:
        first = await (await client.post("/api/ask", json={"q": "làm giấy khai sinh", "session": "outage-0001"})).json()
        assert first["title"] == "Đăng ký khai sinh" and (await client.get("/healthz")).status == 200
        with psycopg.connect(server_url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{pg_url.rsplit("/", 1)[1]}" WITH (FORCE)')
        answer = await client.post("/api/ask", json={"q": "đăng ký kết hôn", "session": "outage-0001"})
        assert answer.status == 200 and (await answer.json())["title"].startswith("Đăng ký kết hôn")
        health = await client.get("/healthz")
        assert health.status == 503 and (await health.json())["status"] == "state not writable"
    await store.aclose()


async def test_a_database_outage_costs_a_zalo_citizen_the_history_not_the_answer(pg_url, knowledge, tmp_path):
    """Zalo on PostgreSQL, as the web chat above: the session cannot be read, the question is still answered."""
    import psycopg
    from helpers.fake_zalo_api import Chat, FakeZaloAPI
    from helpers.postgres import server_url
    from helpers.zalo_fixtures import zalo_settings

    from bot.answering.conversation import Assistant
    from bot.channels.zalo.app import start_zalo

    store, api = await opened(pg_url), await FakeZaloAPI().start()
    channel = await start_zalo(zalo_settings(api, tmp_path), Assistant(knowledge), store, backoff=0.01)
    try:
        lan = Chat(api, channel, "zl-outage-1")
        assert (await lan.says("làm giấy khai sinh")).text.startswith("Đăng ký khai sinh")
        with psycopg.connect(server_url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{pg_url.rsplit("/", 1)[1]}" WITH (FORCE)')
        assert (await lan.says("đăng ký kết hôn")).text.startswith("Đăng ký kết hôn")  # not the apology
        assert not store.healthy
    finally:
        await channel.stop()
        await api.stop()
        await store.aclose()


async def test_a_wards_embedded_state_moves_into_postgresql(pg_url, tmp_path):
    from bot.running.journal import StateStore

    folder = tmp_path / "ward"
    embedded = StateStore(folder)
    await embedded.save(CHAT, {"ward": "phường Kinh Bắc", "last": "ho-tich/khai-sinh"}, [asked("làm giấy khai sinh")])
    await embedded.save(8, None, [asked("cũ")], at=dt.datetime(2026, 3, 1, tzinfo=UTC))
    embedded.save_ticket({"id": "AB2CD", "status": "open"})
    embedded.push_outbox("web-key", {"text": "một"})

    def move():
        return subprocess.run([sys.executable, "scripts/state_to_postgres.py", str(folder), pg_url], cwd=ROOT,
                              capture_output=True, text=True, check=False, timeout=120)

    busy = move()  # not while a bot runs on the folder
    assert busy.returncode == 1 and "in use by another bot process" in busy.stderr
    embedded.close()
    done = move()
    assert done.returncode == 0 and "1 sessions, 1 tickets, 2 events, 1 outbox copied." in done.stdout, done.stderr
    store = await opened(pg_url)
    try:
        assert await store.session(CHAT) == {"ward": "phường Kinh Bắc", "last": "ho-tich/khai-sinh"}  # same chat, same salt
        assert [q["text"] for q in await store.questions()] == ["cũ", "làm giấy khai sinh"]
        assert store.ticket("AB2CD")["status"] == "open" and store.take_outbox("web-key") == [{"text": "một"}]
        async with store.pool.connection() as conn:  # vacuumed and analysed now, not by autovacuum under load
            row = await (await conn.execute("SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
                                            "FROM pg_stat_user_tables WHERE relname = 'bot_events'")).fetchone()
        assert row == (True,)
    finally:
        await store.aclose()
    again = move()  # never into a database that already holds state
    assert again.returncode == 1 and "already holds state" in again.stderr
