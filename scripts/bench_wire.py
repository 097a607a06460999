"""The benchmark's wire: a lean fake Bot API and a lean webhook load generator, on plain asyncio.

scripts/bench_state.py measures the bot's webhook end to end on this machine, where the fake Telegram and the
load share the two cores with the bot. In production neither Telegram's servers nor the load run on the bot's
machine, so what they cost here is noise in the measurement: the validating `tests/helpers/fake_bot_api.py`
(aiohttp server, every call parsed, checked and recorded) and an aiohttp client cost ~0.75 ms of CPU per update.
Here both are plain asyncio protocols (~0.2-0.4 ms per update), without changing what is measured:

- `LeanBotAPI`: HTTP/1.1 keep-alive, `/bot<TOKEN>/<method>`; getMe answers the bot user, sendMessage a Message
  (its arrival noted as `(chat_id, monotonic time)` in `sent`), any other method `true`. Answers are pre-encoded;
  only a Message goes through `json.dumps`. It checks nothing beyond what it needs to answer (the tests keep the
  validating fake); `errors` counts the calls it could not answer.
- `post_updates`: posts updates at their planned moments over keep-alive connections (a request template, the
  response read in the protocol's callback: no task or future per update), at most `concurrency` at a time,
  the update of chat c to `endpoints[c % len(endpoints)]` as a reverse proxy would.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

TOKEN = "777000111:TEST-token_for-the-fake-api"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_HEAD = 64 * 1024
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)")


def http_response(status: int, body: bytes, close: bool = False) -> bytes:
    """One whole HTTP/1.1 response with a JSON body."""
    connection = b"Connection: close\r\n" if close else b""
    return b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s" % (
        status, HTTPStatus(status).phrase.encode(), len(body), connection, body)


def api_error(status: int, description: str, close: bool = False) -> bytes:
    body = json.dumps({"ok": False, "error_code": status, "description": description}).encode()
    return http_response(status, body, close)


OK_TRUE = http_response(200, b'{"ok":true,"result":true}')
UNAUTHORIZED = api_error(401, "Unauthorized")
NOT_FOUND = api_error(404, "Not Found")
BAD_HEAD = api_error(400, "Bad Request: malformed HTTP request", close=True)
NO_LENGTH = api_error(411, "Length Required: chunked request bodies are not supported", close=True)


def parse_head(head: bytes) -> tuple[str, dict[str, str]]:
    """The request target and the headers (names lower-cased) of one request head (without the blank line)."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise ValueError(f"bad request line {lines[0][:80]!r}")
    return parts[1], {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in lines[1:])}


def parse_params(body: bytes, content_type: str) -> dict:
    """A call's parameters: a JSON object, or form fields (strings) for application/x-www-form-urlencoded."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    params = json.loads(body)
    if not isinstance(params, dict):
        raise TypeError("the parameters are not a JSON object")
    return params


class LeanBotAPI:
    """The lean fake Bot API: `await start()`, point the bot at `base_url`, read `sent` and `errors`."""

    def __init__(self, token: str = TOKEN, username: str = "BacNinhTTHCBot"):
        self.token = token
        self.sent: list[tuple[int, float]] = []  # (chat_id, time.monotonic()) of every sendMessage, in arrival order
        self.errors = 0  # calls the fake could not answer (unreadable, wrong token or path, missing parameters)
        self.port = 0
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Trợ lý TTHC",
                         "username": username, "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": True}
        self._me = http_response(200, json.dumps({"ok": True, "result": self.bot_user}).encode())
        self._prefix = f"/bot{token}/"
        self._message_ids = itertools.count(1)
        self._server: asyncio.Server | None = None
        self._transports: set[asyncio.Transport] = set()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> LeanBotAPI:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: ApiProtocol(self), "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            for transport in list(self._transports):
                transport.close()
            await self._server.wait_closed()

    def answer(self, target: str, content_type: str, body: bytes, arrived: float) -> bytes:
        """The whole HTTP response to one call."""
        if not target.startswith(self._prefix):
            self.errors += 1
            return UNAUTHORIZED if target.startswith("/bot") else NOT_FOUND
        method = target[len(self._prefix):].split("?", 1)[0]
        if method == "sendMessage":
            return self.send_message(content_type, body, arrived)
        if method == "getMe":
            return self._me
        return OK_TRUE

    def send_message(self, content_type: str, body: bytes, arrived: float) -> bytes:
        try:
            params = parse_params(body, content_type)
            chat_id, text = int(params["chat_id"]), str(params["text"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            self.errors += 1
            return api_error(400, f"Bad Request: unreadable sendMessage ({exc.__class__.__name__})")
        if not text.strip():
            self.errors += 1
            return api_error(400, "Bad Request: message text is empty")
        self.sent.append((chat_id, arrived))
        message = {"message_id": next(self._message_ids), "from": self.bot_user, "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private"}, "text": text}
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        result = json.dumps({"ok": True, "result": message}, ensure_ascii=False, separators=(",", ":"))
        return http_response(200, result.encode())


class ApiProtocol(asyncio.Protocol):
    """One keep-alive connection to the lean fake: requests may arrive in pieces, or several in one chunk."""

    def __init__(self, api: LeanBotAPI):
        self.api, self.buffer, self.transport = api, b"", None

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.api._transports.add(transport)

    def connection_lost(self, exc) -> None:
        self.api._transports.discard(self.transport)

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic()
        buffer = self.buffer + data if self.buffer else data
        while buffer:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEAD:
                    return self.refuse(BAD_HEAD)
                break
            try:
                target, headers = parse_head(buffer[:end])
                length = int(headers.get("content-length", "0"))
            except ValueError:
                return self.refuse(BAD_HEAD)
            if "chunked" in headers.get("transfer-encoding", "").lower():
                return self.refuse(NO_LENGTH)
            if len(buffer) < end + 4 + length:
                break
            body, buffer = buffer[end + 4:end + 4 + length], buffer[end + 4 + length:]
            self.transport.write(self.api.answer(target, headers.get("content-type", ""), body, arrived))
            if headers.get("connection", "").lower() == "close":
                self.transport.close()
                break
        self.buffer = buffer

    def refuse(self, response: bytes) -> None:
        self.api.errors += 1
        self.buffer = b""
        self.transport.write(response)
        self.transport.close()


# ---- the load ----------------------------------------------------------------------------------------

def body_end(head: bytes, buffer: bytes, start: int) -> int | None:
    """Where the body of the response with (lower-cased) `head` ends in `buffer` (it starts at `start`), or None
    while incomplete: Content-Length, or chunked (without trailers), or none at all (no body)."""
    if b"\r\ntransfer-encoding: chunked" not in head:
        found = CONTENT_LENGTH.search(head)
        end = start + (int(found.group(1)) if found else 0)
        return end if len(buffer) >= end else None
    while (line := buffer.find(b"\r\n", start)) >= 0:
        size = int(buffer[start:line].split(b";")[0], 16)
        start = line + 2 + size + 2
        if size == 0 or len(buffer) < start:
            return start if len(buffer) >= start else None
    return None


class Connection(asyncio.Protocol):
    """One keep-alive connection of the load, one request at a time: the response is read in `data_received`
    (no task, no future), then the connection is idle again."""

    def __init__(self, endpoint: Endpoint):
        self.endpoint, self.buffer, self.transport, self.busy = endpoint, b"", None, False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def send(self, request: bytes) -> None:
        self.busy = True
        self.transport.write(request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if (head_end := self.buffer.find(b"\r\n\r\n")) < 0:
            return
        head = self.buffer[:head_end + 2].lower()
        if (end := body_end(head, self.buffer, head_end + 4)) is None:
            return
        self.buffer, self.busy = self.buffer[end:], False
        if b"\r\nconnection: close" in head:
            self.transport.close()
        else:
            self.endpoint.idle.append(self)
        self.endpoint.answered(int(head[9:12]))

    def connection_lost(self, exc) -> None:
        if self in self.endpoint.idle:
            self.endpoint.idle.remove(self)
        if self.busy:
            self.busy = False
            self.endpoint.answered(0)


class Endpoint:
    """One webhook address: its idle keep-alive connections, a request template, `answered(status)` per response."""

    def __init__(self, url: str, secret: str, answered):
        parts = urlsplit(url)
        self.host, self.port, self.answered = parts.hostname, parts.port or 80, answered
        self.head = (f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     f"Content-Type: application/json\r\n{SECRET_HEADER}: {secret}\r\nContent-Length: ").encode()
        self.idle: list[Connection] = []
        self.opening: set[asyncio.Task] = set()

    def post(self, body: bytes) -> None:
        request = b"%s%d\r\n\r\n%s" % (self.head, len(body), body)
        if self.idle:
            return self.idle.pop().send(request)
        task = asyncio.get_running_loop().create_task(self.connect(request))
        self.opening.add(task)
        task.add_done_callback(self.opening.discard)

    async def connect(self, request: bytes) -> None:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(lambda: Connection(self), self.host, self.port)
        except OSError:
            return self.answered(0)
        connection.send(request)


async def post_updates(endpoints: list[str], secret: str, updates: list[tuple[float, int]], concurrency: int,
                       make_body, start: float | None = None) -> tuple[dict[int, float], int]:
    """Post update `make_body(chat)` for each (seconds after `start`, chat) at that moment, or as soon as one of
    `concurrency` slots is free; the moment each chat's update was posted, and how many got no 200."""
    gate, posted, failed = asyncio.Semaphore(concurrency), {}, 0

    def answered(status: int) -> None:
        nonlocal failed
        failed += status != 200
        gate.release()

    targets = [Endpoint(url, secret, answered) for url in endpoints]
    start = time.monotonic() if start is None else start
    for at, chat in updates:
        if (delay := start + at - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        await gate.acquire()
        body = make_body(chat)
        posted[chat] = time.monotonic()
        targets[chat % len(targets)].post(body)
    for _ in range(concurrency):  # every slot free again: every update answered
        await gate.acquire()
    for connection in (c for target in targets for c in target.idle):
        connection.transport.close()
    return posted, failed
