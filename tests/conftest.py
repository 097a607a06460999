"""Shared fixtures: the shipped knowledge, loaded once per test session (it is read-only)."""
import shutil
from pathlib import Path

import pytest

from bot.answering.conversation import Assistant
from bot.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["helpers.zalo_fixtures"]
SORRY = "Xin lỗi, hệ thống đang gặp sự cố"  # what a chat sees when a handler fails
KNOWLEDGE_DIR = ROOT / "knowledge"


@pytest.fixture(autouse=True)
def staff_in_english():
    """Staff messages are Vietnamese by default (BOT_STAFF_LANG); tests read the English msgids unless they ask
    for Vietnamese (tests/knowledge/test_staff_mistakes.py, test_staff_text.py)."""
    from bot.knowledge.staff_text import set_staff_language

    set_staff_language("en")
    yield
    set_staff_language("vi")


@pytest.fixture(scope="session")
def knowledge():
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def understander(knowledge):
    from bot.understanding.intents import Understander

    return Understander(knowledge)


@pytest.fixture(scope="session")
def assistant(knowledge):
    """One assistant for the session: it keeps no per-conversation state (sessions are plain dicts)."""
    return Assistant(knowledge)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One copy of the shipped knowledge per module, and an Assistant built from it (building takes seconds)."""
    root = tmp_path_factory.mktemp("shipped") / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    return root, Assistant(load_knowledge(root))


@pytest.fixture
async def api():
    """The fake Telegram Bot API on an ephemeral loopback port."""
    from helpers.fake_bot_api import FakeBotAPI

    fake = await FakeBotAPI().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def store(tmp_path):
    """A real embedded store in the test's own folder."""
    from bot.running.journal import StateStore

    state = StateStore(tmp_path)
    yield state
    await state.aclose()


@pytest.fixture
async def bot(api, store, assistant, tmp_path):
    """The real Telegram Application polling the fake Bot API; the test fails on any API error or handler failure."""
    from bot.channels.telegram.app import start_telegram
    from bot.running.settings import load_settings

    env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url, "BOT_DATA_DIR": str(tmp_path)}
    handle = await start_telegram(load_settings(env), assistant, store)
    yield handle
    await handle.stop()
    assert not api.errors, [(c.method, c.error) for c in api.errors]
    assert not any(SORRY in c.shown for c in api.sent()), "a handler failed"
