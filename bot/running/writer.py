"""The embedded store's writer threads: group commit off the event loop.

Each reply hands the writer a `Batch` (log changes and journal events). The writer takes every batch
waiting, appends their lines to `state.<generation>.log` and `journal/<UTC day>.jsonl` (one write per
file), applies the changes to the in-memory `Tables` and only then resolves the replies' futures: when
`save` returns, the reply's state is in the operating system's hands (a kill -9 of the bot loses
nothing acknowledged) and memory is never ahead of the files. A second thread fsyncs the files
touched, continuously: a power cut loses at most the writes of one fsync round (a few ms, ~10 ms p99
on the reference machine). When the log has grown past `compact_after` changes, the writer writes a
new snapshot (a new generation) and starts a new log.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bot.running import files, snapshot
from bot.running.state import encode

log = logging.getLogger(__name__)


@dataclass
class Batch:
    changes: list[dict] = field(default_factory=list)  # state-log ops (session, ticket, push, take)
    events: list[dict] = field(default_factory=list)  # journal records (questions, feedback)
    future: asyncio.Future | None = None
    purge_before: dt.date | None = None  # a purge request instead
    done: threading.Event | None = None  # for a caller waiting synchronously (desk tickets)
    error: Exception | None = None


def day_of(record: dict) -> str:
    return str(record.get("time", ""))[:10] or dt.date.today().isoformat()


class Writer(threading.Thread):
    def __init__(self, folder: Path, tables: snapshot.Tables, session_days: int, retention_days: int,
                 compact_after: int = 20_000):
        super().__init__(name="state-writer", daemon=True)
        self.folder, self.journal, self.tables = folder, folder / "journal", tables
        self.session_days, self.retention_days, self.compact_after = session_days, retention_days, compact_after
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.handles: dict[Path, object] = {}
        self.logged = 0
        self.healthy = True
        self.syncer = Syncer(self)

    def submit(self, batch: Batch | None) -> None:
        self.queue.put(batch)

    def run(self) -> None:
        self.syncer.start()
        stopping = False
        while not stopping:
            batches = [self.queue.get()]
            while True:
                try:
                    batches.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            stopping = None in batches
            writes = [b for b in batches if b is not None and b.purge_before is None]
            if writes:
                self.commit(writes)
            for purge in (b for b in batches if b is not None and b.purge_before is not None):
                self.run_purge(purge)
            if self.logged >= self.compact_after or (stopping and self.logged):
                self.guard(self.compact)
        self.close_files()
        self.syncer.stop()

    def guard(self, work) -> bool:
        try:
            work()
            return True
        except Exception:
            log.exception("state write failed")
            self.healthy = False
            return False

    def commit(self, batches: list[Batch]) -> None:
        lines: dict[Path, list[bytes]] = {}
        log_path = self.folder / f"state.{self.tables.generation}.log"
        for batch in batches:
            for op in batch.changes:
                lines.setdefault(log_path, []).append(encode(op).encode() + b"\n")
            for event in batch.events:
                lines.setdefault(self.journal / f"{day_of(event)}.jsonl", []).append(encode(event).encode() + b"\n")
        error = None
        try:
            self.append(lines)
            self.syncer.request(lines)
            for batch in batches:
                for op in batch.changes:
                    snapshot.apply(self.tables, op)
            self.logged += len(lines.get(log_path, ()))
            self.healthy = True
        except Exception as exc:
            log.exception("state write failed")
            error, self.healthy = exc, False
        for batch in batches:
            batch.error = error
            if batch.done is not None:
                batch.done.set()
        resolve_all([b.future for b in batches if b.future is not None], error)

    def append(self, lines: dict[Path, list[bytes]]) -> None:
        """One write per file; a failed append is cut back so the file ends on a whole line."""
        for path, chunk in lines.items():
            fh = self.handle(path)
            start = fh.tell()
            try:
                fh.write(b"".join(chunk))
                fh.flush()
            except BaseException:
                self.close_file(path)
                with open(path, "r+b") as repair:
                    repair.truncate(start)
                raise

    def handle(self, path: Path):
        if path not in self.handles:
            if len(self.handles) > 4:
                self.close_files()
            path.parent.mkdir(parents=True, exist_ok=True)
            files.trim_partial_line(path)
            self.handles[path] = open(path, "ab")
            files.fsync_dir(path.parent)
        return self.handles[path]

    def close_file(self, path: Path) -> None:
        fh = self.handles.pop(path, None)
        if fh is not None:
            fh.close()

    def close_files(self) -> None:
        for path in list(self.handles):
            self.close_file(path)

    def compact(self) -> None:
        """A new snapshot (generation + 1) with idle sessions dropped; then the old log goes."""
        old = self.folder / f"state.{self.tables.generation}.log"
        snapshot.expire(self.tables, self.session_days, self.retention_days)
        self.tables.meta = {**self.tables.meta, "generation": self.tables.generation + 1}
        files.write_atomic(self.folder / "state.json", snapshot.dump(self.tables))
        self.close_file(old)
        old.unlink(missing_ok=True)
        self.logged = 0

    def run_purge(self, batch: Batch) -> None:
        blanked = 0
        ok = True
        for path in sorted(self.journal.glob("*.jsonl")):
            day = path.name[:10]
            if path.name.endswith(".notext.jsonl") or day >= batch.purge_before.isoformat():
                continue
            self.close_file(path)
            ok = self.guard(lambda p=path: blank_texts(p)) and ok
            blanked += 1
        resolve(batch.future, None if ok else OSError("purge failed"), blanked)


class Syncer(threading.Thread):
    """fsyncs the files the writer touched, as fast as the disk allows (the durability window)."""

    def __init__(self, writer: Writer):
        super().__init__(name="state-fsync", daemon=True)
        self.writer, self.paths, self.stopping = writer, set(), False
        self.wake = threading.Condition()

    def request(self, paths) -> None:
        with self.wake:
            self.paths.update(paths)
            self.wake.notify()

    def stop(self) -> None:
        with self.wake:
            self.stopping = True
            self.wake.notify()
        self.join()

    def run(self) -> None:
        while True:
            with self.wake:
                while not self.paths and not self.stopping:
                    self.wake.wait()
                paths, self.paths = self.paths, set()
                if self.stopping and not paths:
                    return
            for path in paths:
                try:
                    fd = os.open(path, os.O_RDONLY)
                except FileNotFoundError:  # compacted or purged since: its content is in the new file
                    continue
                try:
                    os.fsync(fd)
                except OSError:
                    log.exception("fsync of %s failed", path)
                    self.writer.healthy = False
                finally:
                    os.close(fd)


def blank_texts(path: Path) -> None:
    """Rewrite one past day without texts, as `<day>.notext.jsonl` (counts and procedures stay)."""
    out = []
    for record in files.read_json_lines(path):
        record.update({k: None for k in ("text", "question") if k in record})
        out.append(encode(record))
    target = path.with_name(path.name[:10] + ".notext.jsonl")
    files.write_atomic(target, ("\n".join(out) + "\n" if out else "").encode())
    path.unlink()


def resolve(future: asyncio.Future | None, error: Exception | None, result=None) -> None:
    if future is not None:
        resolve_all([future], error, result)


def resolve_all(futures: list[asyncio.Future], error: Exception | None, result=None) -> None:
    """Settle the futures from this thread: one wake-up of each event loop for the whole group commit."""
    loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future]] = {}
    for future in futures:
        loops.setdefault(future.get_loop(), []).append(future)

    def settle(group: list[asyncio.Future]) -> None:
        for future in group:
            if not future.done():
                future.set_exception(error) if error else future.set_result(result)

    for loop, group in loops.items():
        try:
            loop.call_soon_threadsafe(settle, group)
        except RuntimeError:  # the loop is gone (shutting down): nobody is waiting
            pass
