"""An English-speaking resident, over the web chat's JSON API and over Telegram (the real Application against the
fake Bot API): question → English card → "how much does it cost" → the English fee section first; the language
can also be chosen (the web page's switch, /lang on Telegram)."""
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.web.app import build_web_app
from bot.running.settings import load_settings
from bot.running.journal import StateStore
from helpers.fake_bot_api import Chat, private_chat, user

MARRIAGE = "I'm American and want to marry my Vietnamese fiancée here. How do we register the marriage?"


@pytest.fixture
async def web(tmp_path, assistant):
    settings = load_settings({}).replace(bot_data_dir=str(tmp_path), bot_rate_limit_per_minute=1000)
    async with TestClient(TestServer(build_web_app(settings, assistant, StateStore(tmp_path)))) as client:
        yield client


async def ask(client, **body):
    resp = await client.post("/api/ask", json={"session": "english-web-1", **body})
    assert resp.status == 200
    return await resp.json()


async def test_an_english_conversation_over_the_web_api(web):
    card = await ask(web, q=MARRIAGE)
    assert card["kind"] == "procedure" and card["procedure_id"] == "ho-tich/ket-hon-yeu-to-nuoc-ngoai"
    assert card["language"] == "en"
    assert card["title"] == "Marriage registration involving a foreigner"
    assert card["subtitle"] == "Đăng ký kết hôn có yếu tố nước ngoài"
    assert "ask for “Đăng ký kết hôn có yếu tố nước ngoài”" in card["intro"]
    assert [s["title"] for s in card["sections"]][:2] == ["Documents to bring", "Where to file"]

    fee = await ask(web, q="how much does it cost")
    assert fee["procedure_id"] == "ho-tich/ket-hon-yeu-to-nuoc-ngoai" and fee["title"] == card["title"]
    assert fee["sections"][0]["key"] == "fee_time" and fee["sections"][0]["title"] == "Fee and processing time"


async def test_the_web_page_switch_sets_the_language_of_the_conversation(web):
    switched = await ask(web, action="lang:en")
    assert switched["title"] == "I will answer in English." and switched["language"] == "en"
    card = await ask(web, q="đăng ký khai sinh")  # Vietnamese words, English answers: the choice holds
    assert card["title"] == "Birth registration" and card["language"] == "en"
    back = await ask(web, action="lang:vi")
    assert back["title"] == "Tôi sẽ trả lời bằng Tiếng Việt." and back["language"] == "vi"


async def test_the_page_carries_an_english_form_of_its_own_labels(web):
    page = await (await web.get("/")).text()
    assert 'id="lang"' in page and 'data-en="Send"' in page and 'data-en-placeholder=' in page


# ---- Telegram --------------------------------------------------------------------------------------

@pytest.fixture
def john(api, bot):
    return Chat(api, private_chat(2002, "John"), user(2002, "John"))


async def test_an_english_conversation_over_telegram(john, store):
    card = await john.says(MARRIAGE, until_buttons=True)
    assert card.shown.startswith("Marriage registration involving a foreigner")
    assert "ask for “Đăng ký kết hôn có yếu tố nước ngoài”" in card.shown
    assert {"Documents", "Where", "Fee & time", "📋 Checklist to forward"} <= set(card.labels)

    fee = await john.says("how much does it cost", until_buttons=True)
    assert fee.shown.startswith("Marriage registration involving a foreigner")
    assert fee.shown.index("Fee and processing time") < fee.shown.index("Documents to bring")
    assert (await store.session(john.id))["language"] == "en"


async def test_telegram_apps_set_to_english_get_an_english_command_menu(john, api):
    await api.wait_until(lambda: len(api.calls_to("setMyCommands")) == 2)
    vietnamese, english = (c.params for c in api.calls_to("setMyCommands"))
    assert "language_code" not in vietnamese and english["language_code"] == "en"
    assert {"command": "lang", "description": "Answer in English or Vietnamese"} in english["commands"]
    assert {"command": "tracuu", "description": "Check a dossier"} in english["commands"]


async def test_lang_chooses_the_language_and_is_remembered(john, store):
    choice = await john.says("/lang", until_buttons=True)
    assert "Bạn muốn dùng ngôn ngữ nào? · Which language?" in choice.shown and {"English", "Tiếng Việt"} <= set(choice.labels)
    chosen = await john.presses("Tiếng Việt")
    assert "Tôi sẽ trả lời bằng Tiếng Việt." in chosen.shown
    card = await john.says("How do I register a birth?", until_buttons=True)
    assert card.shown.startswith("Đăng ký khai sinh") and "Giấy tờ cần chuẩn bị" in card.shown
    english = await john.says("/lang en")
    assert "I will answer in English." in english.shown
    session = await store.session(john.id)
    assert session["language"] == "en" and session["language_chosen"] is True
