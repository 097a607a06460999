"""Settings: declared once, read from the environment in one place, each one documented in the README."""
import pytest

from bot.running.settings import SETTINGS, load_settings

from conftest import ROOT


def test_defaults_when_environment_is_empty():
    s = load_settings({})
    assert s.telegram_api_base_url == "https://api.telegram.org/bot"
    assert s.bot_web_port == 8080 and s.bot_web_host == "127.0.0.1"
    assert s.bot_web_enabled is True and s.telegram_bot_token == ""


def test_values_are_converted_from_the_environment():
    s = load_settings({"BOT_WEB_PORT": "9000", "BOT_WEB_ENABLED": "0", "BOT_STAFF_IDS": "12, 34,x",
                       "BOT_RELOAD_SECONDS": "0.5"})
    assert s.bot_web_port == 9000 and s.bot_web_enabled is False
    assert s.staff_ids == frozenset({12, 34}) and s.bot_reload_seconds == 0.5


def test_a_bad_number_stops_with_a_clear_message():
    with pytest.raises(SystemExit, match="BOT_WEB_PORT='eighty' is not a valid int"):
        load_settings({"BOT_WEB_PORT": "eighty"})


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_readme_documents_each_setting(setting):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{setting.name}`" in readme, f"README.md does not document {setting.name}"
