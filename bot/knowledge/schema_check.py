"""Check one parsed file against the schema in `bot.schema`; pure, no file access.

Each finding is (key path, message) where the message says what is wrong and how to fix it.
"""
from __future__ import annotations

import datetime as dt
import difflib
from urllib.parse import urlparse

from bot.knowledge.schema import Key
from bot.knowledge.staff_text import st
from bot.knowledge.values import PARSERS, BadValue, span_problem

Finding = tuple[tuple, str]
MAPPINGS = ("textmap", "listmap")  # staff's key = value tables (lexicon), where TOML's trap can land a key
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
    "time": 'a time in quotes, e.g. "07:30"',
    "weekdays": 'days of the week, e.g. ["1", "2", "3", "4", "5"] ("1" = Monday ... "7" = Sunday)',
    "urls": 'a list of links, e.g. ["https://dichvucong.gov.vn"]',
    "id": 'a short id in quotes, e.g. "ttpvhcc-kinh-bac"',
    "ids": 'a list of ids, e.g. ["ttpvhcc-kinh-bac"]',
    "textmap": 'a table of "phrase" = "text" lines, e.g. ko = "không"',
    "listmap": 'a table of name = ["phrase", ...] lines, e.g. fee = ["lệ phí", "bao nhiêu tiền"]',
    "reviews": 'a list of texts or { about = "fee", text = "..." } items, e.g. ["...", { about = "fee", text = "..." }]',
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
    "reviews": lambda v: isinstance(v, list) and all((isinstance(x, str) and x.strip()) or isinstance(x, dict) for x in v),
}


def check_table(data: dict, keys: tuple[Key, ...], path: tuple = (), required: tuple[str, ...] = (),
                outer: tuple[Key, ...] = ()) -> list[Finding]:
    """Findings for unknown keys, missing required keys and wrongly typed values.

    Values staff may spell several ways ("7h30", "Thứ 7", "50.000") are normalised in place by
    bot/knowledge/values.py, the parser rendering uses too. `outer` are the keys of the enclosing
    table, to explain TOML's trap: a key written after a [table] header belongs to that table.
    """
    findings: list[Finding] = []
    known = {k.name: k for k in keys}
    for name in data:
        if name not in known:
            findings.append(((*path, name), unknown_key(name, known, path, outer)))
    for key in keys:
        if key.name not in data:
            if (key.required or key.name in required) and not trapped(data, keys, key.name) \
                    and not difflib.get_close_matches(key.name, [n for n in data if n not in known], n=1):
                findings.append(((*path, key.name), st("missing; add {what} ({help})", what=st(KIND_WORDS[key.kind]),
                                                       help=st(key.help))))
            continue
        found = check_value(data[key.name], key, (*path, key.name), keys)
        if not found and key.kind in PARSERS:
            data[key.name] = PARSERS[key.kind](data[key.name])
        findings.extend(found)
    if "open" in known and "close" in known and not findings and (why := span_problem(data)):
        findings.append(((*path, "close"), why))
    return findings


def table_name(path: tuple) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int))


def unknown_key(name: str, known: dict, path: tuple, outer: tuple[Key, ...]) -> str:
    """Why a key is not allowed here, and what to do: move it (the TOML trap), fix a typo, or remove it."""
    if name in {k.name for k in outer} and path:
        return trap_message(name, path)
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return st('unknown key; did you mean "{close}"?', close=close[0])
    return st("unknown key; remove it, or use one of the keys allowed here: {keys}", keys=", ".join(known))


def trap_message(name: str, path: tuple) -> str:
    """TOML's trap in plain words: a key written below a [table] header belongs to that table."""
    table = table_name(path)
    header = f"[[{table}]]" if isinstance(path[-1], int) else f"[{table}]"
    return st('"{key}" is written below the {header} header, so TOML puts it inside that {table} block, '
              'where it does not belong; move the line "{key} = ..." up, above the first {header} header '
              '(the keys of a table come before its sub-tables)', key=name, header=header, table=table)


def trapped(data: dict, keys: tuple[Key, ...], name: str) -> bool:
    """True when `name` sits in a sub-table that does not know it: reported there, not as missing here."""
    for key in keys:
        if (key.keys or key.kind in MAPPINGS) and name not in {k.name for k in key.keys} and key.name in data:
            value = data[key.name]
            if any(isinstance(x, dict) and name in x for x in (value if isinstance(value, list) else [value])):
                return True
    return False


def check_value(value, key: Key, path: tuple, outer: tuple[Key, ...] = ()) -> list[Finding]:
    """Findings for one value: its kind (parsed by bot/knowledge/values.py when it has a parser), choices, sub-tables."""
    if key.kind in MAPPINGS and isinstance(value, dict) and (names := [n for n in value if n in {k.name for k in outer}]):
        return [((*path, n), trap_message(n, path)) for n in names]
    if key.kind in PARSERS:
        try:
            PARSERS[key.kind](value)
        except BadValue as exc:
            return [(path, f"{exc.message} ({st(key.help)})")]
    elif not CHECKS[key.kind](value):
        return [(path, st("should be {what} ({help})", what=st(KIND_WORDS[key.kind]), help=st(key.help)))]
    if key.choices and isinstance(value, str) and value not in key.choices:
        return [(path, st('"{value}" is not allowed; use one of: {choices}', value=value, choices=", ".join(key.choices)))]
    if key.kind == "table" and key.keys:
        return check_table(value, key.keys, path, outer=outer)
    if key.kind in ("tables", "reviews") and key.keys:
        return [f for i, item in enumerate(value) if isinstance(item, dict)
                for f in check_table(item, key.keys, (*path, i), outer=outer)]
    return []
