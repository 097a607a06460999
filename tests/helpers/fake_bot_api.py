"""A small fake Telegram Bot API on loopback, for tests and the benchmark.

It answers the methods python-telegram-bot calls (getMe, getUpdates with long polling, sendMessage,
answerCallbackQuery, answerInlineQuery, setWebhook, ...), records every call, and checks what the
real API would refuse: text over 4,096 characters, HTML that Telegram cannot parse, callback data
over 64 bytes. Updates are queued with the `push_*` helpers; `Chat` makes tests read like a chat.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from dataclasses import dataclass, field
from html import unescape

from aiohttp import web

from helpers.loopback import LoopbackAPI

log = logging.getLogger(__name__)

BOT_ID = 777000111
BOT_USERNAME = "BacNinhTTHCBot"
TOKEN = f"{BOT_ID}:TEST-token_for-the-fake-api"
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}
TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)([^<>]*)>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9A-Fa-f]+);")
JSON_PARAMS = {"reply_markup", "results", "allowed_updates", "commands", "link_preview_options",
               "reply_parameters", "button", "entities", "scope"}
INT_PARAMS = {"chat_id", "message_id", "message_thread_id", "offset", "limit", "timeout", "cache_time", "user_id"}


class BadRequest(Exception):
    """What the real API answers with 400 Bad Request."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse this text with parse_mode=HTML, or None if it parses."""
    stack, plain, pos = [], [], 0
    for m in TAG.finditer(text):
        plain.append(text[pos:m.start()])
        pos = m.end()
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name not in ALLOWED_TAGS:
            return f'Unsupported start tag "{name}"'
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return f'Unexpected end tag "{name}"'
    plain.append(text[pos:])
    rest = "".join(plain)
    if stack:
        return f'Can\'t find end tag corresponding to start tag "{stack[-1]}"'
    if "<" in rest:
        return "Unexpected '<' outside a tag; it must be escaped as &lt;"
    if "&" in ENTITY.sub("", rest):
        return "Unsupported HTML entity; '&' must be escaped as &amp;"
    return None


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user sees: tags removed and entities decoded when parse_mode is HTML."""
    return unescape(TAG.sub("", text)) if (parse_mode or "").upper() == "HTML" else text


def check_text(text: str, parse_mode: str | None) -> None:
    if (parse_mode or "").upper() == "HTML" and (problem := html_problem(text)):
        raise BadRequest(f"Bad Request: can't parse entities: {problem}")
    shown = visible_text(text, parse_mode)
    if not shown.strip():
        raise BadRequest("Bad Request: message text is empty")
    if utf16_len(shown) > 4096:
        raise BadRequest("Bad Request: message is too long")


def check_keyboard(markup: dict | None) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
            if data is None and not button.get("url"):
                raise BadRequest("Bad Request: can't parse inline keyboard button")


def decode_params(raw: dict) -> dict:
    """Form fields as PTB sends them (non-strings JSON-encoded) back into Python values."""
    params = {}
    for key, value in raw.items():
        if isinstance(value, str) and key in JSON_PARAMS:
            value = json.loads(value)
        elif isinstance(value, str) and key in INT_PARAMS and re.fullmatch(r"-?\d+", value):
            value = int(value)
        elif value in ("true", "false"):
            value = value == "true"
        params[key] = value
    return params


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: dict
    at: float = field(default_factory=time.monotonic)
    result: object = None
    error: str = ""
    content_type: str = ""

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def shown(self) -> str:
        """The text as the citizen sees it (tags removed, entities decoded)."""
        return visible_text(self.text, self.params.get("parse_mode"))

    @property
    def buttons(self) -> list[dict]:
        return [b for row in (self.params.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]

    def button(self, label: str) -> dict:
        found = [b for b in self.buttons if b["text"] == label]
        assert found, f"no button {label!r} in {[b['text'] for b in self.buttons]}"
        return found[0]


class FakeBotAPI(LoopbackAPI):
    """The fake server: `await start()`, point PTB at `base_url`, push updates, read `calls`."""

    def __init__(self, token: str = TOKEN, max_poll_seconds: float = 1.0):
        super().__init__(token, max_poll_seconds)
        self.calls: list[Call] = []
        self.updates: list[dict] = []
        self.updates_pushed: list[dict] = []
        self.webhook: dict = {"url": ""}
        self.update_ids, self.message_ids, self.query_ids = itertools.count(1), itertools.count(1), itertools.count(1)
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Trợ lý TTHC",
                         "username": BOT_USERNAME, "can_join_groups": True, "supports_inline_queries": True}
        self.refusals: dict[str, str] = {}
        self.members: dict[int, set[int]] = {}  # group id → user ids (getChatMember); `forums`: groups with topics
        self.forums: set[int] = set()
        self.topics: dict[int, dict[int, str]] = {}  # group id → thread id → topic name (createForumTopic)

    async def start(self) -> "FakeBotAPI":
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        await self.serve(app)
        return self

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        if request.content_type == "application/json":
            raw = await request.json()
        else:
            raw = {k: v.file.read() if isinstance(v, web.FileField) else v for k, v in (await request.post()).items()}
        call = Call(method, decode_params(raw), content_type=request.content_type)
        try:
            call.result = await self._answer(method, call.params)
        except BadRequest as exc:
            call.error = str(exc)
            log.warning("fake Bot API refused %s: %s", method, exc)
            return web.json_response({"ok": False, "error_code": 400, "description": call.error}, status=400)
        finally:
            if method != "getUpdates":
                await self._note(call)
        return web.json_response({"ok": True, "result": call.result})

    async def _note(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _answer(self, method: str, params: dict):
        if method in self.refusals:
            raise BadRequest(self.refusals.pop(method))
        if method == "getMe":
            return self.bot_user
        if method == "getUpdates":
            self.polls += 1
            return await self._get_updates(params)
        if method in ("sendMessage", "editMessageText"):
            return self._sent_message(method, params)
        if method == "answerInlineQuery":
            return self._check_inline(params)
        if method in ("getChat", "getChatMember", "createForumTopic"):
            return self._group_answer(method, params)
        if method == "setWebhook":
            self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
            return True
        if method == "deleteWebhook":
            self.webhook = {"url": ""}
            return True
        if method == "getWebhookInfo":
            return {"url": self.webhook["url"], "has_custom_certificate": False, "pending_update_count": 0}
        if method not in ("answerCallbackQuery", "setMyCommands", "sendChatAction", "close", "logOut",
                          "deleteMyCommands", "setMyDescription", "setMyShortDescription"):
            log.info("fake Bot API: unknown method %s answered ok", method)
        return True

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = params.get("offset") or 0
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and params.get("timeout"):
            wait = min(float(params["timeout"]), self.max_poll_seconds)
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(self.updates) or self.closing), wait)
                except asyncio.TimeoutError:
                    pass
        return list(self.updates[: params.get("limit") or 100])

    def _sent_message(self, method: str, params: dict) -> dict:
        check_text(params.get("text", ""), params.get("parse_mode"))
        check_keyboard(params.get("reply_markup"))
        if method == "editMessageText" and "chat_id" not in params:
            return True
        chat_id = params["chat_id"]
        mid = params.get("message_id") or next(self.message_ids)
        message = {"message_id": mid, "date": int(time.time()), "from": self.bot_user,
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                   "text": visible_text(params["text"], params.get("parse_mode"))}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):
            message.update(message_thread_id=params["message_thread_id"], is_topic_message=True)
        return message

    def _group_answer(self, method: str, params: dict):
        """Groups: getChat (is_forum), getChatMember (member or left, from `members`), createForumTopic."""
        chat_id = params["chat_id"]
        if method == "getChat":
            return {"id": chat_id, "type": "supergroup", "title": "Nhóm hỗ trợ", "is_forum": chat_id in self.forums,
                    "accent_color_id": 0, "max_reaction_count": 11,
                    "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                                            "premium_subscription": False, "gifts_from_channels": False}}
        if method == "getChatMember":
            person = {"id": params["user_id"], "is_bot": False, "first_name": "?"}
            return {"status": "member" if params["user_id"] in self.members.get(chat_id, set()) else "left", "user": person}
        if chat_id not in self.forums:
            raise BadRequest("Bad Request: the chat is not a forum")
        thread = next(self.message_ids)
        self.topics.setdefault(chat_id, {})[thread] = params["name"]
        return {"message_thread_id": thread, "name": params["name"], "icon_color": 7322096}

    def _check_inline(self, params: dict):
        results = params.get("results") or []
        if len(results) > 50 or len({r["id"] for r in results}) != len(results):
            raise BadRequest("Bad Request: RESULTS_TOO_MUCH or duplicate result ids")
        for r in results:
            content = r.get("input_message_content", {})
            check_text(content.get("message_text", ""), content.get("parse_mode"))
            check_keyboard(r.get("reply_markup"))
        return True

    # ---- what the bot did -------------------------------------------------------------------
    def sent(self, chat_id: int | None = None, since: int = 0) -> list[Call]:
        """Messages the bot sent (to one chat), from call number `since` on."""
        return [c for c in self.calls[since:] if c.method == "sendMessage"
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def refuse_next(self, method: str, description: str = "Bad Request: refused by the test") -> None:
        """Make the next call of `method` fail as the real API fails a call (400)."""
        self.refusals[method] = description

    def calls_to(self, method: str, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method]

    @property
    def errors(self) -> list[Call]:
        """Calls the fake refused as the real API would (bad HTML, too long, bad button data)."""
        return [c for c in self.calls if c.error]

    async def wait_for(self, method: str, predicate=None, timeout: float = 5.0, since: int = 0) -> Call:
        """The first call of `method` (from call number `since`) that satisfies `predicate`."""
        def found():
            return next((c for c in self.calls[since:] if c.method == method and (predicate is None or predicate(c))), None)

        if not await self.wait_until(lambda: found() is not None, timeout):
            raise AssertionError(f"no {method} call matching within {timeout}s; calls since {since}: "
                                 f"{[(c.method, c.params.get('text', '')[:60]) for c in self.calls[since:]]}")
        return found()

    async def wait_until(self, condition, timeout: float = 5.0) -> bool:
        """Wait (checking at every call the bot makes) until `condition()` holds; False on timeout."""
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(condition), timeout)
            except asyncio.TimeoutError:
                return False
        return True

    # ---- updates from citizens --------------------------------------------------------------
    async def push(self, payload: dict) -> dict:
        """Queue one update (the part after update_id) for the next getUpdates."""
        update = {"update_id": next(self.update_ids), **payload}
        async with self._changed:
            self.updates.append(update)
            self.updates_pushed.append(update)
            self._changed.notify_all()
        return update

    def message(self, chat: dict, user: dict, **content) -> dict:
        """A message object as Telegram would send it."""
        return {"message_id": next(self.message_ids), "date": int(time.time()), "chat": chat, "from": user, **content}

    async def push_text(self, chat: dict, user: dict, text: str, reply_to: dict | None = None, **fields) -> dict:
        """A text message (extra message `fields` as given); commands and @mentions get their entities."""
        entities = []
        if m := re.match(r"/[A-Za-z0-9_]+(@\w+)?", text):
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))})
        for m in re.finditer(r"@\w+", text):
            if not (entities and m.start() < entities[0]["length"]):
                entities.append({"type": "mention", "offset": utf16_len(text[:m.start()]), "length": utf16_len(m.group(0))})
        extra = {"entities": entities, **fields} if entities else dict(fields)
        if reply_to:
            extra["reply_to_message"] = reply_to
        return await self.push({"message": self.message(chat, user, text=text, **extra)})

    async def push_callback(self, user: dict, message: dict, data: str) -> dict:
        """A press on an inline button of `message` (one the bot sent)."""
        return await self.push({"callback_query": {"id": str(next(self.query_ids)), "from": user, "message": message,
                                                   "chat_instance": "42", "data": data}})

    async def push_inline(self, user: dict, query: str) -> dict:
        return await self.push({"inline_query": {"id": str(next(self.query_ids)), "from": user, "query": query,
                                                 "offset": "", "chat_type": "sender"}})

    async def push_sticker(self, chat: dict, user: dict) -> dict:
        sticker = {"file_id": "CAAC-sticker", "file_unique_id": "s1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
        return await self.push({"message": self.message(chat, user, sticker=sticker)})

    async def push_photo(self, chat: dict, user: dict) -> dict:
        photo = [{"file_id": "AgAC-photo", "file_unique_id": "p1", "width": 90, "height": 90}]
        return await self.push({"message": self.message(chat, user, photo=photo)})

    async def push_location(self, chat: dict, user: dict) -> dict:
        return await self.push({"message": self.message(chat, user, location={"latitude": 21.18, "longitude": 106.07})})

    async def push_voice(self, chat: dict, user: dict) -> dict:
        voice = {"file_id": "AwAC-voice", "file_unique_id": "v1", "duration": 3}
        return await self.push({"message": self.message(chat, user, voice=voice)})


def user(uid: int = 1001, name: str = "Lan") -> dict:
    return {"id": uid, "is_bot": False, "first_name": name, "language_code": "vi"}


def private_chat(uid: int = 1001, name: str = "Lan") -> dict:
    return {"id": uid, "type": "private", "first_name": name}


def group_chat(gid: int = -100123456, title: str = "Tổ dân phố số 3") -> dict:
    return {"id": gid, "type": "supergroup", "title": title}


@dataclass
class Reply:
    """What the bot sent to a chat in answer to one update: one message, or the parts of a long one."""

    messages: list[Call]

    @property
    def last(self) -> Call:
        return self.messages[-1]

    @property
    def shown(self) -> str:
        """All parts as the citizen reads them."""
        return "\n\n".join(m.shown for m in self.messages)

    @property
    def labels(self) -> list[str]:
        return [b["text"] for b in self.last.buttons]

    def button(self, label: str) -> dict:
        return self.last.button(label)


class Chat:
    """One citizen in one chat, so a test reads like the conversation: `reply = await chat.says("...")`."""

    def __init__(self, api: FakeBotAPI, chat: dict | None = None, person: dict | None = None, timeout: float = 10.0):
        self.api, self.chat, self.user, self.timeout = api, chat or private_chat(), person or user(), timeout
        self.last: Reply | None = None

    @property
    def id(self) -> int:
        return self.chat["id"]

    async def says(self, text: str, reply_to: dict | None = None, until_buttons: bool = False) -> Reply:
        """Send a text; the bot's reply (with `until_buttons`, every part up to the one with the keyboard)."""
        mark = len(self.api.calls)
        await self.api.push_text(self.chat, self.user, text, reply_to)
        return await self.reply_since(mark, until_buttons)

    async def presses(self, label: str, until_buttons: bool = False) -> Reply:
        """Press the button labelled `label` under the bot's last reply; the bot's answer."""
        pressed = self.last.last
        data = pressed.button(label)["callback_data"]
        mark = len(self.api.calls)
        await self.api.push_callback(self.user, pressed.result, data)
        return await self.reply_since(mark, until_buttons)

    async def sends(self, kind: str) -> Reply:
        """Send a sticker, photo, location or voice message; the bot's reply."""
        mark = len(self.api.calls)
        await getattr(self.api, f"push_{kind}")(self.chat, self.user)
        return await self.reply_since(mark)

    async def reply_since(self, mark: int, until_buttons: bool = False) -> Reply:
        """The bot's messages to this chat from call number `mark` on (waiting for the first, or the keyboard)."""
        def done(call: Call) -> bool:
            return call.params.get("chat_id") == self.id and bool(call.error or not until_buttons or call.buttons)

        last = await self.api.wait_for("sendMessage", done, self.timeout, since=mark)
        sent = self.api.sent(self.id, mark)
        messages = sent[: sent.index(last) + 1]
        for m in messages:
            assert not m.error, f"the real Bot API would refuse this message: {m.error}\n{m.text[:300]}"
        self.last = Reply(messages)
        return self.last
