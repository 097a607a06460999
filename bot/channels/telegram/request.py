"""python-telegram-bot's HTTP transport on aiohttp: the one `SafeRequest` every Bot API call goes through.

PTB's default transport (httpx/httpcore) costs the bot more CPU per message sent than the core's whole reply:
its pool re-checks every connection with a socket query and rescans its queue whenever a request starts or
ends. We already run aiohttp; one `ClientSession` with a bounded `TCPConnector` does the same job.

Timeouts map onto aiohttp's: `connect_timeout` → `sock_connect`, `pool_timeout + connect_timeout` → `connect`
(aiohttp's `connect` includes waiting for a free connection), `read_timeout` → `sock_read`; aiohttp has no
write timeout, so the sum of all four bounds the whole request (`total`). Any timeout → `TimedOut`, any
other aiohttp or socket failure → `NetworkError`, as PTB's own transport does.

Every payload from the Bot API is made safe at the edge (lone surrogates, controls, NFC, depth):
`parse_json_payload` uses the project's `parse_json`.
"""
from __future__ import annotations

import asyncio
import json

import aiohttp
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.knowledge.text import parse_json

JSON = {"Content-Type": "application/json"}
DefaultValue = type(BaseRequest.DEFAULT_NONE)  # "not given": PTB's marker class, without importing its private module


def _sum(*parts: float | None) -> float | None:
    return None if any(p is None for p in parts) else sum(parts)


def form_data(request_data: RequestData) -> aiohttp.FormData:
    """Parameters and files as multipart/form-data (PTB's `multipart_data`: name → (filename, content, mime))."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form


def json_body(request_data: RequestData) -> bytes:
    """The parameters as one JSON object (the Bot API takes application/json for every call without files):
    one C-speed `json.dumps` instead of PTB's form encoding (a JSON string per nested value, then
    percent-encoding of every non-ASCII byte of the text)."""
    text = json.dumps(request_data.parameters, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", errors="replace")  # a lone surrogate that slipped through is never a failed send


class SafeRequest(BaseRequest):
    """A `telegram.request.BaseRequest` on one aiohttp `ClientSession` (at most `connection_pool_size` connections)."""

    __slots__ = ("_session", "_limit", "_timeouts", "_media_write_timeout", "_cache")

    def __init__(self, connection_pool_size: int = 16, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0):
        self._session: aiohttp.ClientSession | None = None
        self._limit = connection_pool_size
        self._timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._media_write_timeout = media_write_timeout
        self._cache: dict[tuple, aiohttp.ClientTimeout] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._limit)
            self._session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                                  headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict:
        try:
            return parse_json(payload, errors="replace")
        except ValueError as exc:
            raise TelegramError(f"Invalid server response: {exc}") from exc

    def client_timeout(self, read, write, connect, pool, files: bool) -> aiohttp.ClientTimeout:
        """PTB's four timeouts (DEFAULT_NONE = this request's defaults) as one aiohttp ClientTimeout."""
        if files and isinstance(write, DefaultValue):
            write = self._media_write_timeout
        read, write, connect, pool = (default if isinstance(given, DefaultValue) else given for given, default in
                                      zip((read, write, connect, pool), self._timeouts))
        key = (read, write, connect, pool)
        if (timeout := self._cache.get(key)) is None:
            timeout = aiohttp.ClientTimeout(total=_sum(read, write, connect, pool), connect=_sum(pool, connect),
                                            sock_connect=connect, sock_read=read)
            if len(self._cache) < 64:  # getUpdates' read timeout varies with its long-poll timeout, little else does
                self._cache[key] = timeout
        return timeout

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=BaseRequest.DEFAULT_NONE, write_timeout=BaseRequest.DEFAULT_NONE,
                         connect_timeout=BaseRequest.DEFAULT_NONE, pool_timeout=BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This SafeRequest is not initialized!")
        files = bool(request_data and request_data.contains_files)
        timeout = self.client_timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, files)
        body, headers = None, None
        if files:
            body = form_data(request_data)
        elif request_data is not None:
            body, headers = json_body(request_data), JSON
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout,
                                             allow_redirects=False) as response:  # as httpx: the token is in the URL
                return response.status, await response.read()
        except (asyncio.TimeoutError, TimeoutError) as exc:
            raise TimedOut(f"Timed out: {exc.__class__.__name__}") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc
