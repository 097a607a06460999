"""Issue 10, the web side: limits behind a proxy, hostile Host headers, answers that fail to build — never a 500.

Real aiohttp servers on loopback: the web chat, and a fake nginx in front of it that appends the address
of whoever connected to X-Forwarded-For. Clients connect from different loopback addresses
(127.0.0.2, 127.0.0.3 ...), so each is a different "real client" to the proxy.
"""
from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.answering.conversation import Assistant
from bot.answering.guard import GuardedAssistant
from bot.channels.web.app import build_web_app
from bot.knowledge.loader import load_knowledge
from bot.running.clients import client_address, parse_networks
from bot.running.settings import load_settings
from bot.running.journal import StateStore

from helpers.knowledge_tree import make_tree

QUESTION = {"q": "làm giấy khai sinh", "session": "proxy-test-session"}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    tree = make_tree(tmp_path_factory.mktemp("small") / "knowledge")
    return tree, Assistant(load_knowledge(tree))


def web_server(tmp_path, assistant, **settings) -> TestServer:
    settings = load_settings({}).replace(bot_data_dir=str(tmp_path), **settings)
    return TestServer(build_web_app(settings, assistant, StateStore(tmp_path)), host="127.0.0.1")


def fake_nginx(upstream: str) -> web.Application:
    """proxy_pass with proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for."""

    async def forward(request: web.Request) -> web.Response:
        chain = ", ".join(x for x in (request.headers.get("X-Forwarded-For"), request.remote) if x)
        headers = {"Content-Type": request.headers.get("Content-Type", ""), "X-Forwarded-For": chain}
        async with aiohttp.ClientSession() as session:
            async with session.request(request.method, upstream + request.path_qs, data=await request.read(),
                                       headers=headers) as resp:
                return web.Response(status=resp.status, body=await resp.read(), content_type=resp.content_type)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


async def ask_from(address: str, url: str, headers: dict | None = None) -> int:
    """POST one question from a given loopback address (the client's real address)."""
    connector = aiohttp.TCPConnector(local_addr=(address, 0))
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.post(url + "/api/ask", json=QUESTION, headers=headers or {}) as resp:
            return resp.status


async def through_proxy(tmp_path, assistant, **settings):
    bot = web_server(tmp_path, assistant, bot_rate_limit_per_minute=3, **settings)
    await bot.start_server()
    proxy = TestServer(fake_nginx(str(bot.make_url("")).rstrip("/")), host="127.0.0.1")
    await proxy.start_server()
    return bot, proxy, str(proxy.make_url("")).rstrip("/")


async def test_behind_a_trusted_proxy_each_real_client_has_its_own_limit(tmp_path, small):
    bot, proxy, url = await through_proxy(tmp_path, small[1], bot_trusted_proxies="127.0.0.1")
    try:
        assert [await ask_from("127.0.0.2", url) for _ in range(4)] == [200, 200, 200, 429]
        assert await ask_from("127.0.0.3", url) == 200  # another citizen is not punished
        # a client that writes its own X-Forwarded-For: the proxy appends the real address, which is what counts
        assert await ask_from("127.0.0.2", url, {"X-Forwarded-For": "198.51.100.9"}) == 429
    finally:
        await proxy.close()
        await bot.close()


async def test_without_trusted_proxies_forwarding_headers_are_ignored(tmp_path, small):
    bot = web_server(tmp_path, small[1], bot_rate_limit_per_minute=3)
    await bot.start_server()
    url = str(bot.make_url("")).rstrip("/")
    try:
        spoofed = [await ask_from("127.0.0.4", url, {"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(4)]
        assert spoofed == [200, 200, 200, 429]  # a new "address" per request does not escape the limit
    finally:
        await bot.close()


def test_the_chain_is_read_from_the_right_and_only_through_trusted_hops():
    trusted = parse_networks("10.0.0.0/8, 127.0.0.1")
    xff = {"X-Forwarded-For": "6.6.6.6, 203.0.113.5, 10.1.2.3"}
    assert client_address("127.0.0.1", xff, trusted) == "203.0.113.5"  # 6.6.6.6 was written by the client
    assert client_address("192.0.2.1", xff, trusted) == "192.0.2.1"  # not from a proxy: the header means nothing
    assert client_address("127.0.0.1", xff, ()) == "127.0.0.1"
    forwarded = {"Forwarded": 'for="[2001:db8::1]:4711";proto=https, for=10.0.0.7'}
    assert client_address("127.0.0.1", forwarded, trusted) == "2001:db8::1"
    assert client_address("127.0.0.1", {"X-Forwarded-For": "not an address"}, trusted) == "127.0.0.1"


def test_a_bad_trusted_proxies_setting_stops_with_a_clear_message():
    with pytest.raises(SystemExit, match="BOT_TRUSTED_PROXIES is not a list of addresses or networks"):
        load_settings({"BOT_TRUSTED_PROXIES": "nginx.local"})


async def test_a_3000_character_host_header_is_not_a_500(tmp_path, small):
    async with TestClient(web_server(tmp_path, small[1])) as client:
        resp = await client.get("/qr/ho-tich/khai-sinh.svg", headers={"Host": "a" * 3000})
        assert resp.status == 400
        assert (await client.get("/qr/ho-tich/khai-sinh.svg")).status == 200
        ordinary = await client.post("/api/ask", json=QUESTION)
        assert ordinary.status == 200 and (await ordinary.json())["kind"] == "procedure"


async def test_an_answer_that_fails_to_build_is_never_a_500(tmp_path, small):
    """Knowledge broken after loading (a bug the checks missed): the last good answer, then an apology."""
    tree, _ = small
    good, broken = load_knowledge(tree), load_knowledge(tree)
    broken.find("ho-tich/khai-sinh").data["methods"][0]["fee"] = "tám nghìn"  # what the parser would have refused
    guarded = GuardedAssistant(Assistant(good))
    guarded.swap(broken)
    async with TestClient(web_server(tmp_path, guarded)) as client:
        resp = await client.post("/api/ask", json=QUESTION)
        data = await resp.json()
        assert resp.status == 200 and data["kind"] == "procedure"  # from the last good knowledge
        assert any("Miễn phí" in line for s in data["sections"] for line in s["lines"])
        page = await client.get("/p/ho-tich/khai-sinh")
        assert page.status == 200 and "Miễn phí" in await page.text()
    assert guarded.failures == 2
    alone = GuardedAssistant(Assistant(broken))  # no last good knowledge: a short apology with the hotline
    async with TestClient(web_server(tmp_path / "2", alone)) as client:
        data = await (await client.post("/api/ask", json=QUESTION)).json()
        assert data["kind"] == "notice" and "1800 0000" in data["intro"]
        page = await client.get("/p/ho-tich/khai-sinh")
        assert page.status == 200 and "1800 0000" in await page.text()
