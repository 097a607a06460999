"""The web channel's API and pages, through aiohttp's test client against the real app and a real StateStore."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.answering.conversation import Assistant
from bot.running.settings import load_settings
from bot.running.journal import StateStore
from bot.channels.web.app import MAX_QUESTION, STORE, build_web_app

BIRTH = "làm giấy khai sinh cho con"
INJECTION = '<script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def assistant(knowledge):
    """One assistant for the module (building its understander takes seconds); sessions are per test.

    `knowledge` is the session fixture of tests/conftest.py: `load_knowledge` of the shipped knowledge/.
    """
    return Assistant(knowledge)


def make_client(tmp_path, assistant, **settings) -> TestClient:
    settings = load_settings({}).replace(bot_data_dir=str(tmp_path), **settings)
    return TestClient(TestServer(build_web_app(settings, assistant, StateStore(tmp_path))))


@pytest.fixture
async def client(tmp_path, assistant):
    async with make_client(tmp_path, assistant, bot_rate_limit_per_minute=1000) as c:
        yield c


async def ask(client, session="test-session-1", **body):
    resp = await client.post("/api/ask", json={"session": session, **body})
    return resp.status, await resp.json()


async def test_birth_question_gets_documents(client):
    status, data = await ask(client, q=BIRTH)
    assert status == 200
    assert data["kind"] == "procedure" and data["procedure_id"] == "ho-tich/khai-sinh"
    documents = next(s for s in data["sections"] if s["key"] == "documents")
    assert any("Giấy chứng sinh" in line for line in documents["lines"])
    assert data["session"] == "test-session-1"
    assert {b["action"] for b in data["buttons"]} >= {"aspect:ho-tich/khai-sinh:where"}


async def test_clarify_then_pick_chip(client):
    status, data = await ask(client, q="chứng thực")
    assert status == 200 and data["kind"] == "clarify"
    picks = [b for b in data["buttons"] if b["action"].startswith("pick:")]
    assert len(picks) >= 2
    status, picked = await ask(client, action=picks[1]["action"])
    assert status == 200 and picked["kind"] == "procedure"
    assert picked["procedure_id"] == picks[1]["action"].removeprefix("pick:")


async def test_follow_up_within_a_session(client):
    await ask(client, session="follow-up-session", q=BIRTH)
    status, data = await ask(client, session="follow-up-session", q="lệ phí bao nhiêu")
    assert status == 200 and data["procedure_id"] == "ho-tich/khai-sinh"
    assert data["sections"][0]["key"] == "fee_time"
    status, other = await ask(client, session="another-session", q="lệ phí bao nhiêu")
    assert other.get("procedure_id") != "ho-tich/khai-sinh"


async def test_aspect_chip(client):
    status, data = await ask(client, action="aspect:ho-tich/khai-sinh:where")
    assert status == 200 and data["sections"][0]["key"] == "where"


async def test_invalid_session_id_is_replaced(client):
    status, data = await ask(client, session="../../etc/passwd", q=BIRTH)
    assert status == 200 and data["session"] != "../../etc/passwd" and len(data["session"]) >= 8


async def test_rate_limit(tmp_path, assistant):
    async with make_client(tmp_path, assistant, bot_rate_limit_per_minute=3) as c:
        for _ in range(3):
            assert (await ask(c, q=BIRTH))[0] == 200
        status, data = await ask(c, q=BIRTH)
    assert status == 429
    assert "phút" in data["message"]  # Vietnamese: "... chờ một phút ..."


async def test_oversize_question(client):
    status, data = await ask(client, q="a" * (MAX_QUESTION + 1))
    assert status == 413 and data["message"]
    resp = await client.post("/api/ask", data=b'{"q": "' + b"x" * 40000 + b'"}',
                             headers={"Content-Type": "application/json"})
    assert resp.status == 413 and (await resp.json())["error"] == 413


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"q": 5}', "{\"q\": \"\xff\"}".encode("latin-1")])
async def test_malformed_json(client, body):
    resp = await client.post("/api/ask", data=body, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert resp.headers["Content-Type"].startswith("application/json")
    assert (await resp.json())["message"]


async def test_wrong_content_type_and_method(client):
    resp = await client.post("/api/ask", data="q=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 415 and (await resp.json())["error"] == 415
    resp = await client.get("/api/ask")
    assert resp.status == 405 and (await resp.json())["error"] == 405


async def test_html_injection_stays_data(client):
    resp = await client.post("/api/ask", json={"q": INJECTION, "session": "inject-session"})
    assert resp.headers["Content-Type"].startswith("application/json")
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    data = await resp.json()
    assert data["kind"] in ("none", "clarify", "procedure")
    page = await client.get("/p/%3Cscript%3Ealert(1)%3C/script%3E")
    body = await page.text()
    assert page.status == 404 and "<script>alert" not in body


async def test_security_headers_everywhere(client):
    for path in ("/", "/healthz", "/static/app.js", "/p/ho-tich/khai-sinh", "/qr/ho-tich/khai-sinh.svg", "/nope"):
        resp = await client.get(path)
        csp = resp.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, path
        assert resp.headers["X-Content-Type-Options"] == "nosniff", path


async def test_index_page(client):
    resp = await client.get("/")
    html = await resp.text()
    assert resp.status == 200 and '<html lang="vi">' in html
    assert '<label for="question">' in html and 'aria-live="polite"' in html
    assert "<style" not in html and "onclick" not in html and "<script>" not in html
    assert "In danh sách giấy tờ" in html


async def test_healthz(client, knowledge):
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert (await resp.json()) == {"status": "ok", "procedures": len(knowledge.procedures)}


async def test_procedure_page(client):
    resp = await client.get("/p/ho-tich/khai-sinh")
    html = await resp.text()
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/html")
    assert "Đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    assert '/qr/ho-tich/khai-sinh.svg' in html and '<html lang="vi">' in html
    assert 'rel="noopener"' in html and "<style" not in html


async def test_procedure_page_escapes(client, knowledge):
    proc = knowledge.find("ho-tich/khai-sinh")
    original = proc.data["summary"]
    proc.data["summary"] = INJECTION
    try:
        html = await (await client.get("/p/ho-tich/khai-sinh")).text()
    finally:
        proc.data["summary"] = original
    assert INJECTION not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_print_view(client):
    html = await (await client.get("/p/ho-tich/khai-sinh?print=1")).text()
    assert 'id="print-button"' in html and "Giấy chứng sinh" in html
    assert "sec-source" not in html  # the checklist: papers, where, fee and time, who to ask
    for needed in ("Địa chỉ:", "Giờ làm việc:", "Đường dây nóng:", "Cập nhật ngày"):
        assert needed in html, needed


async def test_procedure_page_shows_both_layers_and_who_to_ask(client):
    html = await (await client.get("/p/cu-tru/tam-tru")).text()
    for needed in ("Giấy tờ cần chuẩn bị", "Các bước thực hiện", "Căn cứ pháp lý", "154/2024/NĐ-CP", "Mã thủ tục",
                   "Đường dây nóng:", "Địa chỉ:", "Giờ làm việc:"):
        assert needed in html, needed
    assert html.index("Giấy tờ cần chuẩn bị") < html.index('class="caution"')  # the doubt line comes last


async def test_unknown_procedure_page(client):
    resp = await client.get("/p/khong-co/thu-tuc-nay")
    html = await resp.text()
    assert resp.status == 404 and '<html lang="vi">' in html and "Không tìm thấy" in html
    assert (await client.get("/qr/khong-co.svg")).status == 404


async def test_qr_svg(tmp_path, assistant):
    async with make_client(tmp_path, assistant, bot_public_url="https://tthc.example.vn/") as c:
        resp = await c.get("/qr/ho-tich/khai-sinh.svg")
        svg = await resp.read()
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in svg and b"<path" in svg and b"<script" not in svg


def test_qr_encodes_public_url():
    from bot.channels.web.pages import qr_svg

    assert qr_svg("https://tthc.example.vn/p/ho-tich/khai-sinh") != qr_svg("http://127.0.0.1:8080/p/ho-tich/khai-sinh")


async def test_events_recorded_in_store(client):
    await ask(client, session="recorded-session", q=BIRTH)
    await ask(client, session="recorded-session", action="feedback:ho-tich/khai-sinh:up")
    store = client.server.app[STORE]
    questions = [q for q in (await store.questions()) if q["channel"] == "web"]
    assert any(q["text"] == BIRTH and q["procedure"] == "ho-tich/khai-sinh" for q in questions)
    assert any(f["vote"] == "up" and f["channel"] == "web" for f in (await store.feedback()))
    assert all("recorded-session" not in str(q["chat"]) for q in questions)  # ids are stored hashed


async def test_a_lone_surrogate_is_not_an_outage(client):
    """Issue 10 item 0: one poisoned question once turned every later answer into a 500."""
    resp = await client.post("/api/ask", data=b'{"q": "khai sinh \\ud800", "session": "poison-1"}',
                             headers={"Content-Type": "application/json"})
    assert resp.status == 200 and (await resp.json())["kind"] in ("procedure", "clarify")
    for n in range(5):
        status, data = await ask(client, session=f"after-{n}", q="đăng ký kết hôn cần giấy tờ gì")
        assert status == 200 and data["kind"] == "procedure"
    health = await client.get("/healthz")
    assert health.status == 200


@pytest.mark.parametrize("body, content_type", [
    (b"[" * 999 + b"]" * 999, "application/json"),
    (b'{"q": "khai sinh"}', "application/json; charset=foo"),
    (b'{"q": ' * 5000 + b'1' + b'}' * 5000, "application/json"),
])
async def test_hostile_bodies_get_4xx_never_5xx(client, body, content_type):
    resp = await client.post("/api/ask", data=body, headers={"Content-Type": content_type})
    assert 200 <= resp.status < 500, resp.status
    status, data = await ask(client, q="làm giấy khai sinh cho con")
    assert status == 200 and data["kind"] != "none"


async def test_a_web_session_survives_a_restart(tmp_path, assistant):
    """Web chat sessions live in the store, like Telegram's: a follow-up after a restart still knows the procedure."""
    settings = load_settings({}).replace(bot_data_dir=str(tmp_path), bot_rate_limit_per_minute=1000)
    for round_, store in enumerate((StateStore(tmp_path / "state"), None)):
        store = store or StateStore(tmp_path / "state")  # the second round: a new process on the same folder
        async with TestClient(TestServer(build_web_app(settings, assistant, store))) as web_client:
            if round_ == 0:
                assert (await ask(web_client, session="restart-session-1", q=BIRTH))[1]["title"] == "Đăng ký khai sinh"
            else:
                _, follow_up = await ask(web_client, session="restart-session-1", q="lệ phí bao nhiêu")
                assert follow_up["kind"] == "procedure" and follow_up["procedure_id"] == "ho-tich/khai-sinh"
                _, stranger = await ask(web_client, session="restart-session-2", q="lệ phí bao nhiêu")
                assert stranger["kind"] == "clarify"  # the same question without that history
        await store.aclose()
