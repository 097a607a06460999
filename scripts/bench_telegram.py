#!/usr/bin/env python3
"""Benchmark the Telegram channel end to end: the real PTB Application polling the fake Bot API on loopback.

usage: .venv/bin/python scripts/bench_telegram.py [--updates 500] [--knowledge DIR]

Each update is a citizen's question from a mix (each from its own private chat, so every one also
creates a session). Latency is from the moment the update is queued at the fake API until the bot's
first message to that chat reaches it. Prints a Markdown table:
- burst, production: all updates queued at once, with PTB's AIORateLimiter (Telegram's 30 messages/s);
- burst, no API limiter: the same without AIORateLimiter: what the bot itself can do;
- one at a time: the next question only after the previous answer (latency without queueing).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.answering.conversation import Assistant  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.running.settings import load_settings  # noqa: E402
from bot.running.journal import StateStore  # noqa: E402
from bot.channels.telegram.app import start_telegram  # noqa: E402
from helpers.fake_bot_api import FakeBotAPI, private_chat, user  # noqa: E402

QUESTIONS = (
    "làm giấy khai sinh cho con cần gì", "đăng ký kết hôn cần giấy tờ gì", "phí làm căn cước bao nhiêu",
    "sổ đỏ", "xin chào", "tra cứu hồ sơ 000.00.23.H10-250703-0005", "đăng ký thường trú ở đâu",
    "làm hộ chiếu mất bao lâu", "chứng thực bản sao", "giấy xác nhận tình trạng hôn nhân",
    "cấp lại thẻ bảo hiểm y tế", "đăng ký hộ kinh doanh", "asdfgh qwerty", "trung tâm hành chính công ở đâu",
)


class FirstReplies:
    """When the bot's first message to each chat reached the fake API (reading only new calls)."""

    def __init__(self, api: FakeBotAPI):
        self.api, self.seen, self.at = api, 0, {}

    def update(self) -> dict[int, float]:
        for call in self.api.calls[self.seen:]:
            if call.method == "sendMessage":
                self.at.setdefault(call.params["chat_id"], call.at)
        self.seen = len(self.api.calls)
        return self.at


async def run(assistant: Assistant, n: int, burst: bool, api_rate_limit: bool) -> dict:
    """Push `n` questions (all at once, or each after the previous answer) and time the answers."""
    api = await FakeBotAPI().start()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
               "BOT_DATA_DIR": data_dir, "BOT_RATE_LIMIT_PER_MINUTE": "0"}
        store = StateStore(data_dir)
        handle = await start_telegram(load_settings(env), assistant, store, api_rate_limit=api_rate_limit)
        replies, pushed = FirstReplies(api), {}
        try:
            started = time.monotonic()
            for i in range(n):
                chat_id = 100_000 + i
                pushed[chat_id] = time.monotonic()
                await api.push_text(private_chat(chat_id), user(chat_id), QUESTIONS[i % len(QUESTIONS)])
                if not burst and not await api.wait_until(lambda c=chat_id: c in replies.update(), 30):
                    raise SystemExit(f"no answer to update {i} within 30 s")
            if not await api.wait_until(lambda: len(replies.update()) >= n, 600):
                raise SystemExit(f"only {len(replies.at)} of {n} updates answered within 600 s")
            elapsed = max(replies.at.values()) - started
        finally:
            await handle.stop()
            store.close()
            await api.stop()
    latencies = sorted((replies.at[c] - pushed[c]) * 1000 for c in pushed)
    return {"n": n, "seconds": elapsed, "rate": n / elapsed, "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], "messages": len(api.sent()),
            "errors": len(api.errors)}


def table(rows: list[tuple[str, dict]]) -> str:
    out = ["| scenario | updates | seconds | updates/s | p50 ms | p99 ms | messages sent | API errors |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows:
        out.append(f"| {name} | {r['n']} | {r['seconds']:.1f} | {r['rate']:.1f} | {r['p50']:.0f} | {r['p99']:.0f} "
                   f"| {r['messages']} | {r['errors']} |")
    return "\n".join(out)


async def main_async(args) -> None:
    knowledge = load_knowledge(args.knowledge or load_settings().bot_knowledge_dir)
    assistant = Assistant(knowledge)
    rows = []
    for name, burst, limited in (("burst, production (AIORateLimiter)", True, True),
                                 ("burst, no API rate limiter", True, False),
                                 ("one at a time (AIORateLimiter)", False, True)):
        rows.append((name, await run(assistant, args.updates, burst, limited)))
        print(f"done: {name}", file=sys.stderr, flush=True)
    print(table(rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--updates", type=int, default=500, help="updates per scenario (default 500)")
    parser.add_argument("--knowledge", help="knowledge folder (default: BOT_KNOWLEDGE_DIR)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
