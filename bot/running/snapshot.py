"""The embedded store's bounded part: sessions, desk tickets and outboxes, as `state.json` (a snapshot in
TinyDB's layout, so `TinyDB("state.json")` opens it) plus `state.<generation>.log` (JSON lines: each
change since that snapshot). Reading at start repairs what it can and moves aside what it cannot;
it never raises on bad content.
"""
from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from bot.running import files
from bot.running.state import encode, is_idle, now_iso, ticket_expired

log = logging.getLogger(__name__)
VERSION = 2
PIECE = 500  # documents per piece of a snapshot being written
LEGACY_TABLES = ("questions", "feedback")  # version 1 kept every event in state.json


@dataclass
class Tables:
    """The bounded state in memory. Only the writer thread changes it, after the change is on disk."""

    meta: dict
    sessions: dict = field(default_factory=dict)
    tickets: dict = field(default_factory=dict)
    outbox: dict = field(default_factory=dict)

    @property
    def generation(self) -> int:
        return int(self.meta.get("generation", 0))


def apply(tables: Tables, op: dict) -> None:
    """One change, as logged: the same function replays the log at start and applies new writes."""
    kind = op.get("op")
    if kind == "session":
        tables.sessions[op["doc"]["chat"]] = op["doc"]
    elif kind == "ticket":
        tables.tickets[op["doc"]["id"]] = op["doc"]
    elif kind == "push":
        tables.outbox[op["chat"]] = [*tables.outbox.get(op["chat"], []), op["msg"]]
    elif kind == "take":
        left = tables.outbox.get(op["chat"], [])[op["n"]:]
        if left:
            tables.outbox[op["chat"]] = left
        else:
            tables.outbox.pop(op["chat"], None)


def expire(tables: Tables, session_days: int, retention_days: int) -> None:
    """Forget sessions idle for `session_days` and tickets closed longer than the retention period."""
    for key in [k for k, doc in tables.sessions.items() if is_idle(doc, session_days)]:
        del tables.sessions[key]
    for key in [k for k, doc in tables.tickets.items() if ticket_expired(doc, retention_days)]:
        del tables.tickets[key]


def dump(tables: Tables):
    """The snapshot in TinyDB's layout (tables of documents with numeric ids), in pieces of a few hundred
    documents: one `json.dumps` of 100,000 sessions would hold the GIL, and so the event loop, for
    half a second; between pieces the loop runs."""
    outbox = [{"chat": chat, "messages": messages} for chat, messages in tables.outbox.items()]
    yield b'{"meta":{"1":' + encode(tables.meta).encode("utf-8") + b"}"
    for name, docs in (("sessions", list(tables.sessions.values())), ("tickets", list(tables.tickets.values())),
                       ("outbox", outbox)):
        yield f',"{name}":{{'.encode()
        for start in range(0, len(docs), PIECE):
            piece = ",".join(f'"{i}":{encode(doc)}' for i, doc in enumerate(docs[start:start + PIECE], start + 1))
            yield (("," if start else "") + piece).encode("utf-8")
        yield b"}"
    yield b"}"


def load(folder: Path) -> tuple[Tables, list[dict]]:
    """The snapshot and its log replayed, plus events a version-1 file still held (to move to the
    journal). A file that cannot be read is moved aside; one missing keys is repaired."""
    path = folder / "state.json"
    data = read_snapshot(path)
    tables, legacy, repairs = from_data(data)
    if repairs and path.is_file():
        files.copy_aside(path, "before-repair", "; ".join(repairs))
    log_path = folder / f"state.{tables.generation}.log"
    for op in files.read_json_lines(log_path):
        try:
            apply(tables, op)
        except (KeyError, TypeError, AttributeError):
            log.warning("%s: a change that cannot be applied skipped", log_path.name)
    return tables, legacy


def peek(folder: Path) -> Tables:
    """The state as it is, for a reader beside the running bot (`report`): nothing moved, repaired or written."""
    try:
        data = json.loads((folder / "state.json").read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        data = {}
    tables = from_data(data if isinstance(data, dict) else {})[0]
    for op in files.read_json_lines(folder / f"state.{tables.generation}.log"):
        try:
            apply(tables, op)
        except (KeyError, TypeError, AttributeError):
            pass
    return tables


def read_snapshot(path: Path) -> dict:
    if path.exists() and not path.is_file():
        files.move_aside(path, "not-a-file", "not a regular file")
        return {}
    try:
        text = path.read_bytes().decode("utf-8")
        data = json.loads(text) if text.strip() else {}
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data
    except FileNotFoundError:
        return {}
    except (UnicodeDecodeError, ValueError) as exc:
        files.move_aside(path, "corrupt", exc)
        return {}


def docs(data: dict, name: str, repairs: list[str]) -> list[dict]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        repairs.append(f"table {name!r} is not an object")
        return []
    good = [doc for doc in table.values() if isinstance(doc, dict)]
    if len(good) != len(table):
        repairs.append(f"{len(table) - len(good)} unreadable record(s) in {name!r}")
    return good


def from_data(data: dict) -> tuple[Tables, list[dict], list[str]]:
    repairs: list[str] = []
    meta = next((m for m in docs(data, "meta", repairs) if isinstance(m.get("salt"), str) and m["salt"]), None)
    if meta is None:
        if data:
            repairs.append("no salt in 'meta' (sessions kept under the old salt can no longer be found)")
        meta = {"salt": secrets.token_hex(16), "created": now_iso()}
    tables = Tables(meta={**meta, "version": VERSION})
    for doc in docs(data, "sessions", repairs):
        if isinstance(doc.get("chat"), str):
            tables.sessions[doc["chat"]] = doc
    for doc in docs(data, "tickets", repairs):
        if isinstance(doc.get("id"), str):
            tables.tickets[doc["id"]] = doc
    for doc in docs(data, "outbox", repairs):
        if isinstance(doc.get("chat"), str) and isinstance(doc.get("messages"), list):
            tables.outbox[doc["chat"]] = doc["messages"]
    legacy = [{"kind": "question" if name == "questions" else "feedback", **doc}
              for name in LEGACY_TABLES for doc in docs(data, name, repairs)]
    return tables, legacy, repairs
