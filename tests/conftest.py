"""Shared fixtures: the shipped knowledge, loaded once per test session (it is read-only)."""
from pathlib import Path

import pytest

from bot.conversation import Assistant
from bot.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"


@pytest.fixture(scope="session")
def knowledge():
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def understander(knowledge):
    from bot.intents import Understander

    return Understander(knowledge)


@pytest.fixture(scope="session")
def assistant(knowledge):
    """One assistant for the session: it keeps no per-conversation state (sessions are plain dicts)."""
    return Assistant(knowledge)
