"""Live reload: validate edited knowledge first, swap it in only if it is clean, else keep the last good one."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from .loader import read_knowledge
from .problems import Problem

log = logging.getLogger(__name__)


def fingerprint(root: Path) -> tuple:
    """Names, sizes and modification times of every knowledge file: changes when any file does."""
    files = sorted(p for p in Path(root).rglob("*") if p.suffix in (".toml", ".json") and p.is_file())
    return tuple((str(p), st.st_size, st.st_mtime_ns) for p in files for st in [p.stat()])


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

    def __init__(self, assistant, root: str | Path, on_refused=None):
        self.assistant, self.root, self.on_refused = assistant, Path(root), on_refused
        self.seen = fingerprint(self.root)

    def reload(self, force: bool = True) -> ReloadResult:
        """Read and check everything; swap in the new knowledge only when there is no problem."""
        current = fingerprint(self.root)
        if not force and current == self.seen:
            return ReloadResult(False)
        self.seen = current
        knowledge, problems = read_knowledge(self.root)
        if problems:
            log.warning("knowledge edit refused, %d problem(s); still answering from the last good knowledge", len(problems))
            return ReloadResult(True, problems)
        self.assistant.swap(knowledge)
        log.info("knowledge reloaded: %d procedures", len(knowledge.procedures))
        return ReloadResult(True, [], len(knowledge.procedures))

    async def watch(self, interval: float) -> None:
        """Poll the folder every `interval` seconds; tell `on_refused` about a broken edit."""
        while True:
            await asyncio.sleep(interval)
            result = await asyncio.to_thread(self.reload, False)
            if result.changed and not result.ok and self.on_refused:
                await self.on_refused(result)
