"""Telegram inline mode: `@bot khai sinh` in any chat lists matching procedures; choosing one posts its card."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections import Counter

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.helpers import create_deep_linked_url

from bot.answering.answer import NONE
from bot.answering.conversation import deep_link_payload
from bot.answering.i18n import translator
from bot.answering.render import split_message, to_telegram_html
from bot.channels.telegram.handlers import MAX_QUESTION, NO_PREVIEW, Context

INLINE_RESULTS = 10
POPULAR_SECONDS = 600

async def inline_query(update: Update, context: Context) -> None:
    """`@bot khai sinh`: up to 10 matching procedures (popular ones for an empty query); choosing one posts its card."""
    text = " ".join(update.inline_query.query.split())[:MAX_QUESTION]
    ids = matching_ids(context, text) if text else await popular_ids(context)
    results = [article(context, pid) for pid in ids[:INLINE_RESULTS]]
    await update.inline_query.answer([r for r in results if r], cache_time=60 if text else POPULAR_SECONDS)


def matching_ids(context: Context, text: str) -> list[str]:
    understander = context.bot_data["assistant"].brain.understander
    return [c.id for c in understander.procedures(understander.normalize(text), limit=INLINE_RESULTS)]


async def popular_ids(context: Context) -> list[str]:
    """The procedures most asked about in the last 30 days, then the other curated ones (cached for ten minutes)."""
    cached = context.bot_data.get("popular")
    if cached and time.monotonic() - cached[0] < POPULAR_SECONDS:
        return cached[1]
    knowledge = context.bot_data["assistant"].knowledge
    recent = await context.bot_data["store"].questions(dt.date.today() - dt.timedelta(days=30))
    counts = Counter(q.get("procedure") for q in recent if q.get("answered"))
    ids = [pid for pid, _ in counts.most_common() if pid and knowledge.find(pid)]
    ids += [p.id for p in knowledge.procedures.values() if p.curated and p.id not in ids]
    context.bot_data["popular"] = (time.monotonic(), ids[:INLINE_RESULTS])
    return ids[:INLINE_RESULTS]


def article(context: Context, pid: str) -> InlineQueryResultArticle | None:
    """One inline result: the card as HTML (first part if long) and a link opening the bot on it."""
    answer, t = context.bot_data["assistant"].procedure(pid, {}), translator()
    if answer.kind == NONE:
        return None
    keys = [InlineKeyboardButton(b.label, url=b.url) for b in answer.buttons if b.url][:1]
    html = split_message(to_telegram_html(answer, shown=frozenset(k.url for k in keys)))[0]  # the button's link once
    payload = deep_link_payload(pid)
    if not pid.startswith("faq/") and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload):
        url = create_deep_linked_url(context.bot.username, payload)
        keys.insert(0, InlineKeyboardButton(t("Ask the assistant"), url=url))
    return InlineQueryResultArticle(
        hashlib.sha1(pid.encode()).hexdigest()[:20], answer.title[:200],
        InputTextMessageContent(html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW),
        reply_markup=InlineKeyboardMarkup([keys]) if keys else None, description=(answer.subtitle or answer.intro)[:120])
