"""A small fake Zalo Bot API on loopback, for tests: the bot reaches it through ZALO_API_BASE_URL.

It answers what Zalo's Bot Platform answers (POST /bot<TOKEN>/<method>, JSON in, `{"ok": true, "result": …}`
or `{"ok": false, "error_code": …, "description": …}` out): getMe; getUpdates, one update per call or
408 "Request timeout" when none came; setWebhook/deleteWebhook (then updates are POSTed to the webhook
with X-Bot-Api-Secret-Token); sendMessage, refusing text that is empty or over 2,000 characters;
sendPhoto; sendChatAction. It records every call and can fail the next calls of a method.
`Chat` makes tests read like a conversation.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import re
import time
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from helpers.loopback import LoopbackAPI

log = logging.getLogger(__name__)

TOKEN = "1234567890:zalo-TEST_token-for-the-fake"
BOT = {"id": "8112233445566778899", "account_name": "bot.TroLyTTHC", "account_type": "BASIC",
       "can_join_groups": True, "display_name": "Trợ lý TTHC Bắc Ninh"}
TEXT_LIMIT = 2000


@dataclass
class Call:
    """One Bot API call the bot made, and how the fake answered it."""

    method: str
    params: dict
    error: str = ""

    @property
    def text(self) -> str:
        return self.params.get("text", "")


class FakeZaloAPI(LoopbackAPI):
    """`await start()`, point the bot at `base_url`, push messages, read `calls`."""

    def __init__(self, token: str = TOKEN, max_poll_seconds: float = 1.0):
        super().__init__(token, max_poll_seconds)
        self.calls: list[Call] = []
        self.requests: list[str] = []  # every method called, getUpdates and refused calls too
        self.queue: list[dict] = []  # updates waiting for getUpdates
        self.handed: list[asyncio.Event] = []  # updates handed out, acknowledged by the next getUpdates
        self.webhook: dict = {"url": "", "secret_token": ""}
        self.failures: dict[str, list[tuple[int, int, str]]] = {}
        self.message_ids = itertools.count(1)

    async def start(self) -> "FakeZaloAPI":
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        await self.serve(app)
        return self

    # ---- the API -------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        async with self._changed:
            self.requests.append(request.match_info["method"])
            self._changed.notify_all()
        if request.match_info["token"] != self.token:
            return refusal(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            params = await request.json()
        except ValueError:
            return refusal(400, "Bad Request: body is not JSON")
        call = Call(method, params if isinstance(params, dict) else {})
        if method != "getUpdates":
            await self._note(call)
        if self.failures.get(method):
            status, code, description = self.failures[method].pop(0)
            call.error = description
            return refusal(code, description, status)
        try:
            return web.json_response({"ok": True, "result": await self._answer(method, call.params)})
        except Refused as exc:
            call.error = exc.description
            if exc.code != 408:  # "nothing came" is the normal end of a long poll
                log.warning("fake Zalo API refused %s: %s", method, exc.description)
            return refusal(exc.code, exc.description, exc.status)

    async def _note(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _answer(self, method: str, params: dict):
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "sendMessage":
            return self._sent(params, params.get("text"))
        if method == "sendPhoto":
            return self._sent(params, params.get("caption") or "-", photo=params.get("photo"))
        if method == "setWebhook":
            if not 8 <= len(str(params.get("secret_token") or "")) <= 256:
                raise Refused(400, "secret_token must be 8-256 characters")
            self.webhook = {"url": params.get("url", ""), "secret_token": params["secret_token"]}
            return {"url": self.webhook["url"], "updated_at": int(time.time() * 1000)}
        if method == "deleteWebhook":
            self.webhook = {"url": "", "secret_token": ""}
            return {"url": "", "updated_at": int(time.time() * 1000)}
        if method == "sendChatAction":
            return {}
        raise Refused(404, f"Not Found: method {method}")

    async def _get_updates(self, params: dict):
        if self.webhook["url"]:
            raise Refused(400, "Bad Request: a webhook is set; getUpdates is not available")
        self.polls += 1
        for acknowledged in self.handed:  # the bot has taken what the last poll handed it
            acknowledged.set()
        self.handed.clear()
        async with self._changed:
            wait = min(float(params.get("timeout") or 0), self.max_poll_seconds)
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: bool(self.queue) or self.closing), wait)
            except asyncio.TimeoutError:
                pass
            if not self.queue or self.closing:
                raise Refused(408, "Request timeout", status=408)
            update, acknowledged = self.queue.pop(0)
            self.handed.append(acknowledged)
            return update

    def _sent(self, params: dict, text, **extra) -> dict:
        if not isinstance(params.get("chat_id"), str) or not params["chat_id"]:
            raise Refused(400, "Bad Request: chat_id is required")
        if not isinstance(text, str) or not 1 <= len(text) <= TEXT_LIMIT:
            raise Refused(400, f"Bad Request: text must be 1-{TEXT_LIMIT} characters")
        return {"message_id": f"bot-{next(self.message_ids)}", "date": int(time.time() * 1000), **extra}

    # ---- what the bot did ----------------------------------------------------------------------

    def fail_next(self, method: str, times: int = 1, code: int = 500, description: str = "Internal Server Error",
                  status: int | None = None) -> None:
        """Make the next `times` calls of `method` fail as Zalo fails a call."""
        self.failures.setdefault(method, []).extend([(status or code, code, description)] * times)

    def calls_to(self, method: str, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method]

    def sent(self, chat_id: str | None = None, since: int = 0) -> list[Call]:
        """Messages the bot sent successfully (to one chat), from call number `since` on."""
        return [c for c in self.calls_to("sendMessage", since) if not c.error
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    async def wait_until(self, condition, timeout: float = 10.0) -> bool:
        """Wait (checking at every call the bot makes) until `condition()` holds; False on timeout."""
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(condition), timeout)
            except asyncio.TimeoutError:
                return False
        return True

    # ---- messages from citizens ----------------------------------------------------------------

    async def push(self, event_name: str, message: dict, timeout: float = 10.0) -> int:
        """Deliver one update as Zalo would: POSTed to the webhook (its HTTP status is returned), or handed
        to the next getUpdates (returns 200 once the bot has taken it, i.e. polled again)."""
        update = {"event_name": event_name, "message": message}
        if self.webhook["url"]:
            return await self.post_webhook(update, self.webhook["secret_token"])
        acknowledged = asyncio.Event()
        async with self._changed:
            self.queue.append((update, acknowledged))
            self._changed.notify_all()
        await asyncio.wait_for(acknowledged.wait(), timeout)
        return 200

    async def post_webhook(self, update: dict, secret: str | None) -> int:
        headers = {"X-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with aiohttp.ClientSession() as session:
            async with session.post(self.webhook["url"], json=update, headers=headers) as response:
                return response.status

    def message(self, chat_id: str, chat_type: str = "PRIVATE", message_id: str | None = None, **content) -> dict:
        """A message object as Zalo sends it (ids are strings, the date in milliseconds)."""
        return {"message_id": message_id or f"m-{next(self.message_ids)}", "date": int(time.time() * 1000),
                "chat": {"id": chat_id, "chat_type": chat_type},
                "from": {"id": chat_id if chat_type == "PRIVATE" else "u-9", "display_name": "Lan", "is_bot": False},
                **content}


class Refused(Exception):
    def __init__(self, code: int, description: str, status: int = 400):
        super().__init__(description)
        self.code, self.description, self.status = code, description, status


def refusal(code: int, description: str, status: int | None = None) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=status or code)


CHOICE = re.compile(r"^(\d+)\. (.+)$")


@dataclass
class Reply:
    """What the bot sent to a chat in answer to one message: one text, or the parts of a long one."""

    messages: list[Call] = field(default_factory=list)

    @property
    def parts(self) -> list[str]:
        return [m.text for m in self.messages]

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts)

    @property
    def choices(self) -> dict[str, int]:
        """The numbered choices offered at the end: label → number."""
        lines = self.parts[-1].splitlines() if self.parts else []
        return {m.group(2): int(m.group(1)) for m in map(CHOICE.match, lines) if m}


class Chat:
    """One citizen in one Zalo chat, so a test reads like the conversation: `reply = await lan.says("...")`."""

    def __init__(self, api: FakeZaloAPI, channel, chat_id: str = "zl-lan-1001", chat_type: str = "PRIVATE"):
        self.api, self.channel, self.id, self.chat_type = api, channel, chat_id, chat_type
        self.last = Reply()

    async def says(self, text: str, message_id: str | None = None) -> Reply:
        return await self.sends("message.text.received", text=text, message_id=message_id)

    async def chooses(self, label: str) -> Reply:
        """Type the number of the choice labelled `label` in the bot's last reply."""
        assert label in self.last.choices, f"no choice {label!r} in {list(self.last.choices)}"
        return await self.says(str(self.last.choices[label]))

    async def sends(self, event_name: str, message_id: str | None = None, **content) -> Reply:
        """Any message (a photo: "message.image.received", …); the bot's reply once it has handled it."""
        mark = len(self.api.calls)
        message = self.api.message(self.id, self.chat_type, message_id, **content)
        await self.api.push(event_name, message)
        await self.channel.drain()
        self.last = Reply(self.api.sent(self.id, mark))
        return self.last
