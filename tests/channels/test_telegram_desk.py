"""The desk: a citizen asks for a person, staff and volunteers answer from their Telegram group.

The real python-telegram-bot Application polls the fake Bot API; tickets live in a real TinyDB file;
the desk's clock is fixed so that office hours are known.
"""
import datetime as dt
import re

import pytest

from bot.channels.telegram.app import start_telegram
from bot.running.desk import Desk
from bot.running.settings import load_settings
from bot.running.journal import StateStore
from helpers.fake_bot_api import Chat, group_chat, private_chat, user

VN = dt.timezone(dt.timedelta(hours=7))

def weekday_morning() -> dt.datetime:
    """9:00 on the last weekday before today (Vietnam time): within office hours, and within /stats's 7 days."""
    day = dt.datetime.now(VN).date() - dt.timedelta(days=1)
    while day.isoweekday() > 5:
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0), VN)


SATURDAY_EVENING = dt.datetime(2026, 12, 5, 20, 0, tzinfo=VN)
DESK = -100777
HOA, OUTSIDER = user(5001, "Hoa"), user(6001, "Tuấn")


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def desk(api, assistant, tmp_path):
    """The Telegram channel with a desk group; the desk's clock on a weekday morning (office hours)."""
    store = StateStore(tmp_path)
    desk = Desk(store, assistant, clock=Clock(weekday_morning()))
    env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url, "BOT_DATA_DIR": str(tmp_path),
           "BOT_DESK_CHAT_ID": str(DESK), "BOT_STAFF_IDS": "5001"}
    api.members[DESK] = {HOA["id"]}
    handle = await start_telegram(load_settings(env), assistant, store, api_rate_limit=False, desk=desk)
    yield desk
    await handle.stop()
    store.close()
    assert not api.errors, [(c.method, c.error) for c in api.errors]


@pytest.fixture
def lan(api, desk):
    return Chat(api, private_chat(1001, "Lan"), user(1001, "Lan"))


async def ticket_in_desk(api, mark: int):
    """The ticket message the bot posted in the desk group (since call number `mark`)."""
    return await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == DESK and "🎫" in c.shown, since=mark)


async def desk_says(api, text: str, reply_to: dict | None = None, person: dict = HOA, chat: dict | None = None):
    """A desk member writes in the group (or elsewhere); the bot's next message to that chat."""
    chat = chat or group_chat(DESK, "Nhóm hỗ trợ")
    mark = len(api.calls)
    await api.push_text(chat, person, text, reply_to)
    return await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat["id"], since=mark)


async def test_a_citizen_asks_for_a_person_and_a_volunteer_answers(api, desk, lan):
    await lan.says("làm giấy khai sinh cho con cần gì")
    mark = len(api.calls)
    handed = await lan.says("cho tôi gặp cán bộ")
    assert "Tôi đã chuyển câu hỏi của bạn tới cán bộ." in handed.shown
    tid = re.search(r"Mã yêu cầu của bạn: (\w{5})", handed.shown).group(1)
    assert "ngoài giờ" not in handed.shown  # 9:00 on a weekday is within office hours

    ticket = await ticket_in_desk(api, mark)
    assert ticket.shown.startswith(f"🎫 #{tid} · telegram")
    assert "Câu hỏi: cho tôi gặp cán bộ" in ticket.shown
    assert "Người dân: làm giấy khai sinh cho con cần gì" in ticket.shown  # the recent turns
    assert desk.store.ticket(tid)["status"] == "open"

    mark = len(api.calls)
    confirm = await desk_says(api, "Chào chị, chị mang giấy chứng sinh và căn cước đến Trung tâm xã nhé.", ticket.result)
    assert confirm.shown == "✉️ Đã gửi tới người dân."
    answer = await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == lan.id, since=mark)
    assert answer.shown.startswith("Trả lời từ Hoa (cán bộ/tình nguyện viên)")
    assert "chị mang giấy chứng sinh và căn cước" in answer.shown
    stored = desk.store.ticket(tid)
    assert stored["status"] == "taken" and stored["taken_by"] == "Hoa" and stored["first_answer"]

    figures = await desk_says(api, "/stats", person=HOA, chat=private_chat(HOA["id"], "Hoa"))  # Hoa is also staff
    assert "Yêu cầu gặp cán bộ: 1; đã trả lời: 1" in figures.shown


async def test_outside_office_hours_the_citizen_is_told_when_to_expect_an_answer(api, desk, lan):
    desk.clock.now = SATURDAY_EVENING
    handed = await lan.says("muốn nói chuyện với người thật")
    assert "Bây giờ là ngoài giờ làm việc: bạn sẽ nhận được trả lời từ 07:30, Thứ hai 7 tháng 12, 2026." in handed.shown


async def test_phone_and_id_numbers_never_reach_the_desk(api, desk, lan):
    mark = len(api.calls)
    await lan.says("cho tôi gặp cán bộ, số tôi 0912 345 678, căn cước 001203004567, hồ sơ 000.00.23.H10-250703-0005")
    ticket = await ticket_in_desk(api, mark)
    assert "0912" not in ticket.text and "001203004567" not in ticket.text
    assert "•••• ••• •••" in ticket.shown and "••••••••••••" in ticket.shown
    assert "000.00.23.H10-250703-0005" in ticket.shown  # a dossier code is not a personal number


async def test_only_desk_members_take_and_close_tickets(api, desk, lan):
    mark = len(api.calls)
    await lan.says("cho tôi gặp cán bộ")
    tid = re.search(r"#(\w{5})", (await ticket_in_desk(api, mark)).shown).group(1)

    refused = await desk_says(api, f"/xong {tid}", person=OUTSIDER, chat=private_chat(OUTSIDER["id"], "Tuấn"))
    assert refused.shown == "Chỉ thành viên nhóm hỗ trợ mới nhận hoặc đóng được yêu cầu."
    citizen = await lan.says(f"/xong {tid}")  # the citizen cannot either
    assert citizen.shown == "Chỉ thành viên nhóm hỗ trợ mới nhận hoặc đóng được yêu cầu."
    assert desk.store.ticket(tid)["status"] == "open"

    taken = await desk_says(api, f"/nhan {tid}")
    assert taken.shown == f"🙋 #{tid} do Hoa nhận."
    edited = api.calls_to("editMessageText")[-1]  # the ticket itself shows who has it
    assert edited.shown.startswith(f"🎫 #{tid}") and "\n🙋 Hoa đang trả lời.\n" in edited.shown
    closed = await desk_says(api, f"/xong {tid}", person=HOA, chat=private_chat(HOA["id"], "Hoa"))  # a member, in private
    assert closed.shown == f"✅ #{tid} đã đóng (Hoa)."
    assert desk.store.ticket(tid)["status"] == "closed"


async def test_a_citizen_writing_again_within_a_day_reopens_the_ticket(api, desk, lan):
    mark = len(api.calls)
    await lan.says("cho tôi gặp cán bộ")
    tid = re.search(r"#(\w{5})", (await ticket_in_desk(api, mark)).shown).group(1)
    await desk_says(api, f"/xong {tid}")
    desk.clock.now += dt.timedelta(hours=3)
    mark = len(api.calls)
    await lan.says("vậy nếu mất giấy chứng sinh thì sao")
    news = await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == DESK, since=mark)
    assert news.shown.startswith(f"🔁 #{tid} mở lại: người dân viết thêm:")
    assert "mất giấy chứng sinh" in news.shown
    assert desk.store.ticket(tid)["status"] == "reopened"


async def test_a_closed_ticket_becomes_an_alias_suggestion_for_staff(api, desk, lan):
    mark = len(api.calls)
    await lan.says("báo tin vui nhà có em bé thì làm gì")
    await lan.says("báo tin vui nhà có em bé thì làm gì")  # twice unanswered: handed over by itself
    ticket = await ticket_in_desk(api, mark)
    assert "Trợ lý chưa trả lời được hai lần liên tiếp" in ticket.shown
    tid = re.search(r"#(\w{5})", ticket.shown).group(1)
    closed = await desk_says(api, f"/xong {tid}")
    mark = len(api.calls)
    await api.push_callback(HOA, closed.result, closed.button("Thêm vào kiến thức")["callback_data"])
    prompt = await api.wait_for("sendMessage", lambda c: c.shown.startswith("📚"), since=mark)
    noted = await desk_says(api, "đăng ký khai sinh", prompt.result)
    assert noted.shown.startswith("Đã ghi nhận gợi ý cho ho-tich/khai-sinh")
    listed = await desk_says(api, "/unanswered", chat=private_chat(HOA["id"], "Hoa"), person=HOA)
    assert "“báo tin vui nhà có em bé thì làm gì” → ho-tich/khai-sinh" in listed.shown


async def test_a_forum_desk_gets_one_topic_per_ward(api, desk, lan):
    api.forums.add(DESK)
    await lan.says("/start")
    await lan.says("Kinh Bắc")
    mark = len(api.calls)
    await lan.says("cho tôi gặp cán bộ")
    ticket = await ticket_in_desk(api, mark)
    thread = ticket.params["message_thread_id"]
    assert api.topics[DESK][thread] == "phường Kinh Bắc"


async def test_a_web_chat_citizen_is_answered_from_the_desk(api, desk, tmp_path):
    """The web chat and Telegram share one Desk (as bot/runner.py wires them): the reply waits in the store."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.channels.web.app import build_web_app

    settings = load_settings({}).replace(bot_data_dir=str(tmp_path), bot_rate_limit_per_minute=1000)
    async with TestClient(TestServer(build_web_app(settings, desk.assistant, desk.store, desk=desk))) as web:
        mark = len(api.calls)
        asked = await (await web.post("/api/ask", json={"session": "web-citizen-1", "q": "cho tôi gặp cán bộ"})).json()
        assert asked["kind"] == "handoff" and asked["title"] == "Tôi đã chuyển câu hỏi của bạn tới cán bộ."
        ticket = await ticket_in_desk(api, mark)
        assert " · web · " in ticket.shown
        assert (await (await web.get("/api/messages?session=web-citizen-1")).json()) == {"messages": []}

        confirm = await desk_says(api, "Bạn đến Trung tâm Phục vụ hành chính công xã, quầy hộ tịch nhé.", ticket.result)
        assert confirm.shown == "✉️ Đã gửi tới người dân."
        assert (await (await web.get("/api/messages?session=someone-else-2")).json()) == {"messages": []}
        waiting = (await (await web.get("/api/messages?session=web-citizen-1")).json())["messages"]
        assert [m["kind"] for m in waiting] == ["person"]
        assert waiting[0]["title"] == "Trả lời từ Hoa (cán bộ/tình nguyện viên)"
        assert waiting[0]["intro"] == "Bạn đến Trung tâm Phục vụ hành chính công xã, quầy hộ tịch nhé."
        assert (await (await web.get("/api/messages?session=web-citizen-1")).json()) == {"messages": []}  # shown once


async def test_nhan_alone_lists_waiting_requests_and_replies_to_other_messages_stay_in_the_group(api, desk, lan):
    mark = len(api.calls)
    await lan.says("cho tôi gặp cán bộ, hỏi về khai sinh")
    tid = re.search(r"#(\w{5})", (await ticket_in_desk(api, mark)).shown).group(1)
    listed = await desk_says(api, "/nhan")
    assert listed.shown.startswith("Yêu cầu đang chờ người nhận: 1\n") and f"#{tid} · chưa rõ xã/phường" in listed.shown

    mark = len(api.calls)
    await api.push_text(group_chat(DESK, "Nhóm hỗ trợ"), HOA, "để mình nhận nhé", listed.result)  # members talking
    follow = await desk_says(api, f"/nhan {tid}")
    assert follow.shown == f"🙋 #{tid} do Hoa nhận."
    assert not api.sent(lan.id, since=mark)  # nothing reached the citizen


async def test_a_ticket_the_group_never_got_is_posted_again(api, desk, lan):
    await lan.says("làm giấy khai sinh cho con cần gì")
    api.refuse_next("sendMessage", "Bad Request: chat not found")  # the post to the desk group fails
    handed = await lan.says("cho tôi gặp cán bộ")
    tid = re.search(r"Mã yêu cầu của bạn: (\w{5})", handed.shown).group(1)  # the citizen is told all the same
    [refused] = api.errors
    assert refused.params["chat_id"] == DESK
    api.calls.remove(refused)  # refused by this test, not a mistake of the bot
    assert desk.store.ticket(tid).get("desk_message") is None
    assert await desk.repost() == 0  # too fresh: the process that opened it may still be posting it
    desk.clock.now += dt.timedelta(minutes=2)
    mark = len(api.calls)
    assert await desk.repost() == 1
    assert tid in (await ticket_in_desk(api, mark)).shown
    assert desk.store.ticket(tid)["desk_message"]
    assert await desk.repost() == 0  # posted once


async def test_a_photo_in_reply_to_a_ticket_is_not_lost_silently(api, desk, lan):
    await lan.says("làm giấy khai sinh cho con cần gì")
    mark = len(api.calls)
    await lan.says("cho tôi gặp cán bộ")
    ticket = await ticket_in_desk(api, mark)
    mark = len(api.calls)
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    await api.push({"message": api.message(group_chat(DESK, "Nhóm hỗ trợ"), HOA, photo=photo,
                                           reply_to_message=ticket.result)})
    told = await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == DESK, since=mark)
    assert "Chỉ tin nhắn chữ mới đến được người dân" in told.shown
    assert not [c for c in api.calls_to("sendMessage", mark) if c.params["chat_id"] == 1001]  # nothing half-sent
