"""What the fake platform APIs (Telegram's, Zalo's) share: an aiohttp server on 127.0.0.1, on a port the
system picks, answering /bot<token>/<method>; `stop()` ends any long poll at once."""
from __future__ import annotations

import asyncio

from aiohttp import web


class LoopbackAPI:
    def __init__(self, token: str, max_poll_seconds: float):
        self.token, self.max_poll_seconds = token, max_poll_seconds
        self.polls, self.closing, self.port = 0, False, 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def serve(self, app: web.Application) -> None:
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        async with self._changed:
            self.closing = True  # ends any long poll at once
            self._changed.notify_all()
        if self._runner:
            await self._runner.cleanup()
