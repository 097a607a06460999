"""Live reload: validate edited knowledge first, swap it in only if it is clean, else keep the last good one."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.loader import read_knowledge
from bot.knowledge.problems import Problem
from bot.knowledge.staff_text import st
from bot.running.memory import settle

log = logging.getLogger(__name__)


def fingerprint(root: Path) -> tuple:
    """Names, sizes and modification times of every knowledge file: changes when any file does."""
    found = []
    for p in sorted(Path(root).rglob("*")):
        try:
            if p.suffix in (".toml", ".json") and p.is_file():
                info = p.stat()
                found.append((str(p), info.st_size, info.st_mtime_ns))
        except OSError:  # removed while we looked (an editor saving by rename): the next poll sees it
            continue
    return tuple(found)


@dataclass
class ReloadResult:
    changed: bool
    problems: list[Problem] = field(default_factory=list)
    procedures: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class KnowledgeReloader:
    """Owns the knowledge folder's fingerprint; `reload()` validates and swaps into the assistant."""

    def __init__(self, assistant, root: str | Path, on_refused=None, serving_check=None):
        """`serving_check(knowledge)` → problems: every answer rendered before the swap (bot/acceptance.py)."""
        self.assistant, self.root, self.on_refused = assistant, Path(root), on_refused
        self.serving_check = serving_check
        self.seen = fingerprint(self.root)

    def reload(self, force: bool = True) -> ReloadResult:
        """Read and check everything; swap in the new knowledge only when there is no problem."""
        current = fingerprint(self.root)
        if not force and current == self.seen:
            return ReloadResult(False)
        self.seen = current
        knowledge, problems = read_knowledge(self.root)
        if not problems and self.serving_check is not None:
            problems = self.serving_check(knowledge)
        if problems:
            log.warning("knowledge edit refused, %d problem(s); still answering from the last good knowledge", len(problems))
            return ReloadResult(True, problems)
        try:
            self.assistant.swap(knowledge)  # builds the understanding; on failure the last good one stays
        except Exception as exc:  # noqa: BLE001 - a refused edit, never a crashed reload
            log.exception("knowledge edit refused: the assistant could not be built from it")
            error = f"{type(exc).__name__}: {exc}"[:200]
            return ReloadResult(True, [Problem(str(self.root), 1, "(knowledge)", st(
                "the assistant could not be built from these files ({error}); undo the last edit and check again",
                error=error))])
        settle()  # the old index is freed, the new one frozen (bot/running/memory.py)
        log.info("knowledge reloaded: %d procedures", len(knowledge.procedures))
        return ReloadResult(True, [], len(knowledge.procedures))

    async def watch(self, interval: float) -> None:
        """Poll the folder every `interval` seconds; tell `on_refused` about a broken edit."""
        while True:
            await asyncio.sleep(interval)
            try:
                result = await asyncio.to_thread(self.reload, False)
                if result.changed and not result.ok and self.on_refused:
                    await self.on_refused(result)
            except Exception:  # noqa: BLE001 - one failed look (a file mid-save, a network error) must not end watching
                log.exception("knowledge watcher: this look failed; trying again in %s s", interval)
