"""Zalo handlers: each turns one kind of incoming message into a call on the core and sends its `Answer` back.

Every handler is `async def handler(shared, message)`, where `shared` holds what python-telegram-bot
keeps in `bot_data` (built once by `app.build_zalo`) and `message` is Zalo's message object (safe JSON).
Answers are rendered by `zalo.render`: plain text, choices as numbers the citizen types back.
"""
from __future__ import annotations

import copy
import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from bot.answering import replies
from bot.answering.answer import Answer
from bot.answering.i18n import translator
from bot.channels.zalo.api import ZaloAPI, ZaloAPIError
from bot.channels.zalo.render import to_zalo
from bot.running.ratelimit import RateLimiter

log = logging.getLogger(__name__)

CHANNEL = "zalo"
MAX_QUESTION = 1000  # characters of one question passed to the core (as in the other channels)
MAX_CHATS_REMEMBERED = 10000  # chats whose numbered choices are kept in memory
NUMBER = re.compile(r"\s*(?:số\s*)?([0-9]{1,3})\s*[.)]?\s*", re.IGNORECASE)


@dataclass
class Shared:
    """The objects every handler uses; `choices` maps a chat to the actions its last answer numbered."""

    api: ZaloAPI
    assistant: object
    store: object
    limiter: RateLimiter
    public_url: str = ""
    desk: object = None  # bot.running.desk.Desk when the runner shares one: a person, when the citizen asks
    choices: OrderedDict = field(default_factory=OrderedDict)
    warned: dict = field(default_factory=dict)


def chat_of(message: dict) -> dict:
    chat = message.get("chat")
    return chat if isinstance(chat, dict) else {}


def chat_id_of(message: dict) -> str:
    chat_id = chat_of(message).get("id")
    return str(chat_id) if isinstance(chat_id, (str, int)) and not isinstance(chat_id, bool) else ""


def from_bot(message: dict) -> bool:
    """A message of a bot (ours included): never answered, so two bots cannot talk forever."""
    sender = message.get("from")
    return isinstance(sender, dict) and sender.get("is_bot") is True


def is_private(message: dict) -> bool:
    return str(chat_of(message).get("chat_type", "PRIVATE")).upper() != "GROUP"


def store_key(chat_id: str) -> str:
    """The chat as the store knows it (Zalo ids are strings; the prefix keeps them apart from Telegram's)."""
    return f"zalo:{chat_id}"


# ---- shared state: sessions, events, rate limit -----------------------------------------------------

async def read_session(shared: Shared, chat_id: str) -> dict:
    """The chat's session; none when the store cannot be read (the answer comes without the history)."""
    try:
        return await shared.store.session(store_key(chat_id))
    except Exception:  # the store unreachable: /healthz reports it
        log.exception("could not read a Zalo chat's session")
        return {}


async def load_session(shared: Shared, chat_id: str) -> tuple[dict, dict]:
    """The chat's session and a copy to tell, at the end, whether it changed."""
    session = await read_session(shared, chat_id)
    return session, copy.deepcopy(session)


async def finish(shared: Shared, chat_id: str, session: dict, before: dict, events=()) -> None:
    """Save the session (if it changed) and what the core reported, in one write; a failed write is
    logged and never costs the citizen the answer."""
    try:
        await shared.store.save(store_key(chat_id), session if session != before else None, list(events), channel=CHANNEL)
    except Exception:
        log.exception("could not save a Zalo chat's session and events")


async def send_answer(shared: Shared, chat_id: str, answer: Answer, session: dict) -> None:
    """Render as plain text parts of at most 2,000 characters; remember what each number stands for."""
    rendered = to_zalo(answer, translator(session.get("language")), shared.public_url)
    shared.choices.pop(chat_id, None)
    if rendered.actions:
        shared.choices[chat_id] = rendered.actions
        while len(shared.choices) > MAX_CHATS_REMEMBERED:
            shared.choices.popitem(last=False)
    for part in rendered.parts:
        await shared.api.send_message(chat_id, part)


async def rate_limit_gate(shared: Shared, message: dict) -> bool:
    """Runs before every handler: False (and, once a window, a polite word) when the chat asks too much."""
    chat_id = chat_id_of(message)
    if shared.limiter.allow(store_key(chat_id)):
        return True
    now = time.monotonic()
    if now - shared.warned.get(chat_id, float("-inf")) >= shared.limiter.window:
        if len(shared.warned) > MAX_CHATS_REMEMBERED:
            shared.warned.clear()
        shared.warned[chat_id] = now
        t = translator((await read_session(shared, chat_id)).get("language"))
        await shared.api.send_message(chat_id, t("Too many questions at once. Please wait a minute and try again."))
    return False


# ---- handlers -------------------------------------------------------------------------------------

def chosen_action(shared: Shared, chat_id: str, text: str) -> str | None:
    """The action behind a typed number ("2", "số 2", "2.") among the last answer's choices, if any."""
    number, offered = NUMBER.fullmatch(text), shared.choices.get(chat_id) or []
    if number and 1 <= int(number.group(1)) <= len(offered):
        return offered[int(number.group(1)) - 1]
    return None


async def question(shared: Shared, message: dict) -> None:
    """Free text: a number picks one of the last answer's choices; anything else goes to the core."""
    raw = message.get("text")
    chat_id, text = chat_id_of(message), " ".join(raw.split())[:MAX_QUESTION] if isinstance(raw, str) else ""
    session, before = await load_session(shared, chat_id)
    action = chosen_action(shared, chat_id, text)
    if action and action.startswith("checklist:"):
        return await checklist(shared, chat_id, action.partition(":")[2], session)
    reply = shared.assistant.press(action, session) if action else shared.assistant.reply(text, session)
    answer = await shared.desk.route(CHANNEL, chat_id, session, "" if action else text, reply) if shared.desk else reply.answer
    await finish(shared, chat_id, session, before, reply.events)
    await send_answer(shared, chat_id, answer, session)


async def checklist(shared: Shared, chat_id: str, pid: str, session: dict) -> None:
    """The compact card volunteers forward (choice 📋 under a procedure card)."""
    t = translator(session.get("language"))
    card = shared.assistant.checklist(pid, session) or replies.notice(t("Which procedure?"), t("Please ask again."))
    await send_answer(shared, chat_id, card, session)


async def not_text(shared: Shared, message: dict) -> None:
    """Photos, stickers and what Zalo cannot show us: say kindly that the bot reads typed questions."""
    if not is_private(message):  # in a group, a sticker is meant for the people there
        return
    chat_id = chat_id_of(message)
    session, _ = await load_session(shared, chat_id)
    t = translator(session.get("language"))
    example = t("Please type your question, e.g. “what papers do I need for a birth certificate”.")
    await send_answer(shared, chat_id, replies.notice(t("I can only read typed questions."), example), session)


async def error_handler(shared: Shared, message: dict, error: BaseException) -> None:
    """Log the error; tell the citizen politely that something went wrong."""
    log.error("a Zalo message could not be handled", exc_info=error)
    chat_id = chat_id_of(message)
    if not chat_id:
        return
    t = translator()
    try:
        await shared.api.send_message(chat_id, t("Sorry, something went wrong on my side. Please try again in a moment."))
    except ZaloAPIError as exc:
        log.warning("could not tell the Zalo chat about the error: %s", exc)
