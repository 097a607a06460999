"""Durable state in one TinyDB file (`state.json` under BOT_DATA_DIR), owned by the one bot process.

Tables: `sessions` (per chat: ward, language, last procedure ...), `questions` (what was asked,
how it was understood, answered or not), `feedback` (👍/👎). Chat ids are stored only as salted
hashes. Every write replaces the file atomically (temp file, fsync, rename), so a crash leaves
the old or the new state; a corrupt file found at start is moved aside and a fresh one begun.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import tempfile
from pathlib import Path

from tinydb import Query, TinyDB
from tinydb.storages import Storage

log = logging.getLogger(__name__)
SESSION_KEYS = ("ward", "language", "last", "pending", "awaiting", "asked_ward")


def encode(data) -> bytes:
    """The file's bytes; a string UTF-8 cannot carry (a lone surrogate) is escaped, never fatal."""
    try:
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True).encode("ascii")


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file behind."""

    STALE_SECONDS = 600  # a temp file this old was left by a killed writer (a live write takes far less)

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temps()
        self._cache = None  # the one owning process: what it last read or wrote is what is on disk
        self._deferred = 0
        self._dirty = False
        self.healthy = True  # False while the last write failed (the web /healthz reports it)

    def _remove_stale_temps(self) -> None:
        cutoff = dt.datetime.now().timestamp() - self.STALE_SECONDS
        for tmp in self.path.parent.glob(f".{self.path.name}.*"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
            except OSError:
                pass

    def read(self):
        if self._cache is None:
            self._cache = self._read_file()
        return self._cache

    @contextlib.contextmanager
    def deferred(self):
        """Writes inside the block reach the disk once, at its end (still atomically)."""
        self._deferred += 1
        try:
            yield
        finally:
            self._deferred -= 1
            if not self._deferred and self._dirty:
                self._write_or_forget(self._cache)

    def _read_file(self):
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError as exc:
            return self._move_aside(exc)
        try:
            data = json.loads(text) if text.strip() else None
            if data is not None and not (isinstance(data, dict) and all(isinstance(t, dict) for t in data.values())):
                raise ValueError("not an object of tables")
            return data
        except ValueError as exc:
            return self._move_aside(exc)

    def _move_aside(self, why: Exception) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{dt.datetime.now():%Y%m%d-%H%M%S}")
        os.replace(self.path, aside)
        log.warning("state file %s is corrupt (%s); moved aside to %s, starting fresh", self.path, why, aside)

    def write(self, data) -> None:
        self._cache = data
        if self._deferred:
            self._dirty = True
            return
        self._write_or_forget(data)

    def _write_or_forget(self, data) -> None:
        """Write; on failure the cache is dropped, so what is on disk is the truth again (never a
        record that cannot be written, kept in memory to fail every later write)."""
        try:
            self._write_file(data)
            self.healthy = True
        except BaseException:
            self._cache, self._dirty, self.healthy = None, False, False
            raise

    def _write_file(self, data) -> None:
        self._dirty = False
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(encode(data))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def close(self) -> None:
        pass


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class StateStore:
    """Preferences, sessions, questions and feedback; chat ids hashed with a per-file salt."""

    def __init__(self, data_dir: str | Path):
        self.path = Path(data_dir) / "state.json"
        self.db = TinyDB(self.path, storage=AtomicJSONStorage)
        meta = self.db.table("meta")
        if not meta.all():
            meta.insert({"salt": secrets.token_hex(16), "created": now_iso()})
        self.salt = meta.all()[0]["salt"]

    @property
    def healthy(self) -> bool:
        """False while the state file cannot be written."""
        return self.db.storage.healthy

    def batch(self):
        """Group several writes (a session and its events) into one atomic write of the file."""
        return self.db.storage.deferred()

    def chat_key(self, chat_id) -> str:
        return hashlib.sha256(f"{self.salt}:{chat_id}".encode()).hexdigest()[:24]

    def session(self, chat_id) -> dict:
        """The remembered session of a chat (a fresh dict if none)."""
        found = self.db.table("sessions").get(Query().chat == self.chat_key(chat_id))
        return copy.deepcopy({k: v for k, v in (found or {}).items() if k in SESSION_KEYS})

    def save_session(self, chat_id, session: dict) -> None:
        """Remember the chat's session as it is now (keys it no longer has are forgotten)."""
        key = self.chat_key(chat_id)
        record = {"chat": key, **{k: session[k] for k in SESSION_KEYS if k in session}, "seen": now_iso()}

        def replace(doc: dict) -> None:  # a key the session dropped (e.g. "awaiting") must not come back
            doc.clear()
            doc.update(record)

        if not self.db.table("sessions").update(replace, Query().chat == key):
            self.db.table("sessions").insert(record)

    def record(self, chat_id, event: dict, channel: str = "telegram") -> None:
        """Store what the core reported: a question (answered or not) or a feedback vote."""
        base = {"chat": self.chat_key(chat_id), "time": now_iso(), "channel": channel}
        if "feedback" in event:
            self.db.table("feedback").insert({**base, "vote": event["feedback"], "procedure": event.get("procedure"),
                                              "question": event.get("question")})
            return
        self.db.table("questions").insert({**base, "text": event.get("question"), "intent": event.get("intent"),
                                           "procedure": event.get("procedure"), "score": event.get("score", 0.0),
                                           "answered": not event.get("unanswered") and not event.get("low_confidence"),
                                           "unanswered": bool(event.get("unanswered")),
                                           "low_confidence": bool(event.get("low_confidence")),
                                           "picked": bool(event.get("picked"))})

    def questions(self) -> list[dict]:
        return self.db.table("questions").all()

    def feedback(self) -> list[dict]:
        return self.db.table("feedback").all()

    def purge_texts(self, older_than_days: int, today: dt.datetime | None = None) -> int:
        """Blank question texts older than the retention period; counts and procedures stay."""
        now = today or dt.datetime.now(dt.timezone.utc)
        now = now.astimezone(dt.timezone.utc) if now.tzinfo else now  # stored times are UTC: compare like with like
        cutoff = (now - dt.timedelta(days=older_than_days)).isoformat()
        old = Query()
        ids = self.db.table("questions").update({"text": None}, (old.time < cutoff) & (old.text != None))  # noqa: E711
        self.db.table("feedback").update({"question": None}, (old.time < cutoff) & (old.question != None))  # noqa: E711
        return len(ids)

    def close(self) -> None:
        self.db.close()
