"""The Telegram channel: all wiring in `build_application`; `start_telegram` runs it (long polling or webhook).

Shared objects are in `application.bot_data`: "assistant", "store", "limiter", "reloader", "settings".
Here: the per-chat rate-limit gate (before every handler) and the one error handler; the citizens'
handlers are in `handlers`; staff commands are registered by `staff.register_staff_handlers(application)`.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from aiohttp import web
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (AIORateLimiter, Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler,
                          ContextTypes, InlineQueryHandler, MessageHandler, TypeHandler, filters)

from bot.channels.telegram import handlers as h
from bot.channels.telegram import inline
from bot.channels.telegram.desk import register_desk
from bot.channels.telegram.updates import PerChatOrder
from bot.answering.i18n import translator
from bot.running.desk import Desk
from bot.running.clients import webhook_secret
from bot.running.ratelimit import RateLimiter
from bot.channels.telegram.request import SafeRequest
from bot.channels.telegram.staff import register_staff_handlers
from bot.channels.telegram.webhook import start_webhook_server


log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
NOT_TEXT = (filters.ATTACHMENT | filters.LOCATION | filters.VENUE | filters.CONTACT | filters.Sticker.ALL
            | filters.POLL | filters.Dice.ALL)
MAX_WARNED = 10_000  # chats remembered as warned about the rate limit, before expired ones are dropped


def file_base_url(base_url: str) -> str:
    """The Bot API's file URL beside its method URL: …/bot → …/file/bot (the token is appended to both)."""
    root = base_url[: -len("bot")] if base_url.endswith("/bot") else base_url.rstrip("/") + "/"
    return f"{root}file/bot"


async def rate_limit_gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: a chat over its per-minute limit is told to wait (once a window)."""
    chat, message = update.effective_chat, update.message
    if chat is None or (message and not h.addressed(message, context.bot)):
        return
    limiter = context.bot_data["limiter"]
    if limiter.allow(chat.id):
        return
    warned, now = context.bot_data.setdefault("rate_warned", {}), time.monotonic()
    t = h.t_for(context)
    text = t("Too many questions at once. Please wait a minute and try again.")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif now - warned.get(chat.id, float("-inf")) >= limiter.window:
        if len(warned) > MAX_WARNED:  # only chats warned within the window still matter
            for key in [k for k, at in warned.items() if now - at >= limiter.window]:
                del warned[key]
        warned[chat.id] = now
        await context.bot.send_message(chat.id, text, reply_parameters=h.reply_to(update),
                                       message_thread_id=h.thread_of(update))
    raise ApplicationHandlerStop


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error; tell the citizen politely that something went wrong (when there is a chat)."""
    log.error("a Telegram update could not be handled", exc_info=context.error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return
    t = translator()
    try:
        await context.bot.send_message(chat.id, t("Sorry, something went wrong on my side. Please try again in a moment."))
    except TelegramError as exc:
        log.warning("could not tell the chat about the error: %s", exc)


def build_application(settings, assistant, store, reloader=None, *, api_rate_limit: bool = True, desk=None) -> Application:
    """The whole Telegram channel: bot, API rate limiter, shared objects, handlers and the error handler."""
    builder = Application.builder().token(settings.telegram_bot_token).base_url(settings.telegram_api_base_url)
    builder = builder.base_file_url(file_base_url(settings.telegram_api_base_url))
    builder = builder.request(SafeRequest(connection_pool_size=16)).get_updates_request(SafeRequest())
    if api_rate_limit:
        builder = builder.rate_limiter(AIORateLimiter())
    builder = builder.concurrent_updates(PerChatOrder())  # replies wait for their state writes, not for each other
    application = builder.build()
    application.update_processor.forget = application.drop_chat_data  # chat_data only lives during an update
    application.bot_data.update(assistant=assistant, store=store, reloader=reloader, settings=settings,
                                limiter=RateLimiter(settings.bot_rate_limit_per_minute))
    register_desk(application, desk or Desk(store, assistant))  # the runner shares one Desk among the channels
    application.add_handler(TypeHandler(Update, h.preload_session), group=-3)  # the session, fresh from the store
    application.add_handler(TypeHandler(Update, rate_limit_gate), group=-1)
    for name, callback in (("start", h.start), ("help", h.help_command), ("cancel", h.cancel), ("tracuu", h.tracuu),
                           ("thutuc", h.thutuc), ("checklist", h.checklist_command), ("lang", h.lang)):
        application.add_handler(CommandHandler(name, callback))
    register_staff_handlers(application)
    new_message = filters.UpdateType.MESSAGE
    application.add_handler(CallbackQueryHandler(h.button))
    application.add_handler(InlineQueryHandler(inline.inline_query))
    application.add_handler(MessageHandler(new_message & filters.TEXT & ~filters.COMMAND, h.question))
    application.add_handler(MessageHandler(new_message & filters.COMMAND, h.unknown_command))
    application.add_handler(MessageHandler(new_message & NOT_TEXT, h.not_text))
    application.add_error_handler(error_handler)
    return application


@dataclass
class TelegramHandle:
    """A running Telegram channel; `await stop()` ends it cleanly."""

    application: Application
    webhook: web.AppRunner | None = None

    @property
    def webhook_addresses(self) -> list:
        return list(self.webhook.addresses) if self.webhook else []

    async def stop(self) -> None:
        if self.webhook:
            await self.webhook.cleanup()
        elif self.application.updater and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()


async def set_commands(application: Application) -> None:
    """The command menu in Vietnamese, and in English for Telegram apps set to English; a failure here must not
    stop the bot from answering."""
    for language, code in (("vi", None), ("en", "en")):
        t = translator(language)
        commands = [("start", t("Start again")), ("thutuc", t("Browse procedures by field")), ("tracuu", t("Check a dossier")),
                    ("checklist", t("A short checklist to forward")), ("help", t("How to use the assistant")),
                    ("cancel", t("Drop the current choice")), ("lang", t("Answer in English or Vietnamese"))]
        try:
            await application.bot.set_my_commands([BotCommand(name, text) for name, text in commands], language_code=code)
        except TelegramError as exc:
            log.warning("could not set the bot's command menu: %s", exc)


async def start_telegram(settings, assistant, store, reloader=None, **build_options) -> TelegramHandle:
    """Start answering: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set."""
    application = build_application(settings, assistant, store, reloader, **build_options)
    await application.initialize()
    handle = TelegramHandle(application)
    try:
        await set_commands(application)
        await application.start()
        if settings.telegram_webhook_url:
            secret = webhook_secret(settings.telegram_webhook_secret)
            handle.webhook = await start_webhook_server(application, settings, secret)
            await application.bot.set_webhook(settings.telegram_webhook_url, secret_token=secret,
                                              allowed_updates=ALLOWED_UPDATES)
        else:
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    except BaseException:
        await handle.stop()
        raise
    log.info("Telegram assistant @%s started (%s)", application.bot.username,
             "webhook" if settings.telegram_webhook_url else "long polling")
    return handle
