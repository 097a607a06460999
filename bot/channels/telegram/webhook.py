"""The webhook receiver: a small aiohttp server Telegram posts updates to (PTB's custom-webhook pattern).

Each POST must carry the secret given to `setWebhook` in the X-Telegram-Bot-Api-Secret-Token header
(403 otherwise); the update is handled (through the application's update processor: concurrent, one
chat's in order) and only then answered 200, so Telegram redelivers what a killed process never finished.
"""
from __future__ import annotations

import logging
from urllib.parse import urlparse

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.knowledge.text import parse_json
from bot.running.clients import secret_matches

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1024 * 1024
APPLICATION = web.AppKey("application", Application)
SECRET = web.AppKey("secret", str)


async def receive_update(request: web.Request) -> web.Response:
    """POST from Telegram: check the secret, handle the update, then answer 200."""
    sent = request.headers.get(SECRET_HEADER, "")
    if not secret_matches(sent, request.app[SECRET]):
        log.warning("webhook call from %s with a wrong secret refused", request.remote)
        return web.Response(status=403, text="forbidden")
    application = request.app[APPLICATION]
    try:
        update = Update.de_json(parse_json(await request.read()), application.bot)
    except web.HTTPRequestEntityTooLarge:
        return web.Response(status=413, text="too large")
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("webhook call with an unreadable update refused: %s", exc)
        return web.Response(status=400, text="bad update")
    # 200 only once the update is handled (its state written): if this process is killed meanwhile,
    # Telegram has no acknowledgement and delivers the update again, to whichever worker is up
    await application.update_processor.process_update(update, application.process_update(update))
    return web.Response(text="ok")


def build_webhook_app(application: Application, secret: str, path: str) -> web.Application:
    app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    app[APPLICATION], app[SECRET] = application, secret
    app.router.add_post(path, receive_update)
    return app


async def start_webhook_server(application: Application, settings, secret: str) -> web.AppRunner:
    """Listen on TELEGRAM_WEBHOOK_LISTEN:TELEGRAM_WEBHOOK_PORT at the path of TELEGRAM_WEBHOOK_URL."""
    path = urlparse(settings.telegram_webhook_url).path or "/"
    runner = web.AppRunner(build_webhook_app(application, secret, path), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.telegram_webhook_listen, settings.telegram_webhook_port).start()
    log.info("Telegram webhook listening on %s, path %s", ", ".join(map(str, runner.addresses)), path)
    return runner
