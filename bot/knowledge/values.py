"""One parser for every value the answer path interprets: check-knowledge, the loader and rendering all use these.

Each `parse_*` returns the value in its one canonical form ("7h30" → "07:30", "thứ 2 - thứ 6" →
["1", ..., "5"], "50.000 đ" → 50000) or raises `BadValue` whose message shows the accepted form.
Common staff spellings are understood only where the meaning is certain; anything else is refused.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

from bot.knowledge.staff_text import st
from bot.knowledge.text import fold

MAX_FEE = 1_000_000_000  # VND; a larger amount is a typo (or belongs in fee_text)
MAX_DAYS = 366  # processing time in days
FUTURE_GRACE = dt.timedelta(days=1)  # time zones: "today" in Vietnam may be tomorrow in UTC


class BadValue(ValueError):
    """A value that cannot be understood; the message says what is accepted."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _shown(value) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- times -----------------------------------------------------------------------------------------------
TIME = re.compile(r"(\d{1,2})\s*(?::|h|g|\.|giờ|gio)\s*(\d{1,2})?\s*(?:phút|phut|p)?")


def parse_time(value) -> str:
    """'07:30', '7:30', '7h30', '7h', '07.30', '7 giờ 30', a TOML time → '07:30' (24-hour clock)."""
    if isinstance(value, dt.time):
        hour, minute = value.hour, value.minute
    elif isinstance(value, str) and (m := TIME.fullmatch(value.strip().lower())):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
    else:
        raise BadValue(st('"{value}" is not a time; write it as "07:30" (hours:minutes, 24-hour clock, e.g. "13:30")',
                          value=_shown(value)))
    if hour > 23 or minute > 59:
        raise BadValue(st('"{value}" is not a time of day: hours go from 00 to 23, minutes from 00 to 59; '
                          'write it as "07:30"', value=_shown(value)))
    return f"{hour:02d}:{minute:02d}"


def minutes(hhmm: str) -> int:
    hour, minute = parse_time(hhmm).split(":")
    return int(hour) * 60 + int(minute)


# --- weekdays ----------------------------------------------------------------------------------------------
DAY_WORDS = {"hai": 1, "ba": 2, "tu": 3, "nam": 4, "sau": 5, "bay": 6}
DAY = re.compile(r"(?:thu|t)\s*([2-7]|hai|ba|tu|nam|sau|bay)|(cn|chu nhat)|([1-7])")
RANGE = re.compile(r"(.+?)\s*(?:-|–|—|đến|den|toi|tới)\s*(.+)")


def _one_day(token: str) -> int | None:
    m = DAY.fullmatch(fold(token.strip()).replace("đ", "d"))
    if not m:
        return None
    if m.group(1):
        word = m.group(1)
        return int(word) - 1 if word.isdecimal() else DAY_WORDS[word]
    return 7 if m.group(2) else int(m.group(3))


def _day_item(item) -> list[int]:
    if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= 7:
        return [item]
    if not isinstance(item, str):
        raise BadValue("")
    out: list[int] = []
    for part in re.split(r"[,;]|\s+và\s+", item):
        if (day := _one_day(part)) is not None:
            out.append(day)
        elif (m := RANGE.fullmatch(part.strip())) and None not in (a := _one_day(m.group(1)), b := _one_day(m.group(2))):
            if b < a:
                raise BadValue("")
            out += range(a, b + 1)
        else:
            raise BadValue("")
    return out


def parse_days(value) -> list[str]:
    """["1", "2"], "Thứ 7", "T7", "CN", "thứ 2 - thứ 6", "T2, T4" → ISO weekdays as texts ("1" = Monday, "7" = Sunday)."""
    items = value if isinstance(value, list) else [value]
    try:
        days = sorted({d for item in items for d in _day_item(item)})
    except BadValue:
        days = []
    if not days:
        raise BadValue(st('{value} are not days of the week; write ["1", "2", "3", "4", "5"] ("1" = Monday ... '
                          '"6" = Saturday, "7" = Sunday) or "thứ 2 - thứ 6", "Thứ 7", "CN"', value=_shown(value)))
    return [str(d) for d in days]


# --- amounts, counts, dates, links, ids --------------------------------------------------------------------
AMOUNT = re.compile(r"(\d{1,3}(?:[.,\s]\d{3})+|\d+)\s*(?:đồng|đ|vnd|vnđ|₫)?")


def parse_fee(value) -> int:
    """A fee in VND: 50000, "50.000", "50.000 đồng" → 50000; "miễn phí" → 0; never negative."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if fold(text) in ("mien phi", "khong mat phi", "0"):
            return 0
        m = AMOUNT.fullmatch(text)
        value = int(re.sub(r"\D", "", m.group(1))) if m else None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_FEE:
        raise BadValue(st("should be a fee in VND as a whole number without quotes or dots, e.g. 50000 "
                          "(0 = free; a range or a fee per page goes in fee_text)"))
    return value


def parse_count(value) -> int | float:
    """A number of (working) days: 0 ... 366."""
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
        raise BadValue(st("should be a number of days between 0 and {most}, without quotes, e.g. 15",
                          most=MAX_DAYS))
    return value


DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def as_date(value) -> dt.date:
    """A TOML date, '2026-11-27' or '27/11/2026' (day/month/year, as written in Vietnam) → a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        if isinstance(value, str) and (m := DMY.fullmatch(value.strip())):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(value.strip())
    except (AttributeError, TypeError, ValueError):
        raise BadValue(st("should be a date without quotes, e.g. 2026-11-27 (year-month-day)")) from None


def parse_date(value, today: dt.date | None = None):
    """A check date: understood as `as_date`, and not in the future. Dates stay dates, texts become ISO texts."""
    day = as_date(value)
    if day > (today or dt.date.today()) + FUTURE_GRACE:
        raise BadValue(st("{day} is in the future; write the date the facts were actually checked, e.g. {today}",
                          day=day.isoformat(), today=(today or dt.date.today()).isoformat()))
    return day.isoformat() if isinstance(value, str) else day


def parse_url(value) -> str:
    """An absolute http(s) link with a host and no spaces."""
    if isinstance(value, str) and not any(c.isspace() for c in value.strip()):
        parsed = urlparse(value.strip())
        if parsed.scheme in ("http", "https") and "." in parsed.netloc:
            return value.strip()
    raise BadValue(st('"{value}" is not a link; write it in quotes starting with https://, '
                      'e.g. "https://dichvucong.gov.vn"', value=_shown(value)))


def parse_urls(value) -> list[str]:
    if not isinstance(value, list):
        raise BadValue(st('should be a list of links, e.g. ["https://dichvucong.gov.vn"]'))
    return [parse_url(v) for v in value]


ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def parse_id(value) -> str:
    """A short id: lower-case letters without accents, digits and '-', e.g. ttpvhcc-kinh-bac."""
    if isinstance(value, str) and ID.fullmatch(value.strip()):
        return value.strip()
    raise BadValue(st('"{value}" is not an id; use lower-case letters without accents, digits and "-", '
                      'e.g. "ttpvhcc-kinh-bac"', value=_shown(value)))


def parse_ids(value) -> list[str]:
    if not isinstance(value, list):
        raise BadValue(st('should be a list of ids, e.g. ["ttpvhcc-kinh-bac"]'))
    return [parse_id(v) for v in value]


def parse_textmap(value) -> dict:
    """A table of "phrase" = "text" lines (abbreviations, synonyms): every value a text."""
    if isinstance(value, dict) and all(isinstance(v, str) and v.strip() for v in value.values()):
        return value
    bad = next((k for k, v in value.items() if not isinstance(v, str) or not v.strip()), "") if isinstance(value, dict) else ""
    raise BadValue(st('should be a table of "phrase" = "text" lines, e.g. ko = "không" (check "{key}")', key=bad))


def parse_listmap(value) -> dict:
    """A table of name = ["phrase", ...] lines (intents, aspects): every value a list of texts."""
    def ok(v):
        return isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v)
    if isinstance(value, dict) and all(ok(v) for v in value.values()):
        return value
    bad = next((k for k, v in value.items() if not ok(v)), "") if isinstance(value, dict) else ""
    raise BadValue(st('should be a table of name = ["phrase", ...] lines, e.g. fee = ["lệ phí"] (check "{key}")', key=bad))


PARSERS = {"time": parse_time, "weekdays": parse_days, "int": parse_fee, "number": parse_count,
           "date": parse_date, "url": parse_url, "urls": parse_urls, "id": parse_id, "ids": parse_ids,
           "textmap": parse_textmap, "listmap": parse_listmap}


def span_problem(table: dict) -> str | None:
    """Opening hours: the closing time must come after the opening time (both already parsed)."""
    try:
        opens, closes = minutes(table["open"]), minutes(table["close"])
    except (KeyError, BadValue):
        return None
    if closes <= opens:
        return st("closing time {close} is not after opening time {open}; check both (afternoon hours are "
                  "written 13:30-17:00, not 1:30-5:00)", close=table["close"], open=table["open"])
    return None
