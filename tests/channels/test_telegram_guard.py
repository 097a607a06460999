"""Issue 10 item 2 over the real Telegram Application: an answer that fails to build reaches the citizen as the last
good answer, staff are told in Telegram, and /stats counts it."""
import pytest

from bot.answering.conversation import Assistant
from bot.answering.guard import GuardedAssistant
from bot.channels.telegram.app import start_telegram
from bot.knowledge.loader import load_knowledge
from bot.running.settings import load_settings
from bot.running.journal import StateStore

from helpers.fake_bot_api import TOKEN, FakeBotAPI, private_chat, user
from helpers.knowledge_tree import make_tree

STAFF, CITIZEN = 4242, 1001


@pytest.fixture
async def running(tmp_path):
    tree = make_tree(tmp_path / "knowledge")
    good, broken = load_knowledge(tree), load_knowledge(tree)
    broken.find("ho-tich/khai-sinh").data["methods"][0]["fee"] = "tám nghìn"  # a value no check would pass
    guarded = GuardedAssistant(Assistant(good))
    guarded.swap(broken)
    api = await FakeBotAPI(max_poll_seconds=0.2).start()
    store = StateStore(tmp_path / "data")
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                              "BOT_STAFF_IDS": str(STAFF), "BOT_DATA_DIR": str(tmp_path / "data"),
                              "BOT_KNOWLEDGE_DIR": str(tree)})
    handle = await start_telegram(settings, guarded, store, api_rate_limit=False)
    try:
        yield api, guarded
    finally:
        await handle.stop()
        await api.stop()
        store.close()


async def test_the_citizen_gets_the_last_good_answer_and_staff_are_told(running):
    api, guarded = running
    mark = len(api.calls)
    await api.push_text(private_chat(CITIZEN), user(CITIZEN), "làm giấy khai sinh")
    answer = await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == CITIZEN, 10, mark)
    assert "Đăng ký khai sinh" in answer.text and "Miễn phí" in answer.shown
    told = await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == STAFF, 10, mark)
    assert "Một câu trả lời không tạo được" in told.shown and "BadValue" in told.shown
    assert guarded.failures == 1 and not api.errors
    for n in range(3):  # ordinary questions keep being answered
        since = len(api.calls)
        await api.push_text(private_chat(CITIZEN + 1 + n), user(CITIZEN + 1 + n), "làm giấy khai sinh cho con")
        again = await api.wait_for("sendMessage", lambda c, n=n: c.params["chat_id"] == CITIZEN + 1 + n, 10, since)
        assert "Đăng ký khai sinh" in again.text
    since = len(api.calls)
    await api.push_text(private_chat(STAFF), user(STAFF), "/stats")
    stats = await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == STAFF and "check-knowledge" in c.shown, 10,
                               since)
    assert "Câu trả lời không tạo được (đã gửi câu trả lời theo dữ liệu đúng gần nhất hoặc lời xin lỗi): 4" in stats.shown
