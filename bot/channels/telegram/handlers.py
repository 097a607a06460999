"""Telegram handlers: each turns one kind of update into a call on the core and sends its `Answer` back,
rendered by `bot.answering.render` (nothing here formats facts). Shared objects: `context.bot_data`."""
from __future__ import annotations

import copy
import hashlib
import logging
import re
from collections import OrderedDict

from telegram import (InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters, Update)
from telegram.constants import ChatType, MessageEntityType, ParseMode
from telegram.ext import ContextTypes

from bot.answering import replies
from bot.answering.answer import NOTICE, PROCEDURE, Answer, Button, Section
from bot.answering.i18n import translator
from bot.answering.render import split_message, to_telegram_html, url_buttons

log = logging.getLogger(__name__)

MAX_QUESTION = 1000  # characters of one question passed to the core (as in the web chat)
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
MAX_ACTION_TOKENS = 5000
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
Context = ContextTypes.DEFAULT_TYPE


# ---- shared state: sessions, events, rate limit, button actions ------------------------------------

async def preload_session(update: Update, context: Context) -> None:
    """Runs before every handler (group -3): the chat's session as the store has it now (another process
    sharing the store may have changed it since this one last saw the chat)."""
    if update.effective_chat is not None and context.chat_data is not None:
        try:
            session = await context.bot_data["store"].session(update.effective_chat.id)
        except Exception:  # the store unreachable: answer without the history (/healthz reports it)
            log.exception("could not read a Telegram chat's session")
            session = {}
        context.chat_data["session"], context.chat_data["saved"] = session, copy.deepcopy(session)


def load_session(context: Context) -> dict:
    """The chat's session, read from the store by `preload_session` before the handler runs."""
    if "session" not in context.chat_data:
        context.chat_data["session"], context.chat_data["saved"] = {}, {}
    return context.chat_data["session"]


async def finish(context: Context, chat_id: int, session: dict, events: list[dict] = ()) -> None:
    """Save the chat's session (if it changed) and what the core reported, in one write that is on disk
    (or committed) before the answer is sent; a failed write is logged and never costs the answer."""
    changed = session != context.chat_data.get("saved")
    try:
        await context.bot_data["store"].save(chat_id, session if changed else None, list(events), channel="telegram")
    except Exception:
        log.exception("could not save a Telegram chat's session and events")
        return
    if changed:
        context.chat_data["saved"] = copy.deepcopy(session)


def t_for(context: Context):
    return translator(load_session(context).get("language"))


def callback_data(context: Context, action: str) -> str:
    """The action itself, or a short token for it when it is over Telegram's 64 bytes."""
    if len(action.encode()) <= MAX_CALLBACK_BYTES and not action.startswith("#"):
        return action
    token = "#" + hashlib.sha1(action.encode()).hexdigest()[:16]
    tokens: OrderedDict = context.bot_data.setdefault("action_tokens", OrderedDict())
    tokens[token] = action
    tokens.move_to_end(token)
    while len(tokens) > MAX_ACTION_TOKENS:
        tokens.popitem(last=False)
    return token


def resolve_action(context: Context, data: str | None) -> str | None:
    """The action behind a button's callback data (None when its token was forgotten)."""
    if not data:
        return None
    return context.bot_data.get("action_tokens", {}).get(data) if data.startswith("#") else data


def addressed(message: Message, bot) -> bool:
    """In a private chat always; in a group only if the bot is mentioned, replied to, or commanded."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    if command := re.match(r"/\w+(?:@(\w+))?", message.text or ""):
        return command.group(1) is None or command.group(1).lower() == bot.username.lower()
    mention = f"@{bot.username}".lower()
    mentions = message.parse_entities([MessageEntityType.MENTION]).values()
    replied = message.reply_to_message and message.reply_to_message.from_user
    return any(m.lower() == mention for m in mentions) or bool(replied and replied.id == bot.id)


def question_text(message: Message, bot) -> str:
    """The question without the @mention of the bot, cut to MAX_QUESTION characters."""
    text = re.sub(re.escape(f"@{bot.username}"), " ", message.text or "", flags=re.IGNORECASE)
    return " ".join(text.split())[:MAX_QUESTION]


# ---- sending answers --------------------------------------------------------------------------------

def keyboard(context: Context, answer: Answer) -> InlineKeyboardMarkup | None:
    """The answer's buttons (plus 📋 on a procedure card): short labels in pairs, long ones alone, emoji last."""
    buttons, t = list(answer.buttons), translator((context.chat_data or {}).get("session", {}).get("language"))
    if answer.kind == PROCEDURE and answer.procedure_id:
        buttons.append(Button(t("📋 Checklist to forward"), f"checklist:{answer.procedure_id}"))
    rows, emoji, half_row = [], [], None
    for b in buttons:
        key = InlineKeyboardButton(b.label, url=b.url) if b.url else InlineKeyboardButton(
            b.label, callback_data=callback_data(context, b.action))
        if len(b.label) <= 2:
            emoji.append(key)
        elif len(b.label) > 22 or b.action.startswith("pick:"):
            rows.append([key])
            half_row = None
        elif half_row is not None:
            half_row.append(key)
            half_row = None
        else:
            half_row = [key]
            rows.append(half_row)
    rows += [emoji] if emoji else []
    return InlineKeyboardMarkup(rows) if rows else None


def thread_of(update: Update) -> int | None:
    """The forum topic the update came from, so the answer goes to the same topic."""
    message = update.effective_message
    return message.message_thread_id if message and message.is_topic_message else None


def reply_to(update: Update) -> ReplyParameters | None:
    """In a group, answer as a reply to the citizen's message so the thread stays readable."""
    message = update.message
    if message and message.chat.type != ChatType.PRIVATE:
        return ReplyParameters(message.message_id, allow_sending_without_reply=True)
    return None


async def send_answer(update: Update, context: Context, answer: Answer) -> None:
    """Render as Telegram HTML, split at 4,096 characters; only the last part carries the keyboard (and so the
    links its buttons open are not repeated in the text)."""
    chat, markup = update.effective_chat, keyboard(context, answer)
    parts = split_message(to_telegram_html(answer, shown=url_buttons(answer) if markup else frozenset()))
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        await context.bot.send_message(chat.id, part, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW,
                                       reply_markup=markup if last else None, message_thread_id=thread_of(update),
                                       reply_parameters=reply_to(update) if n == 0 else None)


# ---- commands ---------------------------------------------------------------------------------------

async def start(update: Update, context: Context) -> None:
    """/start: greeting; `/start <id>` (a deep link) opens that procedure; the ward is asked once."""
    chat_id = update.effective_chat.id
    session = load_session(context)
    payload = context.args[0][:64] if context.args else ""
    answer = context.bot_data["assistant"].start(session, payload)
    await finish(context, chat_id, session)
    await send_answer(update, context, answer)


async def help_command(update: Update, context: Context) -> None:
    """/help: how to ask, and the commands."""
    t = t_for(context)
    lines = [t("/thutuc – browse procedures by field"), t("/tracuu <dossier code> – check a dossier"),
             t("/checklist – a short checklist of the last procedure, to forward"),
             t("/cancel – drop the current choice"), t("/lang en|vi – answer in English or Vietnamese"),
             t("/start – start again")]
    if update.effective_chat.type != ChatType.PRIVATE:
        lines.append(t("In a group, mention me (@{username}) or reply to my message.", username=context.bot.username))
    answer = Answer(NOTICE, t("How to use the assistant"),
                    intro=t("Ask me about any administrative procedure, in your own words."),
                    sections=[Section("commands", t("Commands"), lines)], buttons=[Button(t("Browse procedures"), "browse")])
    await send_answer(update, context, answer)


async def cancel(update: Update, context: Context) -> None:
    """/cancel: forget the offered choices and any question the bot was waiting to have answered."""
    chat_id = update.effective_chat.id
    session = load_session(context)
    session.pop("pending", None)
    session.pop("awaiting", None)
    await finish(context, chat_id, session)
    t = translator(session.get("language"))
    await send_answer(update, context, replies.notice(t("Cancelled."), t("Ask me anything whenever you like.")))


async def lang(update: Update, context: Context) -> None:
    """/lang en|vi: answer in English or Vietnamese from now on; without a choice, the two as buttons."""
    chat_id = update.effective_chat.id
    session = load_session(context)
    choice = context.args[0].lower()[:8] if context.args else ""
    answer = context.bot_data["assistant"].set_language(session, choice)
    await finish(context, chat_id, session)
    await send_answer(update, context, answer)


async def tracuu(update: Update, context: Context) -> None:
    """/tracuu [mã hồ sơ]: where to check a dossier, the links filled in with the code when it is valid."""
    chat_id = update.effective_chat.id
    session = load_session(context)
    typed = " ".join(context.args or [])[:100]
    codes = [typed.strip().upper()] if typed and replies.valid_dossier_code(typed) else []
    t, knowledge = translator(session.get("language")), context.bot_data["assistant"].knowledge
    answer = replies.status(knowledge, codes, t, typed="" if codes else typed)
    await finish(context, chat_id, session, [{"question": "/tracuu", "intent": "status", "score": 1.0, "procedure": None}])
    await send_answer(update, context, answer)


async def thutuc(update: Update, context: Context) -> None:
    """/thutuc: browse the procedures by field, with buttons."""
    await press_and_answer(update, context, "browse")


async def checklist_command(update: Update, context: Context) -> None:
    """/checklist [id]: the compact card volunteers forward (of the last procedure when no id is given)."""
    session = load_session(context)
    pid = context.args[0] if context.args else session.get("last") or ""
    await send_checklist(update, context, pid, session)


async def send_checklist(update: Update, context: Context, pid: str, session: dict) -> None:
    """The checklist card of `pid` (catalog id, with "_" for "/", or portal code), or how to ask for one."""
    assistant, t = context.bot_data["assistant"], translator(session.get("language"))
    card = (assistant.checklist(pid, session) or assistant.checklist(pid.replace("_", "/"), session)) if pid else None
    if card is None:
        card = replies.notice(t("Which procedure?"), t("Ask about a procedure first, then type /checklist."))
    await send_answer(update, context, card)


async def unknown_command(update: Update, context: Context) -> None:
    """A command we do not have (private chats only: in groups it may be another bot's)."""
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    t = t_for(context)
    await send_answer(update, context, replies.notice(t("I do not know that command."), t("Type /help to see what I can do.")))


# ---- questions, buttons, other messages -------------------------------------------------------------

async def question(update: Update, context: Context) -> None:
    """Free text: the core's answer; in groups only when the bot is mentioned or replied to."""
    message = update.message
    if not addressed(message, context.bot):
        return
    chat_id = message.chat.id
    session = load_session(context)
    text = question_text(message, context.bot)
    reply = context.bot_data["assistant"].reply(text, session)
    answer = await context.bot_data["desk"].route("telegram", chat_id, session, text, reply)  # a person, if asked
    await finish(context, chat_id, session, reply.events)
    await send_answer(update, context, answer)


async def button(update: Update, context: Context) -> None:
    """A pressed inline button: acknowledge it, then answer with the core (📋 gives the checklist card)."""
    query = update.callback_query
    await query.answer()
    if update.effective_chat is None:  # a button on a message posted through inline mode
        return
    action = resolve_action(context, query.data)
    if action is None:
        t = t_for(context)
        await send_answer(update, context, replies.notice(t("This button has expired."), t("Please ask again.")))
    elif action.startswith("checklist:"):
        await send_checklist(update, context, action.partition(":")[2], load_session(context))
    else:
        await press_and_answer(update, context, action)


async def press_and_answer(update: Update, context: Context, action: str) -> None:
    """Hand a button's action to the core, keep the session and events, send the answer."""
    chat_id = update.effective_chat.id
    session = load_session(context)
    reply = context.bot_data["assistant"].press(action, session)
    answer = await context.bot_data["desk"].route("telegram", chat_id, session, "", reply)
    await finish(context, chat_id, session, reply.events)
    await send_answer(update, context, answer)


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice, locations, files: say kindly that the bot reads typed questions."""
    message = update.message
    replied = message.reply_to_message and message.reply_to_message.from_user
    if message.chat.type != ChatType.PRIVATE and not (replied and replied.id == context.bot.id):
        return
    t = t_for(context)
    await send_answer(update, context, replies.notice(t("I can only read typed questions."),
                                                      t("Please type your question, e.g. “what papers do I need for a birth certificate”.")))
