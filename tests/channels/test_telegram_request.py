"""The aiohttp transport under python-telegram-bot (bot/channels/telegram/request.py), over 127.0.0.1.

A real `telegram.Bot` sends through `SafeRequest` to the fake Bot API; the failures are real sockets: a port
nothing listens on, a long poll that outlasts the read timeout.
"""
import socket

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.channels.telegram.request import SafeRequest
from helpers.fake_bot_api import FakeBotAPI, private_chat, user


def a_bot(api_base_url: str, token: str, request: SafeRequest | None = None) -> Bot:
    request = request or SafeRequest()
    return Bot(token, base_url=api_base_url, request=request, get_updates_request=request)


def a_closed_port() -> int:
    """A loopback port that refuses connections: bound, then released, nothing listening."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_calls_go_through_and_the_session_survives_a_restart(api):
    request = SafeRequest(connection_pool_size=2)
    bot = a_bot(api.base_url, api.token, request)
    await bot.initialize()
    assert bot.username == "BacNinhTTHCBot"
    sent = [await bot.send_message(1001, f"tin {i}") for i in range(5)]  # more messages than connections
    assert [m.text for m in sent] == [f"tin {i}" for i in range(5)]
    await request.shutdown()
    await request.shutdown()  # twice is harmless
    await request.initialize()
    assert (await bot.get_me()).id == api.bot_user["id"]
    await bot.shutdown()


async def test_a_refused_connection_is_a_network_error_not_a_timeout():
    bot = a_bot(f"http://127.0.0.1:{a_closed_port()}/bot", "1:refused")
    with pytest.raises(NetworkError) as raised:
        await bot.initialize()  # getMe
    assert not isinstance(raised.value, TimedOut)
    assert "aiohttp.ClientConnectorError" in str(raised.value)
    await bot.shutdown()


@pytest.mark.filterwarnings("ignore:Please use")
async def test_an_answer_slower_than_the_read_timeout_is_timed_out():
    api = await FakeBotAPI(max_poll_seconds=30).start()  # the long poll waits until stopped
    bot = a_bot(api.base_url, api.token)
    try:
        await bot.initialize()
        with pytest.raises(TimedOut):  # a 5-second long poll that the fake holds until it stops
            await bot.do_api_request("getUpdates", api_kwargs={"timeout": 5}, read_timeout=0.1)
    finally:
        await api.stop()
        await bot.shutdown()


async def test_an_api_error_keeps_the_api_description(api):
    bot = a_bot(api.base_url, api.token)
    await bot.initialize()
    api.refuse_next("sendMessage", "Bad Request: chat not found")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(42, "xin chào")
    await bot.shutdown()


async def test_a_call_without_files_goes_as_one_json_body(api):
    bot = a_bot(api.base_url, api.token)
    await bot.initialize()
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Lệ phí", callback_data="aspect:fee")]])
    sent = await bot.send_message(1001, "<b>Khai sinh</b>: giấy tờ", parse_mode="HTML", reply_markup=keyboard,
                                  reply_parameters=ReplyParameters(7, allow_sending_without_reply=True))
    call = api.calls_to("sendMessage")[0]
    assert call.content_type == "application/json"
    assert call.params["text"] == "<b>Khai sinh</b>: giấy tờ" and call.params["chat_id"] == 1001
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Lệ phí", "callback_data": "aspect:fee"}]]}
    assert call.params["reply_parameters"] == {"message_id": 7, "allow_sending_without_reply": True}
    assert sent.text == "Khai sinh: giấy tờ"  # as Telegram returns it: the markup became entities
    await bot.shutdown()


async def test_a_file_goes_as_multipart(api):
    bot = a_bot(api.base_url, api.token)
    await bot.initialize()
    pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    assert await bot.set_webhook("https://tthc.example.org/hook", certificate=pem, secret_token="s3cr3t")
    params = api.calls_to("setWebhook")[0].params
    assert params["secret_token"] == "s3cr3t" and params["url"] == "https://tthc.example.org/hook"
    assert params["certificate"] == pem
    assert api.calls_to("setWebhook")[0].content_type == "multipart/form-data"
    await bot.shutdown()


async def test_what_the_api_sends_is_made_safe_at_the_edge(api):
    bot = a_bot(api.base_url, api.token)
    await bot.initialize()
    await api.push_text(private_chat(), user(), "khai sinh \ud800 ở\x07 đâu")  # a lone surrogate and a control
    [update] = await bot.get_updates()
    text = update.message.text
    assert text.encode("utf-8") and "\x07" not in text and text.startswith("khai sinh ")
    await bot.shutdown()


def test_parse_json_payload_replaces_bad_bytes_and_refuses_what_is_not_sane_json():
    assert SafeRequest.parse_json_payload(b'{"ok": true, "description": "x\xff\\u0000y"}') == \
        {"ok": True, "description": "x\ufffd y"}
    for hostile in (b"[" * 5000 + b"]" * 5000, b"{not json", b'{"ok": NaN'):
        with pytest.raises(TelegramError, match="Invalid server response"):
            SafeRequest.parse_json_payload(hostile)


async def test_a_lone_surrogate_in_an_outgoing_text_does_not_fail_the_send(api):
    bot = a_bot(api.base_url, api.token)
    await bot.initialize()
    await bot.send_message(1001, "khai sinh \ud800 xong")  # the edge cleans what citizens send; this is the last guard
    assert api.calls_to("sendMessage")[0].params["text"] == "khai sinh ? xong"
    await bot.shutdown()
