"""The desk in Telegram: a group of staff and youth volunteers (BOT_DESK_CHAT_ID) answers handed-over questions.

- Every ticket (from Telegram, the web chat or Zalo) appears in the group as a message starting "🎫 #ID",
  in the forum topic of the citizen's ward when the group has topics (made on first use).
- A member replies to that message (or to a "💬 #ID" follow-up): the reply reaches the citizen, marked as
  from a person. `/nhan ID` takes a ticket, `/xong ID` closes it (or either as a reply to its message).
- Only members of the group may: in the group itself everyone is one; elsewhere Telegram is asked.
- On a closed ticket, "Thêm vào kiến thức": the member replies with the procedure's name or id and the
  question is recorded as an alias suggestion (listed in /unanswered and the report, never applied).
The handlers run in group -3, ahead of the session preload registered there and before the rate-limit gate,
and stop the updates they handle.
"""
from __future__ import annotations

import logging
import re
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes,
                          MessageHandler, filters)

from bot.answering import handoff
from bot.answering.i18n import translator
from bot.answering.render import split_message, to_telegram_html
from bot.running.stats import local_time

log = logging.getLogger(__name__)
DESK_GROUP = -3  # ahead of the session preload (same group) and the rate-limit gate (-1): a busy desk is never throttled
TICKET_ID = re.compile(r"#([2-9A-HJ-NP-Z]{5})(?![\w])")
LEARN_MARK = "📚"
TICKET_MARKS = ("🎫", "💬", "🔁")  # a reply to a message starting so goes to that ticket's citizen
PLAIN_LIMIT = 3500  # characters of one desk message (a question is at most 1,000; turns at most 6 × 300)
MEMBERS = {"creator", "administrator", "member", "restricted"}
t = translator("vi")
Context = ContextTypes.DEFAULT_TYPE


def desk_chat(context_or_app) -> int:
    return context_or_app.bot_data["settings"].desk_chat_id


def reason(key: str | None) -> str:
    return {"button": t("The citizen pressed “Talk to a person”"),
            "unanswered": t("The assistant could not answer twice in a row")}.get(key or "") or t("The citizen asked for a person")


def who(user) -> str:
    return user.full_name if user else t("a staff member")


def ticket_text(ticket: dict) -> str:
    """The ticket as the desk reads it (plain text; escaped when sent)."""
    when = local_time({"time": ticket["opened"]})
    head = " · ".join(x for x in (f"🎫 #{ticket['id']}", ticket["channel"], ticket.get("ward") or t("ward not given"),
                                  f"{when:%d/%m %H:%M}" if when else "") if x)
    lines = [head, reason(ticket.get("reason")), t("Question: {q}", q=ticket["question"])]
    if ticket.get("turns"):
        lines += [t("Before that:"), *(f"• {turn}" for turn in ticket["turns"])]
    if ticket["status"] == "closed":
        lines.append(t("✅ Closed by {who}.", who=ticket.get("closed_by") or ticket.get("taken_by")))
    elif ticket.get("taken_by"):
        lines.append(t("🙋 {who} is answering.", who=ticket["taken_by"]))
    lines.append(t("↩️ Reply to this message to answer the citizen. /nhan {id} to take it, /xong {id} to close it.",
                   id=ticket["id"]))
    return "\n".join(lines)


async def send(bot, chat_id: int, text: str, thread: int | None = None, reply_to: int | None = None, markup=None):
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    return await bot.send_message(chat_id, escape(text[:PLAIN_LIMIT]), parse_mode=ParseMode.HTML, message_thread_id=thread,
                                  reply_parameters=reply, reply_markup=markup)


async def refresh(bot, chat: int, ticket: dict) -> None:
    """The ticket's message in the group shows who has it and whether it is closed."""
    if not ticket.get("desk_message"):
        return
    try:
        await bot.edit_message_text(escape(ticket_text(ticket)[:PLAIN_LIMIT]), chat_id=chat, message_id=ticket["desk_message"],
                                    parse_mode=ParseMode.HTML)
    except TelegramError as exc:  # e.g. deleted by a member: the confirmation in the group still says it
        log.info("could not update ticket %s in the desk group: %s", ticket["id"], exc)


# ---- posting tickets to the group -----------------------------------------------------------------------

async def topic_for(application: Application, ward: str | None) -> int | None:
    """The forum topic of a ward (made on first use; remembered through the tickets); None without topics."""
    bot_data, desk = application.bot_data, application.bot_data["desk"]
    if ward is None:
        return None
    if "desk_forum" not in bot_data:
        try:
            bot_data["desk_forum"] = bool((await application.bot.get_chat(desk_chat(application))).is_forum)
        except TelegramError as exc:
            log.warning("could not read the desk group: %s", exc)
            return None
    if not bot_data["desk_forum"]:
        return None
    topics = bot_data.setdefault("desk_topics", {t_["ward"]: t_["thread"] for t_ in sorted(
        desk.store.tickets(), key=lambda x: x.get("opened") or "") if t_.get("thread") and t_.get("ward")})
    if ward not in topics:
        try:
            topics[ward] = (await application.bot.create_forum_topic(desk_chat(application), ward[:128])).message_thread_id
        except TelegramError as exc:  # e.g. the bot may not manage topics: the ticket goes to the general topic
            log.warning("could not make a desk topic for %s: %s", ward, exc)
            return None
    return topics[ward]


def poster(application: Application):
    """The desk's `post(ticket, event, text)` for `Deliveries.desk`."""

    async def post(ticket: dict, event: str, text: str = "") -> None:
        bot, chat, desk = application.bot, desk_chat(application), application.bot_data["desk"]
        if event == "opened":
            thread = await topic_for(application, ticket.get("ward"))
            sent = await send(bot, chat, ticket_text(ticket), thread)
            ticket.update(thread=thread, desk_message=sent.message_id)
            desk.store.save_ticket({**(desk.store.ticket(ticket["id"]) or ticket), "thread": thread,
                                    "desk_message": sent.message_id})
            return
        head = t("🔁 #{id} reopened: the citizen wrote again", id=ticket["id"]) if event == "reopened" else \
            t("💬 #{id} the citizen wrote", id=ticket["id"])
        await send(bot, chat, f"{head}:\n{text}" if text else head, ticket.get("thread"), ticket.get("desk_message"))
        if event == "reopened":
            await refresh(bot, chat, ticket)

    return post


def citizen_sender(application: Application):
    """How a desk reply reaches a Telegram citizen: the person's words in the answer model, as HTML."""

    async def deliver(address, message: dict) -> None:
        answer = handoff.from_person(translator(message.get("language")), message)
        for part in split_message(to_telegram_html(answer)):
            await application.bot.send_message(int(address), part, parse_mode=ParseMode.HTML)

    return deliver


# ---- the group's handlers ---------------------------------------------------------------------------------

async def is_member(update: Update, context: Context) -> bool:
    """In the desk group: yes. Elsewhere: what Telegram says about the user's membership of the group."""
    if update.effective_chat and update.effective_chat.id == desk_chat(context):
        return True
    try:
        member = await context.bot.get_chat_member(desk_chat(context), update.effective_user.id)
    except TelegramError:
        return False
    return member.status in MEMBERS


def named_ticket(update: Update, context: Context) -> str | None:
    """The ticket id given after the command, or in the message the command replies to."""
    if context.args:
        return context.args[0].lstrip("#").upper()
    replied = update.message.reply_to_message
    found = TICKET_ID.search(replied.text or "") if replied else None
    return found.group(1) if found else None


async def take_or_close(update: Update, context: Context, closing: bool) -> None:
    message, desk = update.message, context.bot_data["desk"]
    if message.chat.id != desk_chat(context) and not context.bot_data["limiter"].allow(message.chat.id):
        raise ApplicationHandlerStop  # outside the group the citizens' rate limit holds (membership costs a call)
    if not await is_member(update, context):
        await message.reply_text(t("Only members of the desk group can take or close requests."))
        raise ApplicationHandlerStop
    tid = named_ticket(update, context)
    if tid is None and not closing:  # /nhan alone: the requests waiting for someone
        await send_long_list(message, desk)
        raise ApplicationHandlerStop
    ticket = (desk.close if closing else desk.take)(tid, who(update.effective_user)) if tid else None
    if ticket is None:
        await message.reply_text(t("Usage: /nhan ID or /xong ID (the number after # in the request)."))
        raise ApplicationHandlerStop
    await refresh(context.bot, desk_chat(context), ticket)
    if closing:
        learn = InlineKeyboardMarkup([[InlineKeyboardButton(t("Add to the knowledge"), callback_data=f"desk:learn:{tid}")]])
        await message.reply_text(t("✅ #{id} closed by {who}.", id=ticket["id"], who=ticket["closed_by"]), reply_markup=learn)
    else:
        await message.reply_text(t("🙋 #{id} taken by {who}.", id=ticket["id"], who=ticket["taken_by"]))
    raise ApplicationHandlerStop


async def send_long_list(message, desk) -> None:
    waiting = sorted((x for x in desk.store.tickets() if x["status"] in ("open", "reopened")), key=lambda x: x["opened"])
    lines = [t("Requests waiting for someone: {n}", n=len(waiting))]
    lines += [f"#{x['id']} · {x.get('ward') or t('ward not given')} · {x['question'][:80]}" for x in waiting[:30]]
    await message.reply_text("\n".join(lines)[:PLAIN_LIMIT])


async def take(update: Update, context: Context) -> None:
    """/nhan ID: I answer this one (/nhan alone: the requests waiting for someone)."""
    await take_or_close(update, context, closing=False)


async def close(update: Update, context: Context) -> None:
    """/xong ID: the citizen has their answer."""
    await take_or_close(update, context, closing=True)


def bot_message_replied(message, bot) -> str | None:
    """The text of the bot's own message that `message` replies to; None when it replies to someone else's."""
    replied = message.reply_to_message
    return None if replied.from_user is None or replied.from_user.id != bot.id else replied.text or ""


async def reply(update: Update, context: Context) -> None:
    """A member's reply to a ticket message: to the citizen; to a 📚 prompt: an alias suggestion."""
    message, desk = update.message, context.bot_data["desk"]
    if (shown := bot_message_replied(message, context.bot)) is None:
        return
    found = TICKET_ID.match(shown.split(" ", 1)[-1]) if shown.startswith((*TICKET_MARKS, LEARN_MARK)) else None
    if found is None:  # a reply to another message of the bot (a confirmation, a list): members talking
        raise ApplicationHandlerStop
    tid, text, name = found.group(1), (message.text or "").strip(), who(update.effective_user)
    if shown.startswith(LEARN_MARK):
        _, pid = desk.suggest(tid, name, text)
        note = t("Noted as a suggestion for {pid}; staff decide whether to add it.", pid=pid) if pid else \
            t("I could not tell which procedure that is: reply again with its id, e.g. ho-tich/khai-sinh.")
    else:
        ticket = await desk.answer(tid, name, text)
        note = t("Unknown request #{id}.", id=tid) if ticket is None else (
            t("✉️ Sent to the citizen.") if ticket.get("delivered") else t("⚠️ Could not reach the citizen."))
        if ticket is not None and ticket.get("answers") == 1:  # the first answer: the ticket now shows who has it
            await refresh(context.bot, desk_chat(context), ticket)
    await message.reply_text(note)
    raise ApplicationHandlerStop


async def reply_not_text(update: Update, context: Context) -> None:
    """A photo, file or sticker in reply to a ticket: only text reaches the citizen, so the member is told."""
    if not (bot_message_replied(update.message, context.bot) or "").startswith(TICKET_MARKS):
        return
    await update.message.reply_text(t("⚠️ Only typed text reaches the citizen: please write the answer "
                                      "(photos, files and stickers are not passed on)."))
    raise ApplicationHandlerStop


async def learn(update: Update, context: Context) -> None:
    """"Add to the knowledge" under a closed ticket: ask which procedure the question was about."""
    query = update.callback_query
    await query.answer()
    if query.message is None or query.message.chat.id != desk_chat(context):
        raise ApplicationHandlerStop
    tid = query.data.rpartition(":")[2]
    await send(context.bot, desk_chat(context), f"{LEARN_MARK} #{tid} " + t(
        "Reply to this message with the procedure the question was about (its name or id, e.g. ho-tich/khai-sinh)."),
        query.message.message_thread_id if query.message and query.message.is_topic_message else None)
    raise ApplicationHandlerStop


def register_desk(application: Application, desk) -> None:
    """Deliveries to Telegram citizens always; the group's handlers and ticket posting when BOT_DESK_CHAT_ID is set."""
    application.bot_data["desk"] = desk
    desk.deliveries.citizen("telegram", citizen_sender(application))
    chat = desk_chat(application)
    if chat is None:
        return
    desk.deliveries.desk(poster(application))
    in_desk = filters.Chat(chat) & filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("nhan", take), group=DESK_GROUP)
    application.add_handler(CommandHandler("xong", close), group=DESK_GROUP)
    application.add_handler(MessageHandler(in_desk & filters.REPLY & filters.TEXT & ~filters.COMMAND, reply), group=DESK_GROUP)
    application.add_handler(MessageHandler(in_desk & filters.REPLY & ~filters.TEXT, reply_not_text), group=DESK_GROUP)
    application.add_handler(CallbackQueryHandler(learn, pattern=r"^desk:learn:"), group=DESK_GROUP)
