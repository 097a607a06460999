"""Files that survive kill -9: atomic replacement, appends made durable, names moved aside that never
collide, and the lock that makes a data folder one process's."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from bot.running.state import StateLocked

log = logging.getLogger(__name__)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data) -> None:
    """Temp file, fsync, rename, fsync the folder: a crash leaves the old file or the new one. `data` is
    bytes or an iterable of byte pieces (other threads run between pieces)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [data] if isinstance(data, bytes) else data:
                fh.write(piece)
                time.sleep(0)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def remove_temps(folder: Path, pattern: str) -> int:
    """Temp files (`.name.xxxx`) of writes a killed process never finished; safe at any age because the
    caller holds the folder's lock, so no other writer is running."""
    removed = 0
    for tmp in folder.glob(pattern):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def aside_name(path: Path, why: str) -> Path:
    """A name beside `path` no other moved-aside file has (time to the second plus a random part)."""
    while True:
        aside = path.with_name(f"{path.name}.{why}-{dt.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}")
        if not aside.exists():
            return aside


def move_aside(path: Path, why: str, reason) -> Path:
    aside = aside_name(path, why)
    os.replace(path, aside)
    log.warning("%s: %s; moved aside to %s, starting without it", path, reason, aside.name)
    return aside


def copy_aside(path: Path, why: str, reason) -> Path:
    aside = aside_name(path, why)
    shutil.copy2(path, aside)
    log.warning("%s: %s; repaired, the original is kept as %s", path, reason, aside.name)
    return aside


def trim_partial_line(path: Path) -> None:
    """Cut a last line that has no newline (left by a write that never completed), so that the next
    append starts on a line of its own. That record was never acknowledged."""
    try:
        fh = path.open("r+b")
    except FileNotFoundError:
        return
    with fh:
        end = fh.seek(0, os.SEEK_END)
        pos = end
        while pos > 0:
            start = max(0, pos - 4096)
            fh.seek(start)
            chunk = fh.read(pos - start)
            if pos == end and chunk.endswith(b"\n"):
                return
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                fh.truncate(start + cut + 1)
                log.warning("%s: a half-written last line removed", path.name)
                return
            pos = start
        fh.truncate(0)


def read_json_lines(path: Path):
    """Each record of a JSON-lines file; a line a killed writer left half-written (or any unreadable
    line) is skipped."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return
    with fh:
        for line in fh:
            try:
                record = json.loads(line)
            except ValueError:
                if line.strip():
                    log.warning("%s: an unreadable line skipped", path.name)
                continue
            if isinstance(record, dict):
                yield record


class FolderLock:
    """An exclusive flock on `state.lock`: released by the kernel when the process ends, even by kill -9."""

    def __init__(self, folder: Path):
        self.path = folder / "state.lock"
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(self.fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(self.fd)
            raise StateLocked(
                f"The data folder {folder} is in use by another bot process (pid {owner}). One folder serves one "
                "process: stop the other one, give this one its own BOT_DATA_DIR, or set BOT_STATE_URL so that "
                "several processes share a PostgreSQL store.") from None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
