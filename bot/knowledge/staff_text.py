"""Messages for staff (check-knowledge, refused reloads): English msgids, Vietnamese unless BOT_STAFF_LANG=en.

Code writes `st("missing; add {what}")`; bot/knowledge/locale/vi/LC_MESSAGES/staff.po gives what staff
read. The schema's help texts and kind descriptions are data, so they are translated with
`st(text)` too (tests/knowledge/test_staff_text.py checks that every one has a translation).
A msgid without a translation falls back to English, never fails.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.knowledge.text import po_messages

LOCALE_DIR = Path(__file__).parent / "locale"
STAFF_LANGUAGES = ("vi", "en")
_chosen = {"language": "vi"}


def set_staff_language(language: str) -> None:
    """vi (default) or en; anything else keeps Vietnamese."""
    _chosen["language"] = language if language in STAFF_LANGUAGES else "vi"


def staff_language() -> str:
    return _chosen["language"]


@lru_cache(maxsize=None)
def staff_catalog(language: str) -> dict[str, str]:
    return po_messages(LOCALE_DIR / language / "LC_MESSAGES" / "staff.po", language)


def st(msgid: str, **values) -> str:
    """`msgid` in the staff's language, with `values` filled in."""
    text = staff_catalog(staff_language()).get(msgid, msgid)
    try:
        return text.format(**values) if values else text
    except (KeyError, IndexError, ValueError):  # a broken translation must not hide the problem itself
        return msgid.format(**values) if values else msgid
