"""Check one parsed file against the schema in `bot.schema`; pure, no file access.

Each finding is (key path, message) where the message says what is wrong and how to fix it.
"""
from __future__ import annotations

import datetime as dt
import difflib
from urllib.parse import urlparse

from bot.knowledge.schema import Key

Finding = tuple[tuple, str]
KIND_WORDS = {
    "text": 'a text in quotes, e.g. "..."',
    "texts": 'a list of texts, e.g. ["...", "..."]',
    "int": "a whole number without quotes or dots, e.g. 50000",
    "number": "a number without quotes, e.g. 5 or 0.5",
    "bool": "true or false",
    "date": "a date without quotes, e.g. 2026-11-27",
    "url": 'a link in quotes starting with https://, e.g. "https://dichvucong.gov.vn"',
    "table": "a [table] with keys",
    "tables": "one or more [[tables]]",
    "mapping": "a table of key = value pairs",
}


def is_url(value) -> bool:
    """True for an absolute http(s) link with a host."""
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and "." in parsed.netloc


def _is_date(value) -> bool:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return True
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
            return True
        except ValueError:
            return False
    return False


CHECKS = {
    "text": lambda v: isinstance(v, str) and bool(v.strip()),
    "texts": lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0,
    "bool": lambda v: isinstance(v, bool),
    "date": _is_date,
    "url": is_url,
    "table": lambda v: isinstance(v, dict),
    "tables": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
    "mapping": lambda v: isinstance(v, dict),
}


def check_table(data: dict, keys: tuple[Key, ...], path: tuple = (), required: tuple[str, ...] = ()) -> list[Finding]:
    """Findings for unknown keys, missing required keys and wrongly typed values."""
    findings: list[Finding] = []
    known = {k.name: k for k in keys}
    for name in data:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "remove it or check bot/knowledge/schema.py for the keys allowed"
            findings.append(((*path, name), f"unknown key; {hint}"))
    for key in keys:
        if key.name not in data:
            if key.required or key.name in required:
                findings.append(((*path, key.name), f"missing; add {KIND_WORDS[key.kind]} ({key.help})"))
            continue
        findings.extend(check_value(data[key.name], key, (*path, key.name)))
    return findings


def check_value(value, key: Key, path: tuple) -> list[Finding]:
    """Findings for one value: its kind, its allowed choices, and its sub-tables."""
    if not CHECKS[key.kind](value):
        return [(path, f"should be {KIND_WORDS[key.kind]} ({key.help})")]
    if key.choices and isinstance(value, str) and value not in key.choices:
        return [(path, f'"{value}" is not allowed; use one of: {", ".join(key.choices)}')]
    if key.kind == "table" and key.keys:
        return check_table(value, key.keys, path)
    if key.kind == "tables" and key.keys:
        return [f for i, item in enumerate(value) for f in check_table(item, key.keys, (*path, i))]
    return []
