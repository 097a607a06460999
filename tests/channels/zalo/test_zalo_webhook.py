"""The webhook: Zalo POSTs updates with X-Bot-Api-Secret-Token; a wrong or missing secret is refused, unprocessed."""
import socket

import aiohttp
import pytest

from bot.channels.zalo.app import start_zalo
from bot.running.settings import load_settings
from helpers.fake_zalo_api import Chat

from helpers.zalo_fixtures import zalo_settings

SECRET = "bac-ninh-zalo-secret-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def webhook_channel(zalo_api, store, assistant, tmp_path, **env):
    port = free_port()
    settings = zalo_settings(zalo_api, tmp_path, ZALO_WEBHOOK_URL=f"http://127.0.0.1:{port}/zalo/updates",
                             ZALO_WEBHOOK_PORT=str(port), **env)
    channel = await start_zalo(settings, assistant, store, backoff=0.01)
    assert await zalo_api.wait_until(lambda: bool(zalo_api.webhook["url"]))
    return channel


@pytest.fixture
async def hooked(zalo_api, store, assistant, tmp_path):
    channel = await webhook_channel(zalo_api, store, assistant, tmp_path, ZALO_WEBHOOK_SECRET=SECRET)
    yield channel
    await channel.stop()


async def test_updates_posted_with_the_right_secret_are_answered(zalo_api, hooked, store):
    assert zalo_api.webhook == {"url": zalo_api.webhook["url"], "secret_token": SECRET}
    assert zalo_api.calls_to("deleteWebhook") == [] and zalo_api.polls == 0  # webhook and polling exclude each other
    lan = Chat(zalo_api, hooked, "zl-lan-1001")
    card = await lan.says("làm giấy khai sinh cho con cần gì")
    assert card.text.startswith("Đăng ký khai sinh")
    assert [q["channel"] for q in await store.questions()] == ["zalo"]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret-123", SECRET + "x", SECRET.upper()])
async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_processed(zalo_api, hooked, store, secret):
    update = {"event_name": "message.text.received",
              "message": zalo_api.message("zl-intruder", text="làm giấy khai sinh cho con cần gì")}
    assert await zalo_api.post_webhook(update, secret) == 403
    await hooked.drain()
    assert zalo_api.sent() == [] and await store.questions() == []


async def test_unreadable_bodies_are_refused_with_400(zalo_api, hooked):
    async with aiohttp.ClientSession() as session:
        for body in (b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"):
            async with session.post(zalo_api.webhook["url"], data=body,
                                    headers={"X-Bot-Api-Secret-Token": SECRET}) as response:
                assert response.status == 400
        nested = b'{"a":' * 100 + b"1" + b"}" * 100
        async with session.post(zalo_api.webhook["url"], data=nested, headers={"X-Bot-Api-Secret-Token": SECRET}) as response:
            assert response.status == 400


async def test_a_redelivered_update_is_answered_once(zalo_api, hooked):
    update = {"event_name": "message.text.received",
              "message": zalo_api.message("zl-lan-1001", message_id="zmsg-7", text="đăng ký kết hôn cần gì")}
    assert await zalo_api.post_webhook(update, SECRET) == 200
    assert await zalo_api.post_webhook(update, SECRET) == 200  # Zalo retries when it missed our 200
    await hooked.drain()
    assert [m.text.startswith("Đăng ký kết hôn") for m in zalo_api.sent("zl-lan-1001")].count(True) == 1


async def test_without_a_configured_secret_a_random_one_is_registered(zalo_api, store, assistant, tmp_path):
    channel = await webhook_channel(zalo_api, store, assistant, tmp_path)
    try:
        assert len(zalo_api.webhook["secret_token"]) >= 32
        assert (await Chat(zalo_api, channel, "zl-lan").says("khai sinh")).parts
    finally:
        await channel.stop()


@pytest.mark.parametrize("secret", ["short", "x" * 257])
def test_a_secret_of_the_wrong_length_stops_the_start_with_a_clear_message(secret):
    with pytest.raises(SystemExit, match="ZALO_WEBHOOK_SECRET must be 8–256 characters long") as stopped:
        load_settings({"ZALO_WEBHOOK_SECRET": secret})
    assert secret not in str(stopped.value)


def test_secrets_of_8_and_256_characters_are_accepted():
    assert load_settings({"ZALO_WEBHOOK_SECRET": "s" * 8}).zalo_webhook_secret == "s" * 8
    assert load_settings({"ZALO_WEBHOOK_SECRET": "s" * 256}).zalo_webhook_secret == "s" * 256


async def test_updates_that_are_not_for_us_are_acknowledged_and_left_alone(zalo_api, hooked):
    from_a_bot = {**zalo_api.message("zl-lan", text="khai sinh"), "from": {"id": "zl-other-bot", "is_bot": True}}
    for update in ({"event_name": "message.reaction.received", "message": zalo_api.message("zl-lan", text="khai sinh")},
                   {"event_name": "message.text.received"},
                   {"event_name": "message.text.received", "message": {"text": "khai sinh", "chat": "zl-lan"}},
                   {"event_name": "message.text.received", "message": from_a_bot}):
        assert await zalo_api.post_webhook(update, SECRET) == 200
    await hooked.drain()
    assert zalo_api.sent() == []


async def test_a_message_with_odd_fields_is_still_answered(zalo_api, hooked):
    message = {**zalo_api.message("zl-lan", text=["khai sinh"]), "from": "someone", "message_id": {"x": 1}}
    assert await zalo_api.post_webhook({"event_name": "message.text.received", "message": message}, SECRET) == 200
    await hooked.drain()
    greeting, = zalo_api.sent("zl-lan")  # a text that is not a string is read as nothing: a greeting
    assert greeting.text.startswith("Xin chào")
