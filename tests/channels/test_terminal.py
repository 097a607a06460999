"""The terminal channel and the stable `match --jsonl` contract, run as outside tools run them."""
import io
import json
import subprocess
import sys
from argparse import Namespace

from bot.channels.terminal import chat_command

from conftest import KNOWLEDGE_DIR, ROOT

CONTRACT = {"intent", "id", "code", "candidates", "score", "clarify", "aspect"}


def run_bot(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"}, timeout=120)


def test_match_jsonl_answers_one_object_per_line_in_the_contract():
    lines = ["làm giấy khai sinh cho con", "tra cứu hồ sơ H57.132-260804-0583", "trung tâm hành chính công mấy giờ mở cửa",
             "xin chào", "giá vàng hôm nay", "tách hộ"]
    proc = run_bot("match", "--jsonl", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(lines) and all(set(o) == CONTRACT for o in out)
    assert (out[0]["intent"], out[0]["id"], out[0]["code"]) == ("procedure", "ho-tich/khai-sinh", "1.001193")
    assert [o["intent"] for o in out[1:5]] == ["status", "office", "greeting", "none"]
    assert out[4]["id"] is None and out[5]["id"] == "1.010038" and out[5]["code"] == "1.010038"
    assert all(isinstance(o["score"], float) and isinstance(o["clarify"], bool) for o in out)


def test_ask_prints_the_card():
    proc = run_bot("ask", "sang", "ten", "so", "do", "o", "dau")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("ĐĂNG KÝ BIẾN ĐỘNG") and "Nơi nộp hồ sơ:" in proc.stdout


def test_chat_is_a_conversation_until_an_empty_line():
    out = io.StringIO()
    stdin = io.StringIO("đăng ký kết hôn\nphí bao nhiêu?\n\nnot read\n")
    assert chat_command(Namespace(knowledge=str(KNOWLEDGE_DIR)), stdin=stdin, out=out) == 0
    text = out.getvalue()
    assert text.count("ĐĂNG KÝ KẾT HÔN") == 2 and "not read" not in text
