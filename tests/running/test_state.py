"""The durable state file: real TinyDB files in temporary folders, real processes killed mid-write."""
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

from bot.running.state import AtomicJSONStorage, StateStore

ROOT = Path(__file__).resolve().parents[2]
CHAT = 5550001234567
WRITER = """
import sys
from bot.running.state import StateStore
store = StateStore(sys.argv[1])
run = sys.argv[2]
i = 0
while True:
    store.record(9000 + i % 7, {"question": f"{run} câu hỏi số {i} " + "x" * 200, "intent": "procedure",
                               "procedure": "ho-tich/khai-sinh", "score": 0.8})
    store.save_session(9000 + i % 7, {"ward": f"phường {i}", "last": "ho-tich/khai-sinh"})
    print(i, flush=True)
    i += 1
"""


def test_sessions_survive_a_new_store_on_the_same_folder(tmp_path):
    store = StateStore(tmp_path)
    store.save_session(CHAT, {"ward": "phường Kinh Bắc", "language": "vi", "last": "ho-tich/khai-sinh",
                              "pending": ["a", "b"], "not_a_session_key": 1})
    # a key the session dropped (pending, or "awaiting" popped by the core) must not come back
    store.save_session(CHAT, {"ward": "phường Võ Cường", "language": "en", "last": "cu-tru/tam-tru"})
    store.save_session(42, {"ward": "xã Đông Tiến"})
    store.close()

    again = StateStore(tmp_path)
    assert again.session(CHAT) == {"ward": "phường Võ Cường", "language": "en", "last": "cu-tru/tam-tru"}
    assert again.session(42) == {"ward": "xã Đông Tiến"}
    assert again.session(777) == {}
    assert len(again.db.table("sessions")) == 2
    assert again.salt == store.salt


def test_chat_ids_never_appear_in_clear(tmp_path):
    store = StateStore(tmp_path)
    store.save_session(CHAT, {"ward": "phường Kinh Bắc"})
    store.record(CHAT, {"question": "làm giấy khai sinh", "intent": "procedure", "procedure": "ho-tich/khai-sinh"})
    store.record(CHAT, {"feedback": "up", "procedure": "ho-tich/khai-sinh"}, channel="web")
    text = (tmp_path / "state.json").read_text(encoding="utf-8")
    assert str(CHAT) not in text
    data = json.loads(text)
    keys = {doc["chat"] for table in ("sessions", "questions", "feedback") for doc in data[table].values()}
    assert keys == {store.chat_key(CHAT)} and len(store.chat_key(CHAT)) == 24
    # the salt is per file: another folder hashes the same chat differently
    assert StateStore(tmp_path / "other").chat_key(CHAT) != store.chat_key(CHAT)


def test_record_keeps_what_the_statistics_need(tmp_path):
    store = StateStore(tmp_path)
    store.record(1, {"question": "làm giấy khai sinh", "intent": "procedure", "procedure": "ho-tich/khai-sinh", "score": 0.9})
    store.record(1, {"question": "abc xyz", "intent": "none", "score": 0.1, "unanswered": True})
    store.record(1, {"question": "đăng ký", "intent": "procedure", "score": 0.4, "low_confidence": True})
    store.record(1, {"intent": "procedure", "procedure": "cu-tru/tam-tru", "picked": True})
    store.record(1, {"feedback": "down", "procedure": "cu-tru/tam-tru", "question": "tạm trú"})
    answered = [(q["text"], q["answered"], q["picked"]) for q in store.questions()]
    assert answered == [("làm giấy khai sinh", True, False), ("abc xyz", False, False), ("đăng ký", False, False),
                        (None, True, True)]
    assert [(f["vote"], f["procedure"]) for f in store.feedback()] == [("down", "cu-tru/tam-tru")]


def read_state(folder: Path) -> dict:
    """What a fresh process would see: the file must parse as JSON with the TinyDB tables."""
    return json.loads((folder / "state.json").read_text(encoding="utf-8"))


def start_writer(folder: Path, run: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(folder), f"run{run}"], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)


def test_a_writer_killed_at_random_moments_always_leaves_a_loadable_file(tmp_path):
    rng, total = random.Random(20261127), 0
    for run in range(8):
        writer = start_writer(tmp_path, run)
        # wait until it has written at least once, then kill it at a random moment
        first = writer.stdout.readline()
        assert first.strip() == "0", "the writer did not start"
        time.sleep(rng.uniform(0.0, 0.25))
        writer.send_signal(signal.SIGKILL)
        rest = writer.stdout.read()
        writer.wait()
        acknowledged = len((first + rest).split())  # records the writer saw written before it died
        data = read_state(tmp_path)  # never half a file
        stored = sum(1 for q in data["questions"].values() if q["text"].startswith(f"run{run} "))
        # an acknowledged write is on disk; at most the one in flight (record or session) is extra or missing
        assert acknowledged <= stored <= acknowledged + 1
        total += stored
        assert not list(tmp_path.glob("state.json.corrupt-*"))
    store = StateStore(tmp_path)
    assert len(store.questions()) == total > 8
    store.record(1, {"question": "sau sự cố", "intent": "none", "unanswered": True})
    assert len(StateStore(tmp_path).questions()) == total + 1


def test_stale_temp_files_of_a_killed_writer_are_removed_at_start(tmp_path):
    StateStore(tmp_path).record(1, {"question": "a"})
    old, fresh = tmp_path / ".state.json.abandoned", tmp_path / ".state.json.in-flight"
    old.write_text("{half", encoding="utf-8")
    fresh.write_text("{half", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    StateStore(tmp_path)
    assert not old.exists()
    assert fresh.exists(), "a temp file another process may still be writing must be left alone"


@pytest.mark.parametrize("content", [
    '{"questions": {"1": {"text": "làm giấy kh',  # truncated mid-write by an unsafe editor
    "not json at all",
    "[1, 2, 3]",  # JSON, but not TinyDB's tables
    '{"questions": [1, 2]}',
    b"\xff\xfe\x00garbage",
])
def test_a_corrupt_file_at_start_is_moved_aside_and_a_fresh_one_begun(tmp_path, caplog, content):
    path = tmp_path / "state.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with caplog.at_level(logging.WARNING, logger="bot.running.state"):
        store = StateStore(tmp_path)
    aside = list(tmp_path.glob("state.json.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes() == (content if isinstance(content, bytes) else content.encode("utf-8"))
    assert "corrupt" in caplog.text and aside[0].name in caplog.text
    store.record(CHAT, {"question": "làm giấy khai sinh", "intent": "procedure", "procedure": "ho-tich/khai-sinh"})
    store.save_session(CHAT, {"ward": "phường Kinh Bắc"})
    again = StateStore(tmp_path)
    assert [q["text"] for q in again.questions()] == ["làm giấy khai sinh"]
    assert again.session(CHAT) == {"ward": "phường Kinh Bắc"}


def test_an_empty_file_is_simply_a_fresh_start(tmp_path):
    (tmp_path / "state.json").write_text("", encoding="utf-8")
    store = StateStore(tmp_path)
    store.record(1, {"question": "a"})
    assert len(StateStore(tmp_path).questions()) == 1
    assert not list(tmp_path.glob("state.json.corrupt-*"))


def test_storage_write_failure_keeps_the_old_file_and_no_temp(tmp_path):
    storage = AtomicJSONStorage(tmp_path / "state.json")
    storage.write({"t": {"1": {"a": 1}}})
    with pytest.raises(TypeError):
        storage.write({"t": {"1": {"a": object()}}})  # not JSON: fails half-way through the dump
    assert storage.read() == {"t": {"1": {"a": 1}}}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_retention_purge_blanks_old_texts_and_keeps_counts(tmp_path):
    store = StateStore(tmp_path)
    for text in ("cũ 1", "cũ 2", "mới"):
        store.record(CHAT, {"question": text, "intent": "procedure", "procedure": "ho-tich/khai-sinh", "score": 0.9})
    store.record(CHAT, {"feedback": "up", "procedure": "ho-tich/khai-sinh", "question": "cũ 1"})
    store.record(CHAT, {"feedback": "down", "procedure": "ho-tich/khai-sinh", "question": "mới"})
    now = dt.datetime.now(dt.timezone.utc)
    ancient = (now - dt.timedelta(days=100)).isoformat(timespec="seconds")
    questions, feedback = store.db.table("questions"), store.db.table("feedback")
    questions.update({"time": ancient}, doc_ids=[1, 2])
    feedback.update({"time": ancient}, doc_ids=[1])

    assert store.purge_texts(90, today=now) == 2
    again = StateStore(tmp_path)
    assert [q["text"] for q in again.questions()] == [None, None, "mới"]
    assert [q["procedure"] for q in again.questions()] == ["ho-tich/khai-sinh"] * 3
    assert [f["question"] for f in again.feedback()] == [None, "mới"]
    assert [f["vote"] for f in again.feedback()] == ["up", "down"]
    assert again.purge_texts(90, today=now) == 0  # nothing left to blank
    # a "today" given in Vietnam time means the same instant (not a string 7 hours ahead)
    vn_now = now.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert again.purge_texts(0, today=vn_now - dt.timedelta(hours=1)) == 0
    assert again.purge_texts(0, today=vn_now + dt.timedelta(seconds=2)) == 1


def test_a_batch_is_one_write_and_lands_whole(tmp_path):
    store = StateStore(tmp_path)
    path = tmp_path / "state.json"
    before = path.stat().st_mtime_ns
    with store.batch():
        store.save_session(CHAT, {"ward": "phường Kinh Bắc", "last": "ho-tich/khai-sinh"})
        store.record(CHAT, {"question": "phí bao nhiêu", "intent": "procedure", "procedure": "ho-tich/khai-sinh"})
        assert path.stat().st_mtime_ns == before  # nothing on disk until the batch ends
    again = StateStore(tmp_path)
    assert again.session(CHAT)["last"] == "ho-tich/khai-sinh" and len(again.questions()) == 1
