"""The Telegram channel's wiring: start/stop by long polling and by webhook, API URLs, limits, errors.

The real python-telegram-bot Application talks to the fake Bot API (tests/fake_bot_api.py) on loopback.
"""
import asyncio
from types import SimpleNamespace

import aiohttp
import pytest

from bot.running.ratelimit import RateLimiter
from bot.running.settings import load_settings
from bot.running.journal import StateStore
from bot.channels.telegram.app import build_application, file_base_url, start_telegram
from bot.channels.telegram.handlers import callback_data, resolve_action
from bot.channels.telegram.webhook import SECRET_HEADER
from helpers.fake_bot_api import Chat, FakeBotAPI, private_chat, user

SORRY = "Xin lỗi, hệ thống đang gặp sự cố. Bạn vui lòng thử lại sau ít phút."
HOOK_URL = "https://tthc.example.org/telegram/hook"


@pytest.fixture
async def start_bot(api, assistant, tmp_path):
    """Start the Telegram channel against the fake API with extra settings; everything is stopped afterwards."""
    running = []

    async def start(**env):
        base = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url, "BOT_DATA_DIR": str(tmp_path)}
        settings = load_settings({**base, **env})
        store = StateStore(tmp_path / f"state{len(running)}")
        handle = await start_telegram(settings, assistant, store)
        running.append((handle, store))
        return SimpleNamespace(handle=handle, store=store, settings=settings)

    yield start
    for handle, store in running:
        await handle.stop()
        store.close()


def a_text_update(api: FakeBotAPI, update_id: int, text: str, chat_id: int = 1001) -> dict:
    return {"update_id": update_id, "message": api.message(private_chat(chat_id), user(chat_id), text=text)}


async def test_long_polling_starts_against_the_configured_api_and_stops_cleanly(api, start_bot):
    bot = await start_bot()
    lan = Chat(api)
    greeting = await lan.says("xin chào")
    assert "Xin chào! Tôi là trợ lý thủ tục hành chính." in greeting.shown
    assert [c.method for c in api.calls[:1]] == ["getMe"]
    menu = api.calls_to("setMyCommands")[0].params["commands"]
    assert {"command": "tracuu", "description": "Tra cứu hồ sơ"} in menu
    assert api.calls_to("deleteWebhook") and api.polls >= 1

    await bot.handle.stop()
    application = bot.handle.application
    assert not application.running and not application.updater.running
    assert api.calls_to("getMe") and not api.errors


def test_the_api_base_url_gets_the_token_appended_for_methods_and_files(assistant, tmp_path):
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot"})
    store = StateStore(tmp_path)
    application = build_application(settings, assistant, store)
    assert application.bot.base_url == "http://127.0.0.1:8081/bot123:abc"
    assert application.bot.base_file_url == "http://127.0.0.1:8081/file/bot123:abc"
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert {"assistant", "store", "limiter", "reloader", "settings"} <= set(application.bot_data)
    store.close()


async def test_webhook_mode_registers_the_hook_and_answers_only_posts_with_the_secret(api, start_bot):
    bot = await start_bot(TELEGRAM_WEBHOOK_URL=HOOK_URL, TELEGRAM_WEBHOOK_PORT="0", TELEGRAM_WEBHOOK_SECRET="s3cr3t-token")
    hook = api.calls_to("setWebhook")[0].params
    assert hook["url"] == HOOK_URL and hook["secret_token"] == "s3cr3t-token"
    host, port = bot.handle.webhook_addresses[0][:2]
    endpoint = f"http://{host}:{port}/telegram/hook"

    async with aiohttp.ClientSession() as http:
        forged = await http.post(endpoint, json=a_text_update(api, 1, "xin chào", 555), headers={SECRET_HEADER: "wrong"})
        bare = await http.post(endpoint, json=a_text_update(api, 2, "xin chào", 556))
        garbage = await http.post(endpoint, data=b"{not json", headers={SECRET_HEADER: "s3cr3t-token"})
        real = await http.post(endpoint, json=a_text_update(api, 3, "khai sinh", 557), headers={SECRET_HEADER: "s3cr3t-token"})
    assert (forged.status, bare.status, garbage.status, real.status) == (403, 403, 400, 200)

    answer = await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == 557)
    assert answer.shown.startswith("Đăng ký khai sinh")
    assert {c.params["chat_id"] for c in api.sent()} == {557}
    assert api.polls == 0


async def test_the_webhook_refuses_a_hostile_body_and_goes_on_answering(api, start_bot):
    """Issue 10: JSON nested 5,000 deep (RecursionError), a lone surrogate, a bad charset: 4xx or answered, never 5xx."""
    bot = await start_bot(TELEGRAM_WEBHOOK_URL=HOOK_URL, TELEGRAM_WEBHOOK_PORT="0", TELEGRAM_WEBHOOK_SECRET="s3cr3t-token")
    host, port = bot.handle.webhook_addresses[0][:2]
    endpoint, secret = f"http://{host}:{port}/telegram/hook", {SECRET_HEADER: "s3cr3t-token"}
    deep = b'{"update_id": 1, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    async with aiohttp.ClientSession() as http:
        nested = await http.post(endpoint, data=deep, headers=secret)
        charset = await http.post(endpoint, data=b'{"update_id": 2}', headers={**secret, "Content-Type": "application/json; charset=foo"})
        poisoned = await http.post(endpoint, json=a_text_update(api, 3, "khai sinh \ud800", 558), headers=secret)
        ordinary = await http.post(endpoint, json=a_text_update(api, 4, "đăng ký kết hôn cần gì", 559), headers=secret)
    assert nested.status == 400 and charset.status < 500 and (poisoned.status, ordinary.status) == (200, 200)
    for chat in (558, 559):
        answer = await api.wait_for("sendMessage", lambda c, chat=chat: c.params["chat_id"] == chat)
        assert "Giấy tờ cần chuẩn bị" in answer.shown


async def test_webhook_without_a_configured_secret_gets_a_random_one(api, start_bot):
    bot = await start_bot(TELEGRAM_WEBHOOK_URL=HOOK_URL, TELEGRAM_WEBHOOK_PORT="0")
    secret = api.calls_to("setWebhook")[0].params["secret_token"]
    assert len(secret) >= 32
    host, port = bot.handle.webhook_addresses[0][:2]
    async with aiohttp.ClientSession() as http:
        anonymous = await http.post(f"http://{host}:{port}/telegram/hook", json=a_text_update(api, 1, "hi"))
        assert anonymous.status == 403


async def test_a_chat_over_its_rate_limit_is_asked_to_wait_once_and_other_chats_are_not_affected(api, start_bot):
    await start_bot(BOT_RATE_LIMIT_PER_MINUTE="3")
    lan, hoa = Chat(api, private_chat(1001), user(1001)), Chat(api, private_chat(1002), user(1002))
    mark = len(api.calls)
    for _ in range(3):
        assert "Xin chào!" in (await lan.says("xin chào")).shown
    assert "Bạn hỏi hơi nhanh" in (await lan.says("xin chào")).shown
    await api.push_text(lan.chat, lan.user, "xin chào lần nữa")
    await api.push_callback(lan.user, lan.last.last.result, "browse")
    assert "Xin chào!" in (await hoa.says("xin chào")).shown  # processed after lan's last two

    assert len(api.sent(lan.id, mark)) == 4  # three answers and one "please wait"
    alert = api.calls_to("answerCallbackQuery", mark)[-1].params
    assert alert["show_alert"] is True and "Bạn hỏi hơi nhanh" in alert["text"]


async def test_an_error_while_answering_is_logged_and_the_citizen_told_politely(api, start_bot, caplog):
    await start_bot()
    lan = Chat(api)
    api.refuse_next("sendMessage", "Bad Request: refused by the test")
    mark = len(api.calls)
    await api.push_text(lan.chat, lan.user, "xin chào")
    apology = await api.wait_for("sendMessage", lambda c: not c.error, since=mark)
    assert apology.text == SORRY
    assert "a Telegram update could not be handled" in caplog.text
    assert "Xin chào!" in (await lan.says("xin chào")).shown  # and it goes on answering


def test_long_button_actions_travel_as_short_tokens():
    context = SimpleNamespace(bot_data={})
    long_action = "pick:" + "thu-tuc-rat-dai/" * 6
    data = callback_data(context, long_action)
    assert len(data.encode()) <= 64 and data != long_action
    assert resolve_action(context, data) == long_action
    assert callback_data(context, "aspect:ho-tich/khai-sinh:where") == "aspect:ho-tich/khai-sinh:where"
    assert resolve_action(context, "#ffffffffffffffff") is None


def test_the_rate_limiter_is_shared_per_application(assistant, tmp_path):
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123:abc", "BOT_RATE_LIMIT_PER_MINUTE": "7"})
    store = StateStore(tmp_path)
    limiter = build_application(settings, assistant, store).bot_data["limiter"]
    assert isinstance(limiter, RateLimiter) and limiter.per_minute == 7
    store.close()


async def test_a_webhook_update_is_acknowledged_only_once_answered_and_stored(api, start_bot):
    """Telegram redelivers an update it got no 200 for: so a process killed mid-update loses nothing."""
    bot = await start_bot(TELEGRAM_WEBHOOK_URL=HOOK_URL, TELEGRAM_WEBHOOK_PORT="0", TELEGRAM_WEBHOOK_SECRET="s3cr3t-token")
    host, port = bot.handle.webhook_addresses[0][:2]
    async with aiohttp.ClientSession() as http:
        posts = [http.post(f"http://{host}:{port}/telegram/hook", json=a_text_update(api, n, "khai sinh", 700 + n),
                           headers={SECRET_HEADER: "s3cr3t-token"}) for n in range(5)]
        statuses = [r.status for r in await asyncio.gather(*posts)]
    # at the moment the 200s arrived, every answer had been sent and every question stored
    assert statuses == [200] * 5 and {c.params["chat_id"] for c in api.sent()} == {700 + n for n in range(5)}
    assert len(await bot.store.questions()) == 5
