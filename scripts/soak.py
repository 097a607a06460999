#!/usr/bin/env python3
"""Soak test: hostile updates through the real Telegram Application (fake Bot API on loopback) and the web API.

usage: .venv/bin/python scripts/soak.py [--updates 10000] [--web 5000] [--knowledge DIR] [--seed 1]

The assistant is wired as in production (GuardedAssistant, embedded store in a temporary folder, per-chat rate
limit), without Telegram's own API rate limiter (so the run measures the bot, not the 30 messages/s wait).
Updates come in waves of 50 from 2,000 private chats and a group: texts with lone surrogates, controls,
HTML, 4,096-character messages, commands with garbage arguments, deep-link payloads, callback data, inline
queries, stickers, photos, voice, locations, group mentions. Web requests: hostile JSON bodies (depth,
charsets, types, sizes), forged forwarding headers, hostile Host headers, odd paths. At the end ordinary
questions must still be answered. Prints one Markdown table:
crashes (errors logged by a handler, answers the guard had to replace), server errors (web 5xx), rejected
messages (the fake API's 400s: what Telegram itself would refuse), p50/p99 latency (update pushed → first
response), RSS growth (VmRSS after warm-up → end).
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import aiohttp  # noqa: E402

from bot.answering.conversation import Assistant  # noqa: E402
from bot.answering.guard import GuardedAssistant  # noqa: E402
from bot.channels.telegram.app import start_telegram  # noqa: E402
from bot.channels.web.app import start_web  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.running.settings import load_settings  # noqa: E402
from bot.running.state import open_store  # noqa: E402
from helpers.fake_bot_api import FakeBotAPI, group_chat, private_chat, user  # noqa: E402

WAVE, CHATS = 50, 2000
SILENT_SAMPLES: dict = {}  # what was sent to a chat in this wave, to show what got no response
NASTY = ["khai sinh \ud800", "\udfff\ud800", "<b>bold</b><script>alert(1)</script>", "&amp;&lt;&#0;", "\x00\x01\x1b[31m",
         "\u202eplh\u202c", "👨‍👩‍👧" * 300, "𝕏" * 2100, "x" * 4096, "{code}{0}%s%n", "' OR 1=1 --", "../../etc/passwd",
         "🙂", "\ufeff\u200b\u2028\u2029", "làm giấy khai sinh cho con", "sổ đỏ", "tra cứu 000.00.23.H10-250703-0005",
         "1", "99", "chào", "đăng ký kết hôn cần gì", "phí làm căn cước bao nhiêu", "trung tâm hành chính công ở đâu"]
COMMANDS = ["/start", "/start ho-tich_khai-sinh", "/start " + "A" * 64, "/start \ud800", "/help", "/cancel", "/lang xx",
            "/lang en", "/lang", "/tracuu", "/tracuu <b>x</b>", "/thutuc ho-tich/khai-sinh", "/thutuc ../../x",
            "/checklist", "/checklist ho-tich/khai-sinh", "/unknown", "/reload", "/stats", "/preview \ud800",
            "/start@BacNinhTTHCBot", "/stats@OtherBot"]
CALLBACKS = ["pick:ho-tich/khai-sinh", "aspect:ho-tich/khai-sinh:fee", "aspect::", "feedback:x:up", "field:<b>",
             "browse", "ward", "status", "#0000000000000000", "pick:", "details:ho-tich/khai-sinh", "x" * 64,
             "checklist:ho-tich/khai-sinh", ":::", "lang:en", "pick:1.001193"]
ORDINARY = ["làm giấy khai sinh cho con cần gì", "đăng ký kết hôn cần giấy tờ gì", "đăng ký thường trú ở đâu",
            "làm hộ chiếu mất bao lâu", "chứng thực bản sao"]


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Errors(logging.Handler):
    """Errors logged by the bot or python-telegram-bot while handling updates (a crash caught by a handler)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def some_text(rnd: random.Random) -> str:
    parts = rnd.sample(NASTY, rnd.randint(1, 3))
    return "".join(parts)[:4096]


async def push_one(api: FakeBotAPI, rnd: random.Random, n: int, bot_message: dict | None):
    """One hostile update; returns how to recognise the bot's first response to it."""
    uid = 500_000 + n % CHATS
    chat, person = private_chat(uid), user(uid)
    kind = rnd.choices(["text", "command", "callback", "inline", "media", "group"], [40, 15, 15, 10, 10, 10])[0]
    if kind == "callback" and bot_message is not None:
        update = await api.push_callback(person, bot_message, rnd.choice(CALLBACKS))
        return kind, ("answerCallbackQuery", update["callback_query"]["id"])
    if kind == "inline":
        update = await api.push_inline(person, some_text(rnd)[:256])
        return kind, ("answerInlineQuery", update["inline_query"]["id"])
    if kind == "media":
        await rnd.choice([api.push_sticker, api.push_photo, api.push_location, api.push_voice])(chat, person)
        return kind, ("sendMessage", uid)
    if kind == "group":
        await api.push_text(group_chat(-100_000 - n % 7), person, f"@BacNinhTTHCBot {some_text(rnd)}"[:4096])
        return kind, ("sendMessage", -100_000 - n % 7)
    text = rnd.choice(COMMANDS) if kind == "command" else some_text(rnd)
    await api.push_text(chat, person, text)
    SILENT_SAMPLES.setdefault(("sendMessage", uid), []).append(text[:80])
    return kind, ("sendMessage", uid)


def first_responses(api: FakeBotAPI, since: int) -> dict:
    """(method, chat id or query id) → time of the bot's first such call at or after index `since`."""
    found = {}
    for call in api.calls[since:]:
        if call.method in ("sendMessage", "answerCallbackQuery", "answerInlineQuery"):
            key = call.params.get("chat_id") if call.method == "sendMessage" else (
                call.params.get("callback_query_id") or call.params.get("inline_query_id"))
            found.setdefault((call.method, key), call.at)
    return found


async def telegram_soak(api: FakeBotAPI, total: int, rnd: random.Random) -> dict:
    """Waves of hostile updates; the fake API's record of calls is emptied after each wave (it lives in this
    process: keeping 20,000 calls would be counted as the bot's memory)."""
    latencies, unanswered, bot_message, rejected = [], {}, None, []
    for start in range(0, total, WAVE):
        since, pushed = len(api.calls), []
        for n in range(start, min(start + WAVE, total)):
            at = time.monotonic()
            kind, key = await push_one(api, rnd, n, bot_message)
            pushed.append((kind, key, at))
        keys = {key for kind, key, _ in pushed if kind != "group"}  # a busy group may be rate limited: silence is fine
        await api.wait_until(lambda: keys <= set(first_responses(api, since)), 10)
        seen = first_responses(api, since)
        for kind, key, at in pushed:
            if key in seen:
                latencies.append((seen[key] - at) * 1000)
            else:
                unanswered[kind] = unanswered.get(kind, 0) + 1
                if kind in ("text", "command"):
                    print(f"no response to a {kind}: {SILENT_SAMPLES.get(key, [])[-1:]!r}", file=sys.stderr)
        SILENT_SAMPLES.clear()
        sent = [c for c in api.calls[since:] if c.method == "sendMessage" and c.result and c.params.get("reply_markup")]
        bot_message = sent[-1].result if sent else bot_message
        rejected += [(c.method, c.error) for c in api.errors]
        api.calls.clear()
        api.updates_pushed.clear()
    return {"latencies": latencies, "unanswered": unanswered, "rejected": rejected}


def web_requests(rnd: random.Random, n: int):
    """(method, path, body bytes, headers) of one hostile web request."""
    mojibake = "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")
    session = rnd.choice(["soak-session-" + str(n % 500), "", "x" * 70, "<script>", mojibake])
    bodies = [
        json.dumps({"q": some_text(rnd)[:1000], "session": session}).encode(),
        json.dumps({"action": rnd.choice(CALLBACKS), "session": session}).encode(),
        b'{"q": "khai sinh \\ud800", "session": "soak-surrogate"}', b"[" * 999 + b"]" * 999,
        b'{"q": ' * 3000 + b"1" + b"}" * 3000, b'{"q": 5, "action": [], "session": {}}', b"\xff\xfe\x00garbage",
        json.dumps({"q": "x" * 20000}).encode(), b"null", b'"just a string"', b"",
    ]
    headers = {"Content-Type": rnd.choice(["application/json", "application/json; charset=foo", "text/plain",
                                           "application/json; charset=latin-1"])}
    headers["X-Forwarded-For"] = f"203.0.113.{n % 250}"  # as behind nginx: 250 clients, each with its own limit
    if rnd.random() < 0.2:
        headers["X-Forwarded-For"] = rnd.choice(["garbage", "::1, 10.0.0.1", "a" * 3000, "1.2.3.4, 127.0.0.1"])
    roll = rnd.random()
    if roll < 0.75:
        return "POST", "/api/ask", rnd.choice(bodies), headers
    if roll < 0.85:
        pages = ["/p/ho-tich/khai-sinh", "/p/ho-tich/khai-sinh?print=1", "/p/%00", "/p/" + "a" * 2000,
                 "/p/../../etc/passwd", "/static/../../README.md", "/healthz", "/api/messages?session=x"]
        return "GET", rnd.choice(pages), b"", headers
    return "GET", rnd.choice(["/qr/ho-tich/khai-sinh.svg", "/qr/1.001193.svg", "/qr/none.svg"]), b"", \
        {**headers, "Host": rnd.choice(["a" * 3000, "tthc.example.vn", "[::1]:8080", "x" * 200 + ".vn"])}


async def web_soak(base: str, total: int, rnd: random.Random) -> dict:
    statuses, latencies = {}, []
    async with aiohttp.ClientSession() as session:
        for n in range(total):
            method, path, body, headers = web_requests(rnd, n)
            started = time.monotonic()
            try:
                async with session.request(method, base + path, data=body or None, headers=headers) as resp:
                    await resp.read()
                    statuses[resp.status] = statuses.get(resp.status, 0) + 1
            except aiohttp.ClientError as exc:
                statuses[type(exc).__name__] = statuses.get(type(exc).__name__, 0) + 1
            latencies.append((time.monotonic() - started) * 1000)
    return {"statuses": statuses, "latencies": latencies}


async def ordinary_still_answered(api: FakeBotAPI, base: str, assistant) -> int:
    """Ordinary questions after the soak, on both channels; how many got a procedure answer."""
    good = 0
    for n, question in enumerate(ORDINARY):
        since = len(api.calls)
        await api.push_text(private_chat(900_000 + n), user(900_000 + n), question)
        call = await api.wait_for("sendMessage", lambda c: c.params["chat_id"] == 900_000 + n, 10, since)
        expected = assistant.reply(question, {}).answer  # the same core, outside the channel
        good += expected.kind == "procedure" and html.escape(expected.title) in call.text
    async with aiohttp.ClientSession() as session:
        for question in ORDINARY:
            async with session.post(base + "/api/ask", json={"q": question, "session": "ordinary-after-soak"},
                                    headers={"X-Forwarded-For": "198.51.100.77"}) as resp:
                good += resp.status == 200 and (await resp.json())["kind"] == "procedure"
    return good


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


async def main_async(args) -> int:
    errors = Errors()
    logging.getLogger().addHandler(errors)
    rnd = random.Random(args.seed)
    assistant = GuardedAssistant(Assistant(load_knowledge(args.knowledge or load_settings().bot_knowledge_dir)))
    api = await FakeBotAPI().start()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings({"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
                                  "BOT_DATA_DIR": data_dir, "BOT_WEB_PORT": "0", "BOT_STAFF_IDS": "500001",
                                  "BOT_TRUSTED_PROXIES": "127.0.0.1"})
        store = open_store(settings)
        telegram = await start_telegram(settings, assistant, store, api_rate_limit=False)
        web = await start_web(settings, assistant, store)
        base = "http://127.0.0.1:%d" % web.addresses[0][1]
        try:
            await telegram_soak(api, 200, random.Random(0))  # warm-up: caches, sessions, first imports
            await web_soak(base, 100, random.Random(0))
            rss_before, started = rss_kib(), time.monotonic()
            tg = await telegram_soak(api, args.updates, rnd)
            wb = await web_soak(base, args.web, rnd)
            seconds, rss_after = time.monotonic() - started, rss_kib()
            ordinary = await ordinary_still_answered(api, base, assistant)
        finally:
            await telegram.stop()
            await web.cleanup()
            if hasattr(store, "aclose"):
                await store.aclose()
            await api.stop()
    figures = {"seconds": seconds, "rss": (rss_before, rss_after), "ordinary": ordinary, "guard": assistant.failures}
    return report(args, errors, api, tg, wb, figures)


def report(args, errors: Errors, api: FakeBotAPI, tg: dict, wb: dict, figures: dict) -> int:
    """The Markdown table and a summary line; 0 when the run was clean."""
    server_errors = sum(v for k, v in wb["statuses"].items() if isinstance(k, int) and k >= 500)
    (rss_before, rss_after), ordinary = figures["rss"], figures["ordinary"]
    print(f"| channel | requests | crashes | server errors | rejected messages | no response | p50 ms | p99 ms |\n"
          f"|---|---:|---:|---:|---:|---:|---:|---:|\n"
          f"| Telegram | {args.updates} | {len(errors.records)} | – | {len(tg['rejected'])} | "
          f"{sum(tg['unanswered'].values())} {tg['unanswered'] or ''} | {statistics.median(tg['latencies']):.0f} | "
          f"{percentile(tg['latencies'], 0.99):.0f} |\n"
          f"| web API | {args.web} | – | {server_errors} | – | – | {statistics.median(wb['latencies']):.1f} | "
          f"{percentile(wb['latencies'], 0.99):.1f} |")
    statuses = dict(sorted(wb["statuses"].items(), key=str))
    print(f"\n{figures['seconds']:.0f} s; answers rebuilt by the guard: {figures['guard']}; web statuses: {statuses}; "
          f"RSS {rss_before // 1024} MiB → {rss_after // 1024} MiB ({(rss_after - rss_before) / 1024:+.1f} MiB); "
          f"ordinary questions answered afterwards: {ordinary}/{2 * len(ORDINARY)}")
    for record in errors.records[:5]:
        print(f"error: {record.name}: {record.getMessage()[:300]}", file=sys.stderr)
    for method, error in tg["rejected"][:5]:
        print(f"rejected: {method}: {error}", file=sys.stderr)
    clean = not errors.records and not server_errors and not tg["rejected"] and ordinary == 2 * len(ORDINARY)
    return 0 if clean else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--updates", type=int, default=10000, help="hostile Telegram updates (default 10000)")
    parser.add_argument("--web", type=int, default=5000, help="hostile web requests (default 5000)")
    parser.add_argument("--knowledge", help="knowledge folder (default: BOT_KNOWLEDGE_DIR)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (the same seed, the same updates)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the run's own errors are counted, not printed as they happen
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
