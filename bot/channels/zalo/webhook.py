"""The Zalo webhook receiver: a small aiohttp server Zalo posts updates to.

Each POST must carry the secret given to `setWebhook` in the X-Bot-Api-Secret-Token header; a wrong or
missing one is refused with 403 and the body is not even read. The update is handed to the channel
(`accept`, which answers a message once) and 200 is answered at once.
"""
from __future__ import annotations

import logging
from urllib.parse import urlparse

from aiohttp import web

from bot.knowledge.text import parse_json
from bot.running.clients import secret_matches

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 256 * 1024
CHANNEL = web.AppKey("channel", object)
SECRET = web.AppKey("secret", str)


async def receive_update(request: web.Request) -> web.Response:
    """POST from Zalo: check the secret, hand the update over, answer 200 at once."""
    sent = request.headers.get(SECRET_HEADER, "")
    if not secret_matches(sent, request.app[SECRET]):
        log.warning("Zalo webhook call from %s with a wrong or missing secret refused", request.remote)
        return web.json_response({"ok": False, "description": "forbidden"}, status=403)
    try:
        update = parse_json(await request.read())
    except web.HTTPRequestEntityTooLarge:
        return web.json_response({"ok": False, "description": "too large"}, status=413)
    except (ValueError, UnicodeDecodeError) as exc:
        log.warning("Zalo webhook call with an unreadable update refused: %s", exc)
        return web.json_response({"ok": False, "description": "bad update"}, status=400)
    if not isinstance(update, dict):
        return web.json_response({"ok": False, "description": "bad update"}, status=400)
    request.app[CHANNEL].accept(update)
    return web.json_response({"ok": True})


def build_webhook_app(channel, secret: str, path: str) -> web.Application:
    app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    app[CHANNEL], app[SECRET] = channel, secret
    app.router.add_post(path, receive_update)
    return app


async def start_webhook_server(channel, settings, secret: str) -> web.AppRunner:
    """Listen on ZALO_WEBHOOK_LISTEN:ZALO_WEBHOOK_PORT at the path of ZALO_WEBHOOK_URL."""
    path = urlparse(settings.zalo_webhook_url).path or "/"
    runner = web.AppRunner(build_webhook_app(channel, secret, path), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.zalo_webhook_listen, settings.zalo_webhook_port).start()
    log.info("Zalo webhook listening on %s, path %s", ", ".join(map(str, runner.addresses)), path)
    return runner
