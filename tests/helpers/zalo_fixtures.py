"""Fixtures of the Zalo tests: the fake Zalo Bot API, a real store in a temporary folder, the running channel.

A pytest plugin (tests/conftest.py names it in `pytest_plugins`): a conftest.py beside the Zalo tests would
shadow tests/conftest.py, which other modules import as `conftest`. The store is tests/conftest.py's."""
import pytest

from bot.channels.zalo.app import start_zalo
from bot.running.settings import load_settings
from helpers.fake_zalo_api import Chat, FakeZaloAPI

PUBLIC_URL = "https://tthc.bacninh.example"


def zalo_settings(api, tmp_path, **env):
    """Settings as the environment would give them, pointing the channel at the fake API."""
    return load_settings({"ZALO_BOT_TOKEN": api.token, "ZALO_API_BASE_URL": api.base_url,
                          "BOT_DATA_DIR": str(tmp_path), "BOT_PUBLIC_URL": PUBLIC_URL, **env})


@pytest.fixture
async def zalo_api():
    fake = await FakeZaloAPI().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def zalo(zalo_api, store, assistant, tmp_path):
    """The Zalo channel, long polling the fake API (back-off in hundredths of a second)."""
    channel = await start_zalo(zalo_settings(zalo_api, tmp_path), assistant, store, backoff=0.01)
    yield channel
    await channel.stop()


@pytest.fixture
def lan(zalo_api, zalo):
    return Chat(zalo_api, zalo, "zl-lan-1001")
