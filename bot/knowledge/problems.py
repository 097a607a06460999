"""Problems found in knowledge files, each pointing at a file, a line and a key."""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.staff_text import st
from bot.knowledge.syntax import error_line, syntax_message


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where it is, what is wrong, how to fix it."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge cannot be used as it is; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def key_name(path: tuple) -> str:
    """('documents', 2, 'count') → 'documents[3].count' (1-based, as staff count)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def read_file(path: Path, shown: str) -> tuple[dict | None, list[Problem], str]:
    """Parse a TOML or JSON knowledge file: (data, problems, text); a syntax error becomes ONE Problem with its line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # Notepad's byte-order mark is not a mistake
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, "(file)", st("not UTF-8 text; save the file as UTF-8 (in Notepad: "
                                                       "Save As, Encoding: UTF-8)"))], ""
    try:
        return (json.loads(text) if path.suffix == ".json" else tomllib.loads(text)), [], text
    except json.JSONDecodeError as exc:
        return None, [Problem(shown, exc.lineno, "(syntax)", st("{error}; regenerate the file with import-national",
                                                              error=exc.msg))], text
    except tomllib.TOMLDecodeError as exc:
        return None, [Problem(shown, error_line(str(exc), text), "(syntax)", syntax_message(str(exc)))], text


class LineFinder:
    """Finds the line of a key path in a TOML or JSON file's text (best effort, never fails)."""

    def __init__(self, text: str, is_json: bool = False):
        self.lines = text.splitlines()
        self.is_json = is_json

    def _assign(self, key: str, start: int, end: int) -> int | None:
        pat = re.compile(rf'^\s*"?{re.escape(key)}"?\s*[=:]' if not self.is_json else rf'^\s*"{re.escape(key)}"\s*:')
        for i in range(start, end):
            if pat.match(self.lines[i]):
                return i
        return None

    def _header(self, name: str, nth: int, start: int, end: int) -> int | None:
        pat = re.compile(rf"^\s*\[\[?\s*{re.escape(name)}\s*\]\]?\s*(#.*)?$")
        seen = -1
        for i in range(start, end):
            if pat.match(self.lines[i]):
                seen += 1
                if seen == nth:
                    return i
        return None

    def _section_end(self, start: int, end: int, depth_name: str) -> int:
        for i in range(start + 1, end):
            s = self.lines[i].strip()
            if s.startswith("[") and not s.startswith(f"[[{depth_name}.") and not s.startswith(f"[{depth_name}."):
                return i
        return end

    def line_of(self, path: tuple) -> int:
        """1-based line of the deepest part of `path` that can be found."""
        start, end, best, dotted = 0, len(self.lines), 0, ""
        for i, part in enumerate(path):
            if isinstance(part, int):
                continue
            dotted = f"{dotted}.{part}" if dotted else part
            nth = path[i + 1] if i + 1 < len(path) and isinstance(path[i + 1], int) else 0
            found = None if self.is_json else self._header(dotted, nth, start, end)
            if found is not None:
                start, end, best = found, self._section_end(found, end, dotted), found
                continue
            found = self._assign(part, start, end)
            if found is None:
                break
            best = found
            start = found
        return best + 1 if self.lines else 1
