"""The embedded store: real files in temporary folders, real processes killed mid-stream, a real lock."""
import asyncio
import datetime as dt
import json
import logging
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.running.journal import StateStore
from bot.running.state import StateLocked

ROOT = Path(__file__).resolve().parents[2]
CHAT = 5550001234567
UTC = dt.UTC
WRITER = """
import asyncio, sys
from bot.running.journal import StateStore

async def main():
    store, run, i = StateStore(sys.argv[1]), sys.argv[2], 0
    while True:  # ten replies at a time, as concurrent chats give them; each acknowledged when save returns
        batch = range(i, i + 10)
        await asyncio.gather(*(store.save(9000 + n % 7, {"ward": f"{n}", "last": "ho-tich/khai-sinh"},
                                          [{"question": f"{run} câu hỏi số {n} " + "x" * 200, "intent": "procedure"}])
                               for n in batch))
        print(" ".join(map(str, batch)), flush=True)
        i += 10

asyncio.run(main())
"""


def run(coro):
    return asyncio.run(coro)


def reply(store, chat, session=None, events=(), **kw):
    run(store.save(chat, session, list(events), **kw))


def asked(text, **extra):
    return {"question": text, "intent": "procedure", "procedure": "ho-tich/khai-sinh", "score": 0.9, **extra}


def test_sessions_survive_a_new_store_on_the_same_folder(tmp_path):
    store = StateStore(tmp_path)
    reply(store, CHAT, {"ward": "phường Kinh Bắc", "language": "vi", "last": "ho-tich/khai-sinh",
                        "pending": ["a", "b"], "_transient": 1})
    # a key the session dropped (pending, or "awaiting" popped by the core) must not come back
    reply(store, CHAT, {"ward": "phường Võ Cường", "language": "en", "last": "cu-tru/tam-tru", "topic": "fee"})
    reply(store, 42, {"ward": "xã Đông Tiến"})
    reply(store, 43, None, [asked("a question, the session unchanged")])
    salt = store.salt
    store.close()

    again = StateStore(tmp_path)
    assert run(again.session(CHAT)) == {"ward": "phường Võ Cường", "language": "en", "last": "cu-tru/tam-tru",
                                        "topic": "fee"}  # a key the core added later is kept too
    assert run(again.session(42)) == {"ward": "xã Đông Tiến"} and run(again.session(43)) == {}
    assert run(again.session(777)) == {}
    assert again.salt == salt and len(again.tables.sessions) == 2
    again.close()


def test_a_second_process_on_the_same_folder_refuses_to_start(tmp_path):
    store = StateStore(tmp_path)
    with pytest.raises(StateLocked, match="in use by another bot process.*BOT_STATE_URL"):
        StateStore(tmp_path)
    other = subprocess.run([sys.executable, "-m", "bot", "run", "--no-telegram"], capture_output=True, text=True, check=False,
                           cwd=ROOT, env={**os.environ, "BOT_DATA_DIR": str(tmp_path), "BOT_WEB_PORT": "0"}, timeout=120)
    assert other.returncode == 1 and f"The data folder {tmp_path} is in use by another bot process" in other.stderr
    assert str(os.getpid()) in other.stderr  # names the process holding it
    store.close()
    StateStore(tmp_path).close()  # released: the next one may start


def test_chat_ids_never_appear_in_clear(tmp_path):
    store = StateStore(tmp_path, compact_after=1)  # the snapshot is rewritten too
    reply(store, CHAT, {"ward": "phường Kinh Bắc"}, [asked("làm giấy khai sinh"),
                                                      {"feedback": "up", "procedure": "ho-tich/khai-sinh"}])
    time.sleep(0.1)
    stored = "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*") if p.is_file())
    assert str(CHAT) not in stored and store.chat_key(CHAT) in stored and len(store.chat_key(CHAT)) == 24
    other = StateStore(tmp_path / "other")  # the salt is per folder
    assert other.chat_key(CHAT) != store.chat_key(CHAT)
    other.close()
    store.close()


def test_records_keep_what_the_statistics_need(tmp_path):
    store = StateStore(tmp_path)
    reply(store, 1, None, [asked("làm giấy khai sinh"), {"question": "abc xyz", "intent": "none", "unanswered": True},
                           {"question": "đăng ký", "intent": "procedure", "score": 0.4, "low_confidence": True},
                           {"intent": "procedure", "procedure": "cu-tru/tam-tru", "picked": True},
                           {"feedback": "down", "procedure": "cu-tru/tam-tru", "question": "tạm trú"}], channel="web")
    answered = [(q["text"], q["answered"], q["picked"], q["channel"]) for q in run(store.questions())]
    assert answered == [("làm giấy khai sinh", True, False, "web"), ("abc xyz", False, False, "web"),
                        ("đăng ký", False, False, "web"), (None, True, True, "web")]
    assert [(f["vote"], f["procedure"]) for f in run(store.feedback())] == [("down", "cu-tru/tam-tru")]
    store.close()


def test_questions_are_read_only_from_the_days_asked_for(tmp_path):
    store = StateStore(tmp_path)
    for day in (1, 15, 29):
        reply(store, 1, None, [asked(f"ngày {day}")], at=dt.datetime(2026, 11, day, 3, tzinfo=UTC))
    assert sorted(p.name for p in (tmp_path / "journal").iterdir()) == [
        "2026-11-01.jsonl", "2026-11-15.jsonl", "2026-11-29.jsonl"]
    assert [q["text"] for q in run(store.questions(dt.date(2026, 11, 15)))] == ["ngày 15", "ngày 29"]
    assert len(run(store.questions())) == 3
    store.close()


def test_cost_per_reply_does_not_grow_with_history(tmp_path):
    """A reply appends its own lines; nothing it writes depends on what is already stored."""
    store = StateStore(tmp_path, compact_after=10**9)
    snapshot, log = tmp_path / "state.json", tmp_path / "state.1.log"
    snapshot_bytes = snapshot.read_bytes()

    def one_reply_grows(n: int) -> tuple[int, int]:
        day = tmp_path / "journal" / f"{dt.date.today():%Y-%m-%d}.jsonl"
        before = (log.stat().st_size if log.exists() else 0, day.stat().st_size if day.exists() else 0)
        reply(store, n, {"ward": "phường Kinh Bắc"}, [asked("làm giấy khai sinh")], at=dt.datetime.now(UTC).replace(microsecond=0))
        return log.stat().st_size - before[0], day.stat().st_size - before[1]

    first = one_reply_grows(10**6)
    async def many():
        await asyncio.gather(*(store.save(n, {"ward": "x"}, [asked("q" * 50)]) for n in range(3000)))

    run(many())
    assert one_reply_grows(10**6 + 1) == first  # the same bytes after 3,000 more replies
    assert snapshot.read_bytes() == snapshot_bytes  # the snapshot is not rewritten per reply
    store.close()


def test_compaction_writes_a_new_snapshot_and_drops_the_old_log(tmp_path):
    store = StateStore(tmp_path, compact_after=50)
    for n in range(120):
        reply(store, n % 30, {"ward": f"phường {n}"})
    store.close()
    logs = list(tmp_path.glob("state.*.log"))
    generation = json.loads((tmp_path / "state.json").read_text())["meta"]["1"]["generation"]
    assert generation >= 3 and all(p.name == f"state.{generation}.log" for p in logs)
    again = StateStore(tmp_path)
    assert {n: run(again.session(n))["ward"] for n in range(30)} == {n: f"phường {n + 90}" for n in range(30)}
    again.close()


def test_the_snapshot_is_a_tinydb_file_staff_can_open(tmp_path):
    """state.json keeps TinyDB's layout, so `TinyDB("state.json")` is a way to look inside (README, State)."""
    from tinydb import TinyDB

    store = StateStore(tmp_path, compact_after=10)
    for n in range(25):
        reply(store, n, {"ward": "phường Kinh Bắc", "last": "ho-tich/khai-sinh"})
    store.close()
    with TinyDB(tmp_path / "state.json", access_mode="r") as db:
        sessions = db.table("sessions").all()
        assert len(sessions) >= 20 and {s["ward"] for s in sessions} == {"phường Kinh Bắc"}
        assert db.table("meta").all()[0]["salt"]


def test_idle_sessions_are_forgotten(tmp_path):
    store = StateStore(tmp_path, session_days=30)
    long_ago = dt.datetime.now(UTC) - dt.timedelta(days=31)
    reply(store, 1, {"ward": "phường Kinh Bắc"}, at=long_ago)
    reply(store, 2, {"ward": "xã Đông Tiến"})
    assert run(store.session(1)) == {} and run(store.session(2)) == {"ward": "xã Đông Tiến"}
    store.close()
    again = StateStore(tmp_path, session_days=30)  # and not kept in the snapshot
    assert list(again.tables.sessions) == [again.chat_key(2)]
    again.close()


def start_writer(folder: Path, run_name: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(folder), run_name], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)


def test_a_writer_killed_at_random_moments_loses_nothing_it_acknowledged(tmp_path):
    rng, total = random.Random(20261130), 0
    for n in range(6):
        writer = start_writer(tmp_path, f"run{n}")
        first = writer.stdout.readline()
        assert first.split()[:1] == ["0"], "the writer did not start"
        time.sleep(rng.uniform(0.0, 0.3))
        writer.send_signal(signal.SIGKILL)
        acknowledged = {int(x) for x in (first + writer.stdout.read()).split()}
        writer.wait()
        store = StateStore(tmp_path)  # the kernel released the lock; the files load, whatever the moment
        texts = {q["text"].split()[4] for q in run(store.questions()) if q["text"].startswith(f"run{n} ")}
        assert {str(i) for i in acknowledged} <= texts  # every acknowledged reply is there
        assert len(texts) <= len(acknowledged) + 10  # at most the replies in flight are extra
        last = max(acknowledged)
        for chat in range(7):  # each chat's session is at least as new as its last acknowledged reply
            mine = [i for i in acknowledged if i % 7 == chat]
            assert int(run(store.session(9000 + chat))["ward"]) >= max(mine)
        total += len(texts)
        store.close()
        assert last >= 0 and not list(tmp_path.glob("*.corrupt-*"))
    assert total > 60


def test_leftovers_of_a_killed_process_are_cleaned_at_start(tmp_path):
    store = StateStore(tmp_path)
    reply(store, 1, {"ward": "a"}, [asked("a")])
    store.close()
    temps = [tmp_path / ".state.json.x1y2z3", tmp_path / "journal" / f".{dt.date.today()}.jsonl.abc"]
    for temp in temps:
        temp.write_text("{half", encoding="utf-8")  # fresh ones too: the lock says no one else is writing
    day = next((tmp_path / "journal").glob("*.jsonl"))
    with day.open("ab") as fh:
        fh.write(b'{"kind": "question", "text": "half a li')  # a line cut by kill -9
    (tmp_path / "state.0.log").write_text("{}\n")  # a log of a generation long gone
    again = StateStore(tmp_path)
    assert not any(t.exists() for t in temps) and not (tmp_path / "state.0.log").exists()
    reply(again, 2, None, [asked("b")])
    assert [q["text"] for q in run(again.questions())] == ["a", "b"]
    assert run(again.session(1)) == {"ward": "a"}
    again.close()


@pytest.mark.parametrize("content", [
    '{"sessions": {"1": {"chat": "ab", "ward": "làm giấy kh',  # truncated mid-write by an unsafe editor
    "not json at all",
    "[1, 2, 3]",  # JSON, but not TinyDB's tables
    b"\xff\xfe\x00garbage",
])
def test_a_corrupt_file_at_start_is_moved_aside_and_a_fresh_one_begun(tmp_path, caplog, content):
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    (tmp_path / "state.json").write_bytes(raw)
    with caplog.at_level(logging.WARNING, logger="bot.running.files"):
        store = StateStore(tmp_path)
    aside = list(tmp_path.glob("state.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == raw
    assert aside[0].name in caplog.text
    reply(store, CHAT, {"ward": "phường Kinh Bắc"}, [asked("làm giấy khai sinh")])
    store.close()
    again = StateStore(tmp_path)
    assert [q["text"] for q in run(again.questions())] == ["làm giấy khai sinh"]
    assert run(again.session(CHAT)) == {"ward": "phường Kinh Bắc"}
    again.close()


def test_a_state_missing_its_keys_is_repaired_not_fatal(tmp_path, caplog):
    seen = dt.datetime.now(UTC).isoformat()
    raw = ('{"meta":{"1":{"created":"2026"}}, "sessions": {"1": "not a record", "2": {"chat": "k", "ward": "x", '
           f'"seen": "{seen}"}}}}}}').encode()
    (tmp_path / "state.json").write_bytes(raw)
    with caplog.at_level(logging.WARNING):
        store = StateStore(tmp_path)
    kept = list(tmp_path.glob("state.json.before-repair-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == raw  # the original, for a person to look at
    assert "no salt" in caplog.text and len(store.salt) == 32
    assert list(store.tables.sessions) == ["k"]  # what could be read is kept
    reply(store, 1, {"ward": "y"})
    store.close()


def test_a_directory_named_state_json_is_moved_aside(tmp_path):
    (tmp_path / "state.json").mkdir()
    store = StateStore(tmp_path)
    assert len(list(tmp_path.glob("state.json.not-a-file-*"))) == 1 and (tmp_path / "state.json").is_file()
    store.close()


def test_files_moved_aside_in_the_same_second_never_collide(tmp_path):
    for content in (b"first broken", b"second broken", b"third broken"):
        (tmp_path / "state.json").write_bytes(content)
        StateStore(tmp_path).close()
    aside = sorted(p.read_bytes() for p in tmp_path.glob("state.json.corrupt-*"))
    assert aside == [b"first broken", b"second broken", b"third broken"]


def test_a_version_1_file_is_migrated_keeping_salt_sessions_and_questions(tmp_path):
    seen = dt.datetime.now(UTC).isoformat(timespec="seconds")
    salt = "0123456789abcdef0123456789abcdef"
    from bot.running.state import hash_chat
    key = hash_chat(salt, CHAT)
    old = {"meta": {"1": {"salt": salt, "created": "2026-07-01T00:00:00+00:00"}},
           "sessions": {"1": {"chat": key, "ward": "phường Kinh Bắc", "seen": seen}},
           "questions": {"1": {"chat": key, "time": "2026-11-02T03:00:00+00:00", "text": "cũ", "answered": True}},
           "feedback": {"1": {"chat": key, "time": "2026-11-03T03:00:00+00:00", "vote": "up", "procedure": "p"}}}
    (tmp_path / "state.json").write_text(json.dumps(old), encoding="utf-8")
    store = StateStore(tmp_path)
    assert run(store.session(CHAT)) == {"ward": "phường Kinh Bắc"}
    assert [q["text"] for q in run(store.questions())] == ["cũ"] and len(run(store.feedback())) == 1
    assert "questions" not in json.loads((tmp_path / "state.json").read_text())
    store.close()
    again = StateStore(tmp_path)  # moved once, not twice
    assert len(run(again.questions())) == 1
    again.close()


def test_a_failed_write_is_reported_and_memory_never_runs_ahead(tmp_path):
    store = StateStore(tmp_path)
    reply(store, CHAT, {"ward": "trước"})
    journal = tmp_path / "journal"
    assert not journal.exists()  # nothing asked yet
    journal.write_text("a file where the journal folder should be")  # every append now fails
    with pytest.raises(OSError):
        reply(store, CHAT, {"ward": "sau"}, [asked("không ghi được")])
    assert not store.healthy and run(store.session(CHAT)) == {"ward": "trước"}
    journal.unlink()
    reply(store, CHAT, {"ward": "sau"}, [asked("ghi được")])
    assert store.healthy and run(store.session(CHAT)) == {"ward": "sau"}
    assert [q["text"] for q in run(store.questions())] == ["ghi được"]
    store.close()


def test_a_lone_surrogate_is_stored_not_fatal(tmp_path):
    store = StateStore(tmp_path)
    reply(store, CHAT, {"ward": "x\ud800"}, [asked("khai sinh \ud800")])
    assert store.healthy and run(store.questions())[0]["text"] == "khai sinh \ufffd"
    store.close()
    assert run(StateStore(tmp_path, readonly=True).questions())[0]["text"] == "khai sinh \ufffd"


def test_tickets_and_outboxes_survive_a_restart(tmp_path):
    store = StateStore(tmp_path, retention_days=90)
    store.save_ticket({"id": "AB2CD", "status": "open", "turns": ["a"]})
    store.save_ticket({"id": "XY3ZW", "status": "closed"})
    ticket = store.ticket("AB2CD")
    ticket["turns"].append("b")  # a copy: changing it changes nothing stored until saved
    assert store.ticket("AB2CD")["turns"] == ["a"]
    store.save_ticket({**ticket, "status": "taken"})
    store.push_outbox("web-key", {"text": "một"})
    store.push_outbox("web-key", {"text": "hai"})
    store.close()
    again = StateStore(tmp_path, retention_days=90)
    assert again.ticket("AB2CD")["status"] == "taken" and again.ticket("AB2CD")["turns"] == ["a", "b"]
    assert [t["id"] for t in again.tickets("taken")] == ["AB2CD"] and len(again.tickets()) == 2
    assert [m["text"] for m in again.take_outbox("web-key")] == ["một", "hai"]
    assert again.take_outbox("web-key") == [] and again.ticket("nope") is None
    again.close()
    later = StateStore(tmp_path, retention_days=0)  # closed tickets go after the retention period
    assert [t["id"] for t in later.tickets()] == ["AB2CD"] and later.take_outbox("web-key") == []
    later.close()


def test_retention_purge_blanks_old_texts_and_keeps_counts(tmp_path):
    store = StateStore(tmp_path)
    now = dt.datetime.now(UTC)
    old = now - dt.timedelta(days=100)
    reply(store, CHAT, None, [asked("cũ 1"), asked("cũ 2"), {"feedback": "up", "procedure": "p", "question": "cũ 1"}],
          at=old)
    reply(store, CHAT, None, [asked("mới"), {"feedback": "down", "procedure": "p", "question": "mới"}])
    assert run(store.purge(90)) == 1  # one day blanked
    store.close()
    again = StateStore(tmp_path)
    assert [q["text"] for q in run(again.questions())] == [None, None, "mới"]
    assert [q["procedure"] for q in run(again.questions())] == ["ho-tich/khai-sinh"] * 3
    assert [(f["question"], f["vote"]) for f in run(again.feedback())] == [(None, "up"), ("mới", "down")]
    assert run(again.purge(90)) == 0  # nothing left to blank
    again.close()
