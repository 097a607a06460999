"""Usage figures from the stored questions and feedback: pure functions shared by /stats and the report.

Input is what the store's `questions(since)` / `feedback(since)` return (plain dicts with a UTC ISO
`time`). Days are counted in Vietnam time (UTC+7). A "question" is typed text; a pressed choice
(`picked`) is not a question but does count towards the procedures citizens looked at.
"""
from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


@dataclass(frozen=True)
class Day:
    day: dt.date
    asked: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


@dataclass
class Figures:
    """Everything /stats and the report show, for the `days` days ending `today`."""

    today: dt.date
    days: list[Day]
    asked_today: int
    asked: int
    answered: int
    top_procedures: list[tuple[str, int]]
    top_unanswered: list[tuple[str, int]]
    feedback: dict[str, dict[str, int]] = field(default_factory=dict)
    desk: "DeskFigures | None" = None  # tickets handed to a person (bot/running/desk.py), when given
    failed: int = 0  # answers that failed to build (bot/answering/guard.py: last good answer or apology sent)

    @property
    def rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


@dataclass(frozen=True)
class DeskFigures:
    """Tickets opened and answered by a person, the median wait for the first answer, per ward."""

    opened: int
    answered: int
    median_wait: dt.timedelta | None
    wards: list[tuple[str, int, int]]  # (ward, opened, answered), most opened first
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (question, procedure id) from the desk


def desk_figures(tickets: list[dict], first: dt.date, last: dt.date, tz: dt.tzinfo = VN_TZ) -> DeskFigures:
    """Tickets opened between `first` and `last` (local days); waits are opened → first answer."""
    window = [x for x in tickets if (d := local_day({"time": x.get("opened")}, tz)) is not None and first <= d <= last]
    answered = [x for x in window if x.get("first_answer")]
    waits = [dt.datetime.fromisoformat(x["first_answer"]) - dt.datetime.fromisoformat(x["opened"]) for x in answered]
    opened, done = Counter(x.get("ward") or "–" for x in window), Counter(x.get("ward") or "–" for x in answered)
    wards = sorted(((w, n, done[w]) for w, n in opened.items()), key=lambda r: (-r[1], r[0]))
    return DeskFigures(len(window), len(answered), statistics.median(waits) if waits else None, wards,
                       alias_suggestions(tickets))


def alias_suggestions(tickets: list[dict]) -> list[tuple[str, str]]:
    """(question, procedure) suggested from closed tickets with "Thêm vào kiến thức", newest first; never applied."""
    found = sorted((s for x in tickets for s in x.get("suggestions", [])), key=lambda s: s.get("time") or "", reverse=True)
    return [(s["alias"], s["procedure"]) for s in found if s.get("alias") and s.get("procedure")]


def local_time(record: dict, tz: dt.tzinfo = VN_TZ) -> dt.datetime | None:
    """The record's time in `tz` (None when missing or unreadable)."""
    try:
        when = dt.datetime.fromisoformat(record["time"])
    except (KeyError, TypeError, ValueError):
        return None
    return (when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)).astimezone(tz)


def local_day(record: dict, tz: dt.tzinfo = VN_TZ) -> dt.date | None:
    when = local_time(record, tz)
    return when.date() if when else None


def in_days(records: list[dict], first: dt.date, last: dt.date, tz: dt.tzinfo = VN_TZ) -> list[dict]:
    """Records whose local day is between `first` and `last` (inclusive)."""
    return [r for r in records if (d := local_day(r, tz)) is not None and first <= d <= last]


def typed(questions: list[dict]) -> list[dict]:
    """Questions the citizen typed (not a pressed choice)."""
    return [q for q in questions if not q.get("picked")]


def is_answered(question: dict) -> bool:
    return bool(question.get("answered")) and not question.get("unanswered") and not question.get("low_confidence")


def per_day(questions: list[dict], first: dt.date, last: dt.date, tz: dt.tzinfo = VN_TZ) -> list[Day]:
    """Asked and answered counts for every day from `first` to `last`, days without questions included."""
    asked, answered = Counter(), Counter()
    for q in typed(questions):
        day = local_day(q, tz)
        asked[day] += 1
        answered[day] += is_answered(q)
    span = (last - first).days + 1
    return [Day(d, asked[d], answered[d]) for d in (first + dt.timedelta(days=i) for i in range(max(span, 0)))]


def answer_rate(questions: list[dict]) -> float | None:
    """Share of typed questions that got an answer (None when nothing was asked)."""
    asked = typed(questions)
    return sum(map(is_answered, asked)) / len(asked) if asked else None


def top_procedures(questions: list[dict], n: int = 5) -> list[tuple[str, int]]:
    """Procedures answered most often (typed questions and pressed choices), most first."""
    counts = Counter(q["procedure"] for q in questions
                     if q.get("procedure") and q.get("intent") == "procedure" and (q.get("picked") or is_answered(q)))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _wording(text: str) -> str:
    return " ".join(text.lower().split())


def top_unanswered(questions: list[dict], n: int = 5) -> list[tuple[str, int]]:
    """Unanswered or unsure questions, same wording grouped (case and spaces ignored), most first."""
    counts: Counter = Counter()
    shown: dict[str, str] = {}
    for q in typed(questions):
        if is_answered(q) or not q.get("text"):
            continue
        key = _wording(q["text"])
        counts[key] += 1
        shown.setdefault(key, " ".join(q["text"].split()))
    return [(shown[k], c) for k, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def latest_unanswered(questions: list[dict], n: int = 10, tz: dt.tzinfo = VN_TZ) -> list[tuple[dt.datetime, str]]:
    """The `n` most recent unanswered or unsure question texts with their local time, newest first."""
    found = [(when, q["text"]) for q in typed(questions)
             if not is_answered(q) and q.get("text") and (when := local_time(q, tz)) is not None]
    return sorted(found, key=lambda item: item[0], reverse=True)[:n]


def feedback_by_procedure(feedback: list[dict]) -> dict[str, dict[str, int]]:
    """procedure → {"up": n, "down": n}, procedures with the most votes first."""
    votes: dict[str, Counter] = {}
    for f in feedback:
        if f.get("procedure") and f.get("vote") in ("up", "down"):
            votes.setdefault(f["procedure"], Counter())[f["vote"]] += 1
    ranked = sorted(votes.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return {pid: {"up": c["up"], "down": c["down"]} for pid, c in ranked}


def today_in(tz: dt.tzinfo = VN_TZ) -> dt.date:
    return dt.datetime.now(tz).date()


def first_utc_day(days: int, today: dt.date | None = None) -> dt.date:
    """The first UTC day whose records can fall in the `days` Vietnam days ending `today`: the store
    reads from there on, never the whole history."""
    return (today or today_in()) - dt.timedelta(days=max(days, 1))


def figures(questions: list[dict], feedback: list[dict], days: int = 7, today: dt.date | None = None,
            tz: dt.tzinfo = VN_TZ, top: int = 5, tickets: list[dict] | None = None) -> Figures:
    """All figures for the `days` days ending `today` (Vietnam time)."""
    today = today or today_in(tz)
    first = today - dt.timedelta(days=max(days, 1) - 1)
    window = in_days(questions, first, today, tz)
    asked = typed(window)
    return Figures(
        today=today,
        days=per_day(window, first, today, tz),
        asked_today=len(in_days(asked, today, today, tz)),
        asked=len(asked),
        answered=sum(map(is_answered, asked)),
        top_procedures=top_procedures(window, top),
        top_unanswered=top_unanswered(window, top),
        feedback=feedback_by_procedure(in_days(feedback, first, today, tz)),
        desk=desk_figures(tickets, first, today, tz) if tickets is not None else None,
        failed=sum(q.get("intent") == "error" for q in window),
    )
