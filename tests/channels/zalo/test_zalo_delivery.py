"""When Zalo or the network fails: retries with back-off, long polling that never gives up, the rate limit."""
import logging

from bot.channels.zalo.api import ZaloAPI, ZaloAPIError
from bot.channels.zalo.app import start_zalo
from helpers.fake_zalo_api import TOKEN, Chat

from helpers.zalo_fixtures import zalo_settings

SORRY = "Xin lỗi, hệ thống đang gặp sự cố"


async def test_a_send_zalo_fails_twice_is_retried_and_the_citizen_gets_the_answer(zalo_api, lan):
    zalo_api.fail_next("sendMessage", times=2, code=502, description="Bad Gateway")
    card = await lan.says("làm giấy khai sinh cho con cần gì")
    assert card.text.startswith("Đăng ký khai sinh")
    attempts = [c.params["text"][:17] for c in zalo_api.calls_to("sendMessage")]
    assert attempts[:3] == ["Đăng ký khai sinh"] * 3  # two failures, then delivered


async def test_a_refused_send_is_logged_the_citizen_is_told_and_the_next_question_answered(zalo_api, lan, caplog):
    zalo_api.fail_next("sendMessage", code=400, description="Bad Request: refused by the test")
    sorry = await lan.says("làm giấy khai sinh cho con cần gì")
    assert sorry.text.startswith(SORRY)
    assert "a Zalo message could not be handled" in caplog.text
    assert len(zalo_api.calls_to("sendMessage")) == 2  # a refusal (4xx) is not retried
    assert (await lan.says("đăng ký kết hôn cần giấy tờ gì")).text.startswith("Đăng ký kết hôn")


async def test_long_polling_goes_on_through_errors_and_empty_polls(zalo_api, zalo, lan, caplog):
    zalo_api.max_poll_seconds = 0.02  # every poll comes back "408 Request timeout" quickly
    polls = zalo_api.requests.count("getUpdates")
    assert await zalo_api.wait_until(lambda: zalo_api.requests.count("getUpdates") >= polls + 3)
    zalo_api.fail_next("getUpdates", times=3, code=502, description="Bad Gateway")
    assert await zalo_api.wait_until(lambda: not zalo_api.failures["getUpdates"])

    assert (await lan.says("làm căn cước cho con")).parts
    assert "Zalo getUpdates failed" in caplog.text and TOKEN not in caplog.text


async def test_a_wrong_token_is_logged_without_the_token_and_stops_cleanly(zalo_api, store, assistant, tmp_path, caplog):
    settings = zalo_settings(zalo_api, tmp_path, ZALO_BOT_TOKEN="999:not-the-right-token")
    channel = await start_zalo(settings, assistant, store, backoff=0.01)
    assert await zalo_api.wait_until(lambda: zalo_api.requests.count("getUpdates") >= 3)
    await channel.stop()
    assert "401 Unauthorized" in caplog.text and "not-the-right-token" not in caplog.text


async def test_the_client_retries_a_network_failure_then_reports_it_without_the_token(caplog):
    caplog.set_level(logging.WARNING)
    api = ZaloAPI("http://127.0.0.1:9/bot", TOKEN, delays=(0.01, 0.01))  # nothing listens on port 9
    try:
        await api.send_message("zl-1", "xin chào")
    except ZaloAPIError as exc:
        assert exc.code == 0 and exc.retryable and TOKEN not in str(exc)
    else:
        raise AssertionError("sending to a closed port succeeded")
    finally:
        await api.close()
    assert caplog.text.count("retrying in") == 2 and TOKEN not in caplog.text


async def test_a_chat_over_the_rate_limit_is_told_once_to_wait(zalo_api, store, assistant, tmp_path):
    settings = zalo_settings(zalo_api, tmp_path, BOT_RATE_LIMIT_PER_MINUTE="2")
    channel = await start_zalo(settings, assistant, store, backoff=0.01)
    try:
        hurried, other = Chat(zalo_api, channel, "zl-hurried"), Chat(zalo_api, channel, "zl-other")
        assert (await hurried.says("khai sinh")).parts and (await hurried.says("kết hôn")).parts
        told = await hurried.says("khai tử")
        assert told.parts == ["Bạn hỏi hơi nhanh. Vui lòng đợi khoảng một phút rồi hỏi tiếp."]
        assert (await hurried.says("tạm trú")).parts == []  # told once a window
        assert (await other.says("khai sinh")).parts  # other chats are not slowed down
    finally:
        await channel.stop()
