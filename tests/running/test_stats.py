"""Usage figures from a real embedded store filled as the channels fill it (`save`, times set to known instants)."""
import asyncio
import datetime as dt

import pytest

from bot.running import stats
from bot.running.journal import StateStore

TODAY = dt.date(2026, 11, 27)  # Vietnam time
UTC = dt.timezone.utc


def at(text: str) -> str:
    """A UTC ISO time from 'YYYY-MM-DD HH:MM' given in UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat(timespec="seconds")


class Recorded:
    """The store's records, read back through its real interface (each call runs the coroutine)."""

    def __init__(self, store: StateStore):
        self.store = store

    def questions(self):
        return asyncio.run(self.store.questions())

    def feedback(self):
        return asyncio.run(self.store.feedback())

    def purge(self, days: int, today: dt.date) -> int:
        return asyncio.run(self.store.purge(days, today=today))


def add(store: StateStore, when: str, event: dict, chat: int = 1) -> None:
    """Record an event as the channels do, at a known instant."""
    asyncio.run(store.save(chat, None, [event], at=dt.datetime.fromisoformat(when).replace(tzinfo=UTC)))


def asked(text, procedure="ho-tich/khai-sinh", **extra):
    return {"question": text, "intent": "procedure", "procedure": procedure, "score": 0.9, **extra}


@pytest.fixture
def store(tmp_path):
    s = StateStore(tmp_path, retention_days=3650, session_days=3650)
    add(s, "2026-11-27 03:00", asked("làm giấy khai sinh"))                        # 10:00 today
    add(s, "2026-11-26 18:30", asked("đăng ký tạm trú", "cu-tru/tam-tru"))          # 01:30 today (VN)
    add(s, "2026-11-26 16:00", asked("làm giấy khai sinh cho con"))                # 23:00 yesterday
    add(s, "2026-11-26 02:00", {"question": "con voi bay", "intent": "none", "score": 0.1, "unanswered": True})
    add(s, "2026-11-27 04:00", {"question": "Con  voi bay ", "intent": "none", "score": 0.1, "unanswered": True})
    add(s, "2026-11-27 05:00", asked("đăng ký", "cu-tru/thuong-tru", score=0.4, low_confidence=True))
    add(s, "2026-11-27 05:01", {"intent": "procedure", "procedure": "cu-tru/tam-tru", "picked": True})
    add(s, "2026-11-25 01:00", {"question": "hồ sơ 000.00.23.H10-250703-0005", "intent": "status",
                                "procedure": "ho-tich/khai-sinh", "score": 0.3})
    add(s, "2026-11-21 01:00", asked("khai sinh"))                                   # first day of the week
    add(s, "2026-11-20 16:59", asked("khai sinh", "ho-tich/khai-tu"))                # 23:59 on the 20th: outside
    add(s, "2026-11-10 01:00", {"question": "câu hỏi cũ", "intent": "none", "unanswered": True})
    add(s, "2026-11-27 06:00", {"feedback": "up", "procedure": "ho-tich/khai-sinh"})
    add(s, "2026-11-27 06:01", {"feedback": "up", "procedure": "ho-tich/khai-sinh"})
    add(s, "2026-11-26 06:00", {"feedback": "down", "procedure": "ho-tich/khai-sinh"})
    add(s, "2026-11-26 06:00", {"feedback": "down", "procedure": "cu-tru/tam-tru"})
    add(s, "2026-11-01 06:00", {"feedback": "down", "procedure": "ho-tich/khai-tu"})
    yield Recorded(s)
    s.close()


def test_days_are_counted_in_vietnam_time(store):
    fig = stats.figures(store.questions(), store.feedback(), days=7, today=TODAY)
    assert [d.day for d in fig.days] == [dt.date(2026, 11, 21) + dt.timedelta(days=i) for i in range(7)]
    by_day = {d.day.day: (d.asked, d.answered) for d in fig.days}
    assert by_day == {21: (1, 1), 22: (0, 0), 23: (0, 0), 24: (0, 0), 25: (1, 1), 26: (2, 1), 27: (4, 2)}
    assert fig.asked_today == 4  # the pressed choice is not a question; 01:30 Vietnam time is today
    assert (fig.asked, fig.answered) == (8, 5) and fig.rate == pytest.approx(5 / 8)
    assert fig.days[1].rate is None and fig.days[-1].rate == 0.5


def test_top_procedures_count_answers_and_choices_not_other_intents(store):
    fig = stats.figures(store.questions(), store.feedback(), days=7, today=TODAY)
    # khai-sinh: 3 answered questions (the status question does not count); tam-tru: 1 answer + 1 choice
    assert fig.top_procedures == [("ho-tich/khai-sinh", 3), ("cu-tru/tam-tru", 2)]
    assert stats.top_procedures(store.questions(), n=1) == [("ho-tich/khai-sinh", 3)]


def test_unanswered_questions_are_grouped_by_wording(store):
    fig = stats.figures(store.questions(), store.feedback(), days=7, today=TODAY)
    assert fig.top_unanswered == [("con voi bay", 2), ("đăng ký", 1)]
    latest = stats.latest_unanswered(store.questions(), n=3)
    assert [(w.strftime("%d/%m %H:%M"), text) for w, text in latest] == [
        ("27/11 12:00", "đăng ký"), ("27/11 11:00", "Con  voi bay "), ("26/11 09:00", "con voi bay")]
    assert latest[0][0].utcoffset() == dt.timedelta(hours=7)


def test_feedback_up_and_down_per_procedure(store):
    fig = stats.figures(store.questions(), store.feedback(), days=7, today=TODAY)
    assert fig.feedback == {"ho-tich/khai-sinh": {"up": 2, "down": 1}, "cu-tru/tam-tru": {"up": 0, "down": 1}}
    assert stats.feedback_by_procedure(store.feedback())["ho-tich/khai-tu"] == {"up": 0, "down": 1}


def test_purged_texts_still_count_but_are_not_listed(store):
    assert store.purge(1, today=dt.date(2026, 11, 28)) == 6  # the UTC days 1, 10, 20, 21, 25, 26 (not the 27th)
    assert store.purge(1, today=dt.date(2026, 11, 28)) == 0  # already done
    assert [q["text"] for q in store.questions() if q["time"].startswith("2026-11-27")][0] == "làm giấy khai sinh"
    assert {q["text"] for q in store.questions() if q["time"] < "2026-11-27"} == {None}
    assert store.purge(0, today=dt.date(2026, 11, 28)) == 1
    fig = stats.figures(store.questions(), store.feedback(), days=7, today=TODAY)
    assert (fig.asked, fig.answered) == (8, 5)
    assert fig.top_procedures == [("ho-tich/khai-sinh", 3), ("cu-tru/tam-tru", 2)]
    assert fig.top_unanswered == [] and stats.latest_unanswered(store.questions()) == []


def test_nothing_recorded(tmp_path):
    fig = stats.figures([], [], days=3, today=TODAY)
    assert [(d.asked, d.answered) for d in fig.days] == [(0, 0)] * 3
    assert fig.rate is None and fig.top_procedures == [] and fig.top_unanswered == [] and fig.feedback == {}
    assert stats.answer_rate([]) is None


def test_unreadable_times_are_skipped():
    records = [{"time": "not a time", "text": "a"}, {"text": "b"}, {"time": at("2026-11-27 01:00"), "text": "c",
                                                                   "answered": True}]
    assert [r["text"] for r in stats.in_days(records, TODAY, TODAY)] == ["c"]
    assert stats.per_day(records, TODAY, TODAY) == [stats.Day(TODAY, 1, 1)]
