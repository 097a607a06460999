"""Shared fixtures: the shipped knowledge, loaded once per test session (it is read-only)."""
import shutil
from pathlib import Path

import pytest

from bot.answering.conversation import Assistant
from bot.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
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
