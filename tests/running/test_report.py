"""`python -m bot report`: figures on stdout and a self-contained HTML report with inline SVG charts."""
import asyncio
import datetime as dt
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.running import report

from bot.running import stats
from bot.cli import main
from bot.running.journal import StateStore

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = '<script>alert("xin chào")</script> & làm sao?'


@pytest.fixture
def data_dir(tmp_path):
    """A real embedded store, filled the way the channels fill it (all today)."""
    folder = tmp_path / "data"
    store = StateStore(folder)
    recorded = [(11, {"question": text, "intent": "procedure", "procedure": "ho-tich/khai-sinh", "score": 0.9}, "telegram")
                for text in ("làm giấy khai sinh", "gks cho con", "đăng ký khai sinh")]
    recorded += [(12, {"question": "đăng ký tạm trú", "intent": "procedure", "procedure": "cu-tru/tam-tru", "score": 0.8},
                  "telegram"),
                 (13, {"question": SCRIPT, "intent": "none", "score": 0.1, "unanswered": True}, "telegram"),
                 (13, {"question": SCRIPT, "intent": "none", "score": 0.1, "unanswered": True}, "web"),
                 (14, {"question": "đăng ký", "intent": "procedure", "procedure": "cu-tru/thuong-tru", "score": 0.4,
                       "low_confidence": True}, "telegram"),
                 (14, {"intent": "procedure", "procedure": "cu-tru/thuong-tru", "picked": True}, "telegram"),
                 (11, {"feedback": "up", "procedure": "ho-tich/khai-sinh"}, "telegram"),
                 (12, {"feedback": "down", "procedure": "cu-tru/tam-tru"}, "telegram")]

    async def fill():
        for chat, event, channel in recorded:
            await store.save(chat, None, [event], channel=channel)

    asyncio.run(fill())
    store.close()
    return folder


def run_report(capsys, *args) -> tuple[int, str, str]:
    code = main(["report", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_report_on_stdout(data_dir, capsys):
    code, out, _ = run_report(capsys, "--data-dir", data_dir, "--days", 7, "--knowledge", ROOT / "knowledge")
    assert code == 0
    assert "Báo cáo sử dụng: 7 ngày" in out
    assert "Câu hỏi hôm nay: 7" in out  # the pressed choice is not a question
    assert "Câu hỏi trong 7 ngày này: 7; trả lời được: 57%" in out  # 4 of 7
    assert "1. Đăng ký khai sinh (ho-tich/khai-sinh): 3" in out
    assert "(cu-tru/tam-tru): 1" in out and "(cu-tru/thuong-tru): 1" in out
    assert f"1. “{SCRIPT}” ×2" in out and "2. “đăng ký” ×1" in out
    assert "Đăng ký khai sinh (ho-tich/khai-sinh): 👍 1 · 👎 0" in out
    today = stats.today_in()
    assert f"{today:%d/%m}: 7 câu hỏi, 4 trả lời được" in out


def test_a_past_period(data_dir, capsys):
    yesterday = stats.today_in() - dt.timedelta(days=1)
    code, out, _ = run_report(capsys, "--data-dir", data_dir, "--days", 3, "--until", yesterday,
                              "--knowledge", "/nonexistent")
    assert code == 0
    assert f"đến {yesterday:%d/%m/%Y}" in out and f"Câu hỏi ngày {yesterday:%d/%m/%Y}: 0" in out
    assert "Câu hỏi trong 3 ngày này: 0; trả lời được: –" in out


def svg_blocks(page: str) -> list[ET.Element]:
    """Every inline SVG, parsed as XML (so each is well-formed)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def test_html_report_has_the_charts_and_escapes_every_text(data_dir, tmp_path, capsys):
    page_path = tmp_path / "out" / "report.html"
    page_path.parent.mkdir()
    code, out, _ = run_report(capsys, "--data-dir", data_dir, "--html", page_path, "--knowledge", ROOT / "knowledge")
    assert code == 0 and f"HTML report: {page_path}" in out
    page = page_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    assert "<script" not in page.lower()  # the question is shown, never run
    assert "&lt;script&gt;alert(&quot;xin chào&quot;)&lt;/script&gt; &amp; làm sao?" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the report must not load anything"
    charts = svg_blocks(page)
    ns = "{http://www.w3.org/2000/svg}"
    titles = [c.find(f"{ns}title").text for c in charts]
    assert titles == ["Số câu hỏi theo ngày", "Tỷ lệ câu hỏi được trả lời", "Thủ tục được hỏi nhiều nhất"]
    per_day, rate, procedures = charts
    bars = [r for r in per_day.findall(f"{ns}rect") if r.get("class") == "bar"]
    assert len(bars) == 2 * 30  # asked and answered bars for 30 days
    assert [b.get("height") != "0.0" for b in bars[-2:]] == [True, True]  # today: asked, answered
    assert float(bars[-2].get("height")) > float(bars[-1].get("height"))  # 7 asked > 4 answered
    assert rate.find(f"{ns}polyline") is not None and len(rate.findall(f"{ns}circle")) == 1  # one day with questions
    assert "Đăng ký khai sinh (ho-tich/khai-sinh)" in ET.tostring(procedures, encoding="unicode")
    assert len(procedures.findall(f"{ns}rect")) == 3
    assert "<table>" in page and "<td>2</td>" in page  # the unanswered question, twice
    assert "Báo cáo sử dụng: 30 ngày" in page


def test_render_html_escapes_procedure_names_and_ids():
    fig = stats.figures([{"time": dt.datetime.now(dt.timezone.utc).isoformat(), "text": "q", "intent": "procedure",
                          "procedure": "<b>x</b>", "answered": True}], [{"time": dt.datetime.now(dt.timezone.utc)
                         .isoformat(), "procedure": "<b>x</b>", "vote": "up"}])
    page = report.render_html(fig, {"<b>x</b>": 'Tên "lạ" <i>'})
    assert "<b>" not in page and "<i>" not in page
    assert "Tên &quot;lạ&quot; &lt;i&gt; (&lt;b&gt;x&lt;/b&gt;)" in page
    svg_blocks(page)


def test_no_state_file_is_an_error_not_an_empty_report(tmp_path, capsys):
    code, _, err = run_report(capsys, "--data-dir", tmp_path / "nothing-here")
    assert code == 1
    assert "No state in" in err and "nothing recorded yet" in err
    assert not (tmp_path / "nothing-here").exists()


def test_the_command_line_entry_point(data_dir, tmp_path):
    done = subprocess.run([sys.executable, "-m", "bot", "report", "--data-dir", str(data_dir), "--days", "1",
                           "--knowledge", str(tmp_path / "missing")], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Báo cáo sử dụng: 1 ngày" in done.stdout and "ho-tich/khai-sinh: 3" in done.stdout
