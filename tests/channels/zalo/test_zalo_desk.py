"""A person when the assistant cannot help: a Zalo citizen's ticket goes to the desk, the reply comes back on Zalo."""
from bot.channels.zalo.app import start_zalo
from bot.running.delivery import plain_text
from bot.running.desk import Desk
from helpers.fake_zalo_api import Chat

from helpers.zalo_fixtures import zalo_settings


async def test_a_zalo_citizen_asks_for_a_person_and_gets_the_desks_reply(zalo_api, store, assistant, tmp_path):
    desk, posted = Desk(store, assistant), []

    async def post(ticket, event, text):  # the desk group, as the Telegram desk channel shows it
        posted.append((ticket, event))

    desk.deliveries.desk(post)
    channel = await start_zalo(zalo_settings(zalo_api, tmp_path), assistant, store, desk=desk, backoff=0.01)
    desk.deliveries.citizen("zalo", plain_text(channel.send_text))  # as bot/runner.py wires it
    try:
        lan = Chat(zalo_api, channel, "zl-lan-1001")
        asked = await lan.says("cho tôi gặp cán bộ")
        (ticket, _), = posted
        assert ticket["channel"] == "zalo" and ticket["address"] == "zl-lan-1001"
        assert ticket["id"] in asked.text

        mark = len(zalo_api.calls)
        await desk.answer(ticket["id"], "Chị Hoa", "Chị mang theo giấy chứng sinh bản chính nhé.")
        delivered = zalo_api.sent("zl-lan-1001", mark)
        assert len(delivered) == 1 and "Chị mang theo giấy chứng sinh bản chính nhé." in delivered[0].text
    finally:
        await channel.stop()
