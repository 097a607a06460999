"""`python -m bot` runs Zalo when ZALO_BOT_TOKEN is set, together with the web chat, on one store."""
import asyncio
import json
import os
import socket
import sys
import urllib.request

from bot.runner import serve
from bot.running.journal import StateStore

from conftest import ROOT
from helpers.zalo_fixtures import zalo_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_the_runner_starts_zalo_beside_the_web_chat(zalo_api, assistant, tmp_path, capsys):
    port = free_port()
    settings = zalo_settings(zalo_api, tmp_path, BOT_WEB_PORT=str(port), BOT_RELOAD_SECONDS="0")
    store, stop = StateStore(tmp_path / "data"), asyncio.Event()
    running = asyncio.create_task(serve(settings, assistant, store, stop))
    try:
        assert await zalo_api.wait_until(lambda: "getUpdates" in zalo_api.requests)
        await zalo_api.push("message.text.received", zalo_api.message("zl-lan", text="làm giấy khai sinh cho con cần gì"))
        assert await zalo_api.wait_until(lambda: bool(zalo_api.sent("zl-lan")))
        assert zalo_api.sent("zl-lan")[0].text.startswith("Đăng ký khai sinh")
        url = f"http://127.0.0.1:{port}/healthz"
        health = await asyncio.to_thread(lambda: json.load(urllib.request.urlopen(url, timeout=10)))
        assert health["procedures"] > 1000
    finally:
        stop.set()
        await running
    printed = capsys.readouterr().out
    assert f"Web chat: http://127.0.0.1:{port}/" in printed and "Zalo assistant running (long polling)" in printed


async def test_python_m_bot_answers_on_zalo_when_its_token_is_set(zalo_api, tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", "ZALO_"))}
    environ.update(BOT_DATA_DIR=str(tmp_path), BOT_WEB_ENABLED="0", PYTHONUNBUFFERED="1",
                   ZALO_BOT_TOKEN=zalo_api.token, ZALO_API_BASE_URL=zalo_api.base_url)
    bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=ROOT, env=environ,
                                               stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        started = await asyncio.wait_for(bot.stdout.readline(), 120)
        assert started.decode().strip() == "Zalo assistant running (long polling)", (await bot.stderr.read()).decode()
        await zalo_api.push("message.text.received", zalo_api.message("zl-lan", text="đăng ký kết hôn cần giấy tờ gì"))
        assert await zalo_api.wait_until(lambda: bool(zalo_api.sent("zl-lan")), 30)
        assert zalo_api.sent("zl-lan")[0].text.startswith("Đăng ký kết hôn")
    finally:
        bot.terminate()
        await bot.wait()
    assert bot.returncode == 0
