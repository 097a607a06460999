"""Text safety and folding, shared by every layer: the lowest module of the project.

`safe_text` is applied once at each channel's edge, before the core or the store sees a citizen's
text: lone surrogates and other code points that cannot be encoded become U+FFFD, control
characters (but newline and tab) are dropped, and the result is NFC. `fold` drops diacritics.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from babel.messages.pofile import read_po

MAX_JSON_DEPTH = 32

REPLACEMENT = "\ufffd"
UNENCODABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")  # lone surrogates, non-characters
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0/C1 controls but tab and newline


def safe_text(text, limit: int | None = None) -> str:
    """Any value → a str that UTF-8 can encode, NFC, without control characters; cut to `limit`."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    elif type(text) is str and text.isascii() and text.isprintable():
        return text[:limit] if limit is not None else text  # nothing to replace, drop or compose: most JSON keys and values
    text = CONTROL.sub(" ", UNENCODABLE.sub(REPLACEMENT, text))
    text = unicodedata.normalize("NFC", text)
    return text[:limit] if limit is not None else text


def safe_json(value, depth: int = 0):
    """A decoded JSON value with every string (keys too) made safe; ValueError when nested too deep."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH}")
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_text(k): safe_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [safe_json(v, depth + 1) for v in value]
    return value


def parse_json(raw: bytes | str, errors: str = "strict"):
    """Bytes from the network → a safe JSON value. JSON is UTF-8 (RFC 8259): a declared charset is
    ignored; undecodable bytes are refused (or replaced, errors="replace"). ValueError for anything
    that is not sane JSON."""
    text = raw.decode("utf-8", errors=errors) if isinstance(raw, (bytes, bytearray)) else raw
    try:
        return safe_json(json.loads(text))
    except RecursionError as exc:
        raise ValueError("JSON nested too deep") from exc


def _fold_table() -> dict[int, str | None]:
    """Every Latin letter with diacritics → its base letter; combining marks → nothing."""
    table: dict[int, str | None] = {c: None for c in range(0x300, 0x370)}
    for c in range(0xC0, 0x1F00):
        base = "".join(x for x in unicodedata.normalize("NFD", chr(c)) if not unicodedata.combining(x))
        if base != chr(c) and len(base) == 1 and base.isascii():
            table[c] = base.lower()
    table.update({ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("Ð"): "d"})
    return table


FOLD_TABLE = _fold_table()


def fold(text: str) -> str:
    """Drop every diacritic: 'Đăng ký' → 'dang ky'. Lower case; NFC or NFD in."""
    return text.lower().translate(FOLD_TABLE)


def po_messages(path: Path, language: str) -> dict[str, str]:
    """A babel .po catalog as msgid → translation (fuzzy and untranslated entries left out; {} if no file)."""
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=language)
    return {m.id: m.string for m in cat if m.id and m.string and not m.fuzzy}
