"""Staff commands in Telegram: /reload, /stats, /unanswered [N], /preview <question>.

Only the Telegram user ids in BOT_STAFF_IDS may use them; anyone else is told so. The shared
objects are read from `application.bot_data`: "assistant", "store", "reloader", "settings".
Replies are HTML (every piece of text escaped) and split when longer than a Telegram message.
"""
from __future__ import annotations

import asyncio
import logging
from html import escape

from telegram import Update
from telegram.constants import MessageLimit, ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.running import stats
from bot.answering.i18n import translator
from bot.knowledge.staff_text import staff_language
from bot.running.report import label, render_text
from bot.knowledge.review import review_items

log = logging.getLogger(__name__)
LIMIT = MessageLimit.MAX_TEXT_LENGTH  # counted on the escaped text, which is never shorter than what shows
HANDLER_GROUP = 0  # with the citizens' commands, ahead of the catch-all for unknown commands
t = translator("vi")


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def chunks(text: str, limit: int = LIMIT) -> list[str]:
    """Plain text → HTML-escaped pieces of at most `limit` units, split between lines when possible."""
    pieces, current = [], ""
    for line in text.split("\n"):
        for part in split_line(escape(line), limit):
            if current and units(current) + 1 + units(part) > limit:
                pieces, current = pieces + [current], ""
            current = f"{current}\n{part}" if current else part
    return [p for p in pieces + [current] if p.strip()]


def split_line(line: str, limit: int):
    """An escaped line in pieces of at most `limit` units, cut at a space and never inside an &entity;."""
    while units(line) > limit:
        cut = limit
        while units(line[:cut]) > limit:
            cut -= 1
        space = line.rfind(" ", cut // 2, cut)
        cut = space if space > 0 else cut
        amp = line.rfind("&", 0, cut)
        if amp > 0 and ";" not in line[amp:cut]:
            cut = amp
        yield line[:cut]
        line = line[cut:].lstrip(" ")
    yield line


async def send_long(bot, chat_id: int, text: str) -> None:
    """Send plain `text` to one chat, escaped for HTML and split into as many messages as needed."""
    for piece in chunks(text):
        await bot.send_message(chat_id=chat_id, text=piece, parse_mode=ParseMode.HTML)


async def allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for staff; anyone else is told they may not use the command."""
    settings, user = context.bot_data.get("settings"), update.effective_user
    if user is not None and settings is not None and user.id in settings.staff_ids:
        return True
    await update.effective_message.reply_text(t("You are not allowed to use this command."))
    return False


def refusal_text(problems) -> str:
    """Why an edit was refused: a summary line, then one `file:line: key: message` line per problem."""
    t = translator(staff_language())  # BOT_STAFF_LANG, like the problems below
    head = t("The knowledge was NOT reloaded: {n} problem(s). The assistant keeps answering from the last good "
             "version. Fix these and reload again:", n=len(problems))
    return "\n".join([head, *map(str, problems)])


def procedure_name(knowledge, pid: str) -> str:
    """A candidate's name: a procedure's name or an FAQ entry's question."""
    if pid.startswith("faq/"):
        entry = knowledge.faq_entry(pid)
        return entry["question"] if entry else pid
    proc = knowledge.find(pid)
    return proc.name if proc else pid


def decision(u) -> str:
    if u.intent == "none":
        return t("say it found nothing and suggest other ways")
    if u.intent == "procedure":
        return t("ask the citizen to choose") if u.clarify else t("answer with the top procedure")
    return t("answer the {intent} question", intent=u.intent)


def preview_text(assistant, question: str) -> str:
    """How the assistant reads a question: intent, top candidate and why, runners-up, aspect, decision."""
    u, knowledge = assistant.brain.understander.understand(question), assistant.knowledge
    th = assistant.brain.understander.thresholds
    lines = [t("Question: {q}", q=question), t("Intent: {intent}", intent=u.intent)]
    if u.top:
        top = label(u.top.id, {u.top.id: procedure_name(knowledge, u.top.id)})
        lines += [t("Top match: {name} — score {score:.2f}", name=top, score=u.top.score),
                  t("Why: the question matched the phrase “{phrase}”", phrase=u.top.phrase)]
    else:
        lines.append(t("Top match: none"))
    if len(u.candidates) > 1:
        lines.append(t("Runners-up:"))
        lines += [f"  • {procedure_name(knowledge, c.id)} ({c.id}) — {c.score:.2f} · “{c.phrase}”"
                  for c in u.candidates[1:]]
    lines += [t("Aspect: {aspect}", aspect=u.aspect or "–"),
              t("Ask to choose: {yes}", yes=t("yes") if u.clarify else t("no")),
              t("Decision: {what}", what=decision(u)),
              t("Thresholds: answer ≥ {answer:.2f}, ask ≥ {ask:.2f}, close runner-up < {margin:.2f} behind",
                answer=th.answer, ask=th.ask, margin=th.margin)]
    return "\n".join(lines + review_lines(knowledge, u.top.id if u.top else None))


def review_lines(knowledge, pid: str | None) -> list[str]:
    """Staff's own review items of the top match (citizens only see "(chờ xác nhận)" beside the fact)."""
    proc = knowledge.find(pid) if pid else None
    items = review_items(proc.data) if proc else []
    if not items:
        return []
    return [t("Waiting for staff confirmation:")] + [f"  • ({i.about or '–'}) {i.text}" for i in items]


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: check the knowledge files and swap them in; reply with the count or the problems."""
    if await allowed(update, context):
        result = await asyncio.to_thread(context.bot_data["reloader"].reload, True)
        text = (t("Knowledge reloaded: {n} procedures.", n=result.procedures) if result.ok
                else refusal_text(result.problems))
        await send_long(context.bot, update.effective_chat.id, text)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: questions today and in the last 7 days, share answered, top procedures, top unanswered."""
    if await allowed(update, context):
        store, knowledge = context.bot_data["store"], context.bot_data["assistant"].knowledge
        since = stats.first_utc_day(7)  # only the days shown are read from the store
        fig = stats.figures(await store.questions(since), await store.feedback(since), days=7, tickets=store.tickets())
        names = {pid: procedure_name(knowledge, pid) for pid, _ in fig.top_procedures}
        names.update({pid: procedure_name(knowledge, pid) for pid in fig.feedback})
        await send_long(context.bot, update.effective_chat.id, render_text(fig, names, t))


async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unanswered [N]: the latest N questions the assistant could not answer or was unsure of, with time."""
    if await allowed(update, context):
        arg = (context.args or ["10"])[0]
        n = min(int(arg), 100) if arg.isdecimal() and int(arg) > 0 else 10
        found = stats.latest_unanswered(await context.bot_data["store"].questions(stats.first_utc_day(30)), n)
        head = t("Latest {n} unanswered or unsure questions:", n=len(found)) if found else t("No unanswered questions.")
        lines = [head]
        lines += [f"{when:%d/%m %H:%M} — {text}" for when, text in found]
        if suggested := stats.alias_suggestions(context.bot_data["store"].tickets())[:n]:  # from the desk (issue 17)
            lines += ["", t("Alias suggestions from the desk (not applied):")]
            lines += [f"“{alias}” → {pid}" for alias, pid in suggested]
        await send_long(context.bot, update.effective_chat.id, "\n".join(lines))


async def preview_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/preview <question>: show how the assistant would understand a question, and why."""
    if await allowed(update, context):
        question = " ".join(context.args or [])
        text = preview_text(context.bot_data["assistant"], question) if question else t("Usage: /preview <question>")
        await send_long(context.bot, update.effective_chat.id, text)


async def notify_staff(application: Application, text: str) -> None:
    """Send plain `text` to every staff member (one failing chat does not stop the others)."""
    settings = application.bot_data.get("settings")
    for chat_id in sorted(settings.staff_ids if settings else ()):
        try:
            await send_long(application.bot, chat_id, text)
        except TelegramError as exc:
            log.warning("could not notify staff member %s: %s", chat_id, exc)


def refusal_notifier(application: Application):
    """A `KnowledgeReloader.on_refused` callback that tells every staff member why an edit was refused."""

    async def on_refused(result) -> None:
        await notify_staff(application, refusal_text(result.problems))

    return on_refused


COMMANDS = {"reload": reload_command, "stats": stats_command, "unanswered": unanswered_command,
            "preview": preview_command}


def register_staff_handlers(application: Application) -> None:
    """Add the staff commands; tell staff about refused edits if the reloader has no other listener."""
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback), group=HANDLER_GROUP)
    reloader = application.bot_data.get("reloader")
    if reloader is not None and reloader.on_refused is None:
        reloader.on_refused = refusal_notifier(application)
    listeners = getattr(application.bot_data.get("assistant"), "listeners", None)  # a GuardedAssistant's
    if listeners is not None:
        listeners.append(failure_notifier(application))


def failure_notifier(application: Application):
    """A `GuardedAssistant` listener: tell every staff member that an answer failed to build, and which."""

    def on_failure(what: str) -> None:
        text = t("An answer could not be built (the citizen got the last good answer or an apology): {what}",
                 what=what)
        application.create_task(notify_staff(application, text))

    return on_failure
