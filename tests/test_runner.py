"""`python -m bot`: the web chat by default (no token), printing its URL; both channels can be switched off."""
import json
import os
import socket
import subprocess
import sys
import urllib.request

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_bot(tmp_path, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", "ZALO_"))}
    environ.update(BOT_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1", **env)
    return subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=environ, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_without_a_token_the_web_chat_starts_and_prints_its_url(tmp_path):
    port = free_port()
    proc = start_bot(tmp_path, BOT_WEB_PORT=str(port))
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"Web chat: http://127.0.0.1:{port}/", proc.stderr.read() if not line else line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as resp:
            assert json.load(resp)["procedures"] > 1000
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert proc.returncode == 0 and (tmp_path / "state.json").exists()


def test_nothing_enabled_says_so(tmp_path):
    proc = start_bot(tmp_path, BOT_WEB_ENABLED="0")
    _, err = proc.communicate(timeout=60)
    assert "Nothing to run" in err


def test_broken_knowledge_refuses_to_start_with_file_line(tmp_path):
    knowledge = tmp_path / "knowledge"
    subprocess.run(["cp", "-r", str(ROOT / "knowledge"), str(knowledge)], check=True)
    path = knowledge / "local" / "ho-tich" / "khai-sinh.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('field = "Hộ tịch"', 'field = "Hộ tịch'), encoding="utf-8")
    proc = start_bot(tmp_path, BOT_KNOWLEDGE_DIR=str(knowledge))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "khai-sinh.toml:5: (syntax)" in err
