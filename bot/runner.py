"""`python -m bot` / `python -m bot run`: the web chat, and the Telegram and Zalo assistants when their tokens are set."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from bot.acceptance import render_problems
from bot.answering.conversation import Assistant
from bot.answering.guard import GuardedAssistant
from bot.knowledge.loader import load_knowledge
from bot.knowledge.problems import KnowledgeError
from bot.running.delivery import plain_text
from bot.running.desk import Desk
from bot.running.memory import settle
from bot.running.reload import KnowledgeReloader
from bot.running.settings import load_settings
from bot.running.journal import StateStore
from bot.running.state import open_store

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
        if problems := render_problems(knowledge):
            raise KnowledgeError(problems)
    except KnowledgeError as exc:
        print("The knowledge files have problems; fix them and start again:\n" + str(exc), file=sys.stderr)
        return 1
    store = open_store(settings)  # embedded: the folder's lock (a second process refuses to start), repair, journal
    asyncio.run(open_and_serve(settings, GuardedAssistant(Assistant(knowledge)), store))
    return 0


async def open_and_serve(settings, assistant, store) -> None:
    if hasattr(store, "open"):  # PostgreSQL: connect, create or migrate the schema
        await store.open()
    await serve(settings, assistant, store)


async def periodically(work, every: float, failed: str) -> None:
    """`await work()` at start and then every `every` seconds; a failure is logged (`failed`) and tried again."""
    while True:
        try:
            await work()
        except Exception:  # noqa: BLE001 - tried again next time; /healthz shows a store that cannot write
            log.exception(failed)
        await asyncio.sleep(every)


async def serve(settings, assistant: Assistant, store: StateStore, stop: asyncio.Event | None = None) -> None:
    """Run the enabled channels until `stop` is set (or SIGINT/SIGTERM)."""
    stop = stop or _stop_on_signals()
    reloader = KnowledgeReloader(assistant, settings.bot_knowledge_dir, serving_check=render_problems)
    web = telegram = zalo = None
    desk = Desk(store, assistant)  # one desk: tickets from every channel, answered from the Telegram desk group
    if settings.bot_web_enabled:
        from bot.channels.web.app import start_web

        web = await start_web(settings, assistant, store, reloader, desk=desk)
        print(f"Web chat: http://{settings.bot_web_host}:{settings.bot_web_port}/", flush=True)
    if settings.telegram_bot_token and settings.bot_telegram_enabled:
        from bot.channels.telegram.app import start_telegram

        telegram = await start_telegram(settings, assistant, store, reloader, desk=desk)
        print("Telegram assistant running" + (" (webhook)" if settings.telegram_webhook_url else " (long polling)"), flush=True)
    if settings.zalo_bot_token:
        from bot.channels.zalo.app import start_zalo

        zalo = await start_zalo(settings, assistant, store, reloader, desk=desk)
        desk.deliveries.citizen("zalo", plain_text(zalo.send_text))
        print(f"Zalo assistant running ({zalo.mode})", flush=True)
    if not web and not telegram and not zalo:
        print("Nothing to run: the web chat is off and no TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN is set.", file=sys.stderr)
        return
    settle()  # start-up done: full collections from now on skip the knowledge and the loaded state
    watcher = asyncio.create_task(reloader.watch(settings.bot_reload_seconds)) if settings.bot_reload_seconds > 0 else None
    chores = [asyncio.create_task(periodically(lambda: store.purge(settings.bot_retention_days), 24 * 3600,
                                               "could not purge old question texts")),  # blank texts past retention
              asyncio.create_task(periodically(desk.repost, 60, "could not post missed tickets to the desk group"))]
    try:
        await stop.wait()
    finally:
        if watcher:
            watcher.cancel()
        for chore in chores:
            chore.cancel()
        if telegram:
            await telegram.stop()
        if zalo:
            await zalo.stop()
        if web:
            await web.cleanup()
        await store.aclose()


def _stop_on_signals() -> asyncio.Event:
    stop, loop = asyncio.Event(), asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    return stop
