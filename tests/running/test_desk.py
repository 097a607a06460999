"""The desk's ticket rules over a real store: open, follow-ups, restart, reopen within a day, answers, figures."""
import datetime as dt

import pytest

from bot.running import stats
from bot.running.delivery import Deliveries
from bot.running.desk import ALPHABET, Desk
from bot.running.report import render_html, render_text
from bot.running.journal import StateStore

VN = dt.timezone(dt.timedelta(hours=7))
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=VN)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


class Desk_:
    """What the desk group and the citizens' channels were given (registered like the real channels do)."""

    def __init__(self):
        self.posted, self.delivered = [], []
        self.deliveries = Deliveries()

        async def post(ticket, event, text=""):
            self.posted.append((event, ticket["id"], text))

        async def deliver(address, message):
            self.delivered.append((address, message))

        self.deliveries.desk(post)
        self.deliveries.citizen("web", deliver)


@pytest.fixture
def seen():
    return Desk_()


@pytest.fixture
def store(tmp_path):
    state = StateStore(tmp_path)
    yield state
    state.close()


async def says(desk, assistant, session, text, address="web-key-1"):
    return await desk.route("web", address, session, text, assistant.reply(text, session))


async def test_a_ticket_survives_a_restart_and_follow_ups_reach_the_desk(assistant, tmp_path, seen):
    store, clock, session = StateStore(tmp_path), Clock(MONDAY_10), {"ward": "phường Kinh Bắc"}
    desk = Desk(store, assistant, seen.deliveries, clock)
    await says(desk, assistant, session, "lệ phí khai sinh bao nhiêu")
    answer = await says(desk, assistant, session, "cho tôi gặp cán bộ, sđt 0912345678")
    assert answer.kind == "handoff" and answer.sections[0].lines[0].startswith("Mã yêu cầu của bạn: ")
    [(event, tid, _)] = seen.posted
    assert event == "opened" and len(tid) == 5 and set(tid) <= set(ALPHABET)
    ticket = store.ticket(tid)
    assert ticket["question"] == "cho tôi gặp cán bộ, sđt ••••••••••" and ticket["ward"] == "phường Kinh Bắc"
    assert ticket["turns"][0] == "Người dân: lệ phí khai sinh bao nhiêu" and ticket["status"] == "open"
    store.close()

    store = StateStore(tmp_path)  # a restart: a new store and desk on the same folder
    try:
        desk, session = Desk(store, assistant, seen.deliveries, clock), {}  # even with the session forgotten
        again = await says(desk, assistant, session, "gặp cán bộ")
        assert again.title == f"Cán bộ đã nhận câu hỏi của bạn (mã {tid})."
        assert seen.posted[-1] == ("message", tid, "gặp cán bộ")
        assert [t["id"] for t in store.tickets()] == [tid]
    finally:
        store.close()


async def test_reopened_within_a_day_new_ticket_after(assistant, store, seen):
    clock, session = Clock(MONDAY_10), {}
    desk = Desk(store, assistant, seen.deliveries, clock)
    await says(desk, assistant, session, "cho tôi gặp cán bộ")
    tid = seen.posted[-1][1]
    assert (await desk.answer(tid, "Hoa", "Chào bạn"))["delivered"]
    assert seen.delivered == [("web-key-1", {"from": "person", "name": "Hoa", "text": "Chào bạn", "ticket": tid,
                                             "time": "2026-11-30T03:00:00+00:00", "language": "vi"})]
    desk.close(tid, "Hoa")

    clock.now += dt.timedelta(hours=2)
    await says(desk, assistant, session, "xin chào")  # a greeting or thanks does not reopen
    await says(desk, assistant, session, "cảm ơn cán bộ nhiều")
    assert store.ticket(tid)["status"] == "closed"
    await says(desk, assistant, session, "còn giấy chứng sinh thì sao")
    assert store.ticket(tid)["status"] == "reopened" and seen.posted[-1][0] == "reopened"
    desk.close(tid, "Hoa")

    clock.now += dt.timedelta(days=2)
    await says(desk, assistant, session, "cho tôi gặp cán bộ")
    assert seen.posted[-1][0] == "opened" and seen.posted[-1][1] != tid


async def test_without_a_desk_the_citizen_gets_the_hotline(assistant, store):
    desk, session = Desk(store, assistant), {}
    answer = await says(desk, assistant, session, "cho tôi gặp cán bộ")
    assert answer.title == "Hiện chưa có cán bộ trực qua kênh trò chuyện này." and "18001096" in answer.intro
    assert store.tickets() == []


async def test_a_reply_to_a_channel_that_is_not_running_is_reported_not_lost(assistant, store, seen):
    desk, session = Desk(store, assistant, seen.deliveries, Clock(MONDAY_10)), {}
    await desk.route("zalo", "zalo-user-9", session, "gặp cán bộ", assistant.reply("gặp cán bộ", session))
    tid = seen.posted[-1][1]
    ticket = await desk.answer(tid, "Hoa", "Chào bạn")
    assert ticket["delivered"] is False and ticket["first_answer"] is None and ticket["status"] == "open"


async def test_alias_suggestions_and_the_desk_figures(assistant, store, seen):
    clock = Clock(MONDAY_10)
    desk = Desk(store, assistant, seen.deliveries, clock)
    first, second = {"ward": "phường Kinh Bắc"}, {}
    await says(desk, assistant, first, "cho tôi gặp cán bộ")
    await says(desk, assistant, second, "gặp người thật", address="web-key-2")
    tid = seen.posted[0][1]
    clock.now += dt.timedelta(minutes=30)
    await desk.answer(tid, "Hoa", "Chào bạn")
    desk.close(tid, "Hoa")
    assert desk.suggest(tid, "Hoa", "con voi")[1] is None  # not a procedure: nothing recorded
    assert desk.suggest(tid, "Hoa", "đăng ký khai sinh")[1] == "ho-tich/khai-sinh"

    fig = stats.figures([], [], days=7, today=MONDAY_10.date(), tickets=store.tickets())
    assert (fig.desk.opened, fig.desk.answered, fig.desk.median_wait) == (2, 1, dt.timedelta(minutes=30))
    assert fig.desk.wards == [("phường Kinh Bắc", 1, 1), ("–", 1, 0)]
    assert fig.desk.suggestions == [("cho tôi gặp cán bộ", "ho-tich/khai-sinh")]
    text = render_text(fig)
    assert "Yêu cầu gặp cán bộ: 2; đã trả lời: 1; thời gian chờ trả lời đầu tiên (trung vị): 30 phút" in text
    assert "phường Kinh Bắc: 1 yêu cầu, 1 đã trả lời" in text and "“cho tôi gặp cán bộ” → ho-tich/khai-sinh" in text
    assert "<h2>Chuyển cho cán bộ</h2>" in render_html(fig)


async def test_the_suggestion_is_the_question_asked_before_the_request_for_a_person(assistant, store, seen):
    desk, session = Desk(store, assistant, seen.deliveries, Clock(MONDAY_10)), {}
    await says(desk, assistant, session, "báo tin vui nhà có em bé")
    await says(desk, assistant, session, "cho tôi gặp cán bộ")
    tid = seen.posted[-1][1]
    desk.close(tid, "Hoa")
    desk.suggest(tid, "Hoa", "ho-tich/khai-sinh")
    assert stats.alias_suggestions(store.tickets()) == [("báo tin vui nhà có em bé", "ho-tich/khai-sinh")]
