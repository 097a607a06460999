"""A thin aiohttp client of Zalo's Bot API: POST <base><token>/<method> with a JSON body.

Answers are `{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …}`; they are
parsed with `parse_json` (every string made safe, depth limited). Network errors, 5xx and 429 are retried
with back-off; other refusals raise `ZaloAPIError` at once. The token never appears in a log line.
"""
from __future__ import annotations

import asyncio
import logging

import aiohttp

from bot.knowledge.text import parse_json

log = logging.getLogger(__name__)

POLL_SECONDS = 30  # getUpdates' long-poll timeout
RETRY_DELAYS = (1.0, 2.0, 4.0)  # seconds before the 2nd, 3rd and 4th attempt
TIMEOUT = aiohttp.ClientTimeout(total=20)
POLL_TIMEOUT = aiohttp.ClientTimeout(total=POLL_SECONDS + 15)


class ZaloAPIError(Exception):
    """A call the Bot API refused (or that never got an answer): `code` is its error_code (0 for network)."""

    def __init__(self, method: str, code: int, description: str):
        super().__init__(f"{method}: {code} {description}")
        self.method, self.code, self.description = method, code, description

    @property
    def retryable(self) -> bool:
        return self.code == 0 or self.code == 429 or self.code >= 500

    @property
    def timed_out(self) -> bool:
        """getUpdates' "nothing came" answer."""
        return self.code == 408


class ZaloAPI:
    """Calls on one bot; `async with ZaloAPI(...)` or `await close()` ends its HTTP session."""

    def __init__(self, base_url: str, token: str, delays: tuple[float, ...] = RETRY_DELAYS):
        self.url, self.token, self.delays = f"{base_url}{token}/", token, delays
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "ZaloAPI":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        if self.session:
            await self.session.close()
            self.session = None

    def redact(self, text: str) -> str:
        return text.replace(self.token, "<token>") if self.token else text

    async def call(self, method: str, params: dict | None = None, *, wait: aiohttp.ClientTimeout = TIMEOUT,
                   retry: bool = True):
        """The call's result; retried with back-off when Zalo or the network fails, else ZaloAPIError."""
        for attempt in range(len(self.delays) + 1):
            try:
                return await self._once(method, params or {}, wait)
            except ZaloAPIError as exc:
                if not (retry and exc.retryable) or attempt == len(self.delays):
                    raise
                log.warning("Zalo %s failed (%s); retrying in %s s", method, exc, self.delays[attempt])
                await asyncio.sleep(self.delays[attempt])

    async def _once(self, method: str, params: dict, wait: aiohttp.ClientTimeout):
        if self.session is None:
            self.session = aiohttp.ClientSession()
        try:
            async with self.session.post(self.url + method, json=params, timeout=wait) as response:
                raw, status = await response.read(), response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ZaloAPIError(method, 0, self.redact(f"{type(exc).__name__}: {exc}")) from None
        try:
            answer = parse_json(raw, errors="replace")
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise ZaloAPIError(method, status if status >= 400 else 502, f"unreadable answer (HTTP {status})")
        if answer.get("ok") is not True:
            code = answer.get("error_code") if isinstance(answer.get("error_code"), int) else status
            raise ZaloAPIError(method, code, self.redact(str(answer.get("description") or "")))
        return answer.get("result")

    # ---- the methods the channel uses ----------------------------------------------------------

    async def get_me(self) -> dict:
        return await self.call("getMe", retry=False)

    async def get_updates(self) -> list[dict]:
        """Long polling: the update(s) that came within POLL_SECONDS, [] when none (Zalo's 408)."""
        try:
            result = await self.call("getUpdates", {"timeout": str(POLL_SECONDS)}, wait=POLL_TIMEOUT, retry=False)
        except ZaloAPIError as exc:
            if exc.timed_out:
                return []
            raise
        if isinstance(result, list):
            return [u for u in result if isinstance(u, dict)]
        return [result] if isinstance(result, dict) else []

    async def send_message(self, chat_id: str, text: str) -> dict:
        return await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")
