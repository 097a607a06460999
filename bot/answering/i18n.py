"""User-facing text: babel message catalogs (bot/answering/locale/<lang>/LC_MESSAGES/messages.po) and babel formatting.

Code writes `t("Documents to bring")`; the Vietnamese catalog gives what citizens read. Money,
dates and times are formatted by babel for the language (50.000 ₫, 27 tháng 11, 2026, 07:30).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.core import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_currency

from bot.knowledge import values
from bot.knowledge.text import po_messages

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")
BABEL_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
REMEMBERED = 4096  # formatted values kept per language (knowledge has a few hundred)


def typed(value):
    """A value as a key that tells apart what compares equal but formats differently (1, 1.0, True; [..], (..))."""
    if isinstance(value, (list, tuple)):
        return type(value), tuple(typed(v) for v in value)
    hash(value)  # TypeError for anything else unhashable
    return type(value), value


@lru_cache(maxsize=None)
def catalog(language: str) -> dict[str, str]:
    """msgid → translation for one language (empty for the source language, English)."""
    return po_messages(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", language)


class Translator:
    """Messages and formats for one language; Vietnamese unless the citizen chose otherwise."""

    def __init__(self, language: str = DEFAULT_LANGUAGE):
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.messages = catalog(self.language)
        self.locale = Locale.parse(BABEL_LOCALES[self.language])  # parsed once: babel re-parses a string every call
        self.formatted: dict[tuple, str] = {}

    def __call__(self, msgid: str, **values) -> str:
        text = self.messages.get(msgid, msgid)
        return text.format(**values) if values else text

    # Values are read by bot/knowledge/values.py, the parser check-knowledge and the loader use. Each format is
    # remembered (`remembered`): a card formats the same few fees, hours and days over and over.
    def money(self, amount: int) -> str:
        return self.remembered(self._money, amount)

    def date(self, value: dt.date | str) -> str:
        return self.remembered(self._date, value)

    def time(self, value: str) -> str:
        return self.remembered(self._time, value)

    def weekdays(self, days: list[str]) -> str:
        """ISO weekday numbers (or "thứ 2 - thứ 6", "T7", "CN") → 'Thứ Hai – Thứ Sáu' or a list, in the language."""
        return self.remembered(self._weekdays, days)

    def remembered(self, format_value, value) -> str:
        """format_value(value), computed once per value (told apart by type too: 1, 1.0 and True; a list and a
        tuple); an unhashable value is formatted every time, a value that fails is never remembered."""
        try:
            key = (format_value.__name__, typed(value))
            return self.formatted[key]
        except TypeError:
            return format_value(value)
        except KeyError:
            if len(self.formatted) >= REMEMBERED:
                self.formatted.clear()
            text = self.formatted[key] = format_value(value)
            return text

    def _money(self, amount: int) -> str:
        return format_currency(values.parse_fee(amount), "VND", locale=self.locale)

    def _date(self, value: dt.date | str) -> str:
        return format_date(values.as_date(value), "long", locale=self.locale)

    def _time(self, value: str) -> str:
        hour, minute = (int(x) for x in values.parse_time(value).split(":"))
        return format_time(dt.time(hour, minute), "HH:mm", locale=self.locale)

    def _weekdays(self, days: list[str]) -> str:
        day_names = get_day_names("wide", locale=self.locale)
        nums = [int(d) for d in values.parse_days(days)]
        names = [day_names[d - 1].capitalize() for d in nums]
        if len(nums) > 2 and nums == list(range(nums[0], nums[-1] + 1)):
            return f"{names[0]} – {names[-1]}"
        return ", ".join(names)


def translator(language: str | None = None) -> Translator:
    return _translator(language or DEFAULT_LANGUAGE)


@lru_cache(maxsize=None)
def _translator(language: str) -> Translator:
    return Translator(language)
