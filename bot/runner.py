"""`python -m bot` / `python -m bot run`: the web chat, and the Telegram assistant when a token is set."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from bot.answering.conversation import Assistant
from bot.knowledge.loader import load_knowledge
from bot.knowledge.problems import KnowledgeError
from bot.running.reload import KnowledgeReloader
from bot.running.settings import load_settings
from bot.running.state import StateStore

log = logging.getLogger("bot")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-web", action="store_true", help="do not start the web chat (BOT_WEB_ENABLED=0)")
    parser.add_argument("--no-telegram", action="store_true", help="do not start Telegram (BOT_TELEGRAM_ENABLED=0)")


def command(args) -> int:
    settings = load_settings()
    if args.no_web:
        settings = settings.replace(bot_web_enabled=False)
    if args.no_telegram:
        settings = settings.replace(bot_telegram_enabled=False)
    logging.basicConfig(level=settings.bot_log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        knowledge = load_knowledge(settings.bot_knowledge_dir)
    except KnowledgeError as exc:
        print("The knowledge files have problems; fix them and start again:\n" + str(exc), file=sys.stderr)
        return 1
    store = StateStore(settings.bot_data_dir)
    store.purge_texts(settings.bot_retention_days)
    asyncio.run(serve(settings, Assistant(knowledge), store))
    return 0


async def serve(settings, assistant: Assistant, store: StateStore, stop: asyncio.Event | None = None) -> None:
    """Run the enabled channels until `stop` is set (or SIGINT/SIGTERM)."""
    stop = stop or _stop_on_signals()
    reloader = KnowledgeReloader(assistant, settings.bot_knowledge_dir)
    web = telegram = None
    if settings.bot_web_enabled:
        from bot.channels.web.app import start_web

        web = await start_web(settings, assistant, store, reloader)
        print(f"Web chat: http://{settings.bot_web_host}:{settings.bot_web_port}/", flush=True)
    if settings.telegram_bot_token and settings.bot_telegram_enabled:
        from bot.channels.telegram.app import start_telegram

        telegram = await start_telegram(settings, assistant, store, reloader)
        print("Telegram assistant running" + (" (webhook)" if settings.telegram_webhook_url else " (long polling)"), flush=True)
    if not web and not telegram:
        print("Nothing to run: the web chat is off and no TELEGRAM_BOT_TOKEN is set.", file=sys.stderr)
        return
    watcher = asyncio.create_task(reloader.watch(settings.bot_reload_seconds)) if settings.bot_reload_seconds > 0 else None
    try:
        await stop.wait()
    finally:
        if watcher:
            watcher.cancel()
        if telegram:
            await telegram.stop()
        if web:
            await web.cleanup()
        store.close()


def _stop_on_signals() -> asyncio.Event:
    stop, loop = asyncio.Event(), asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    return stop
