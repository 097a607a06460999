"""The web chat: one page (static/ beside this module), a JSON API over the core, shareable procedure pages and QR codes.

All wiring is in `build_web_app`; shared objects live in the app's keys. The page renders the answer
model (`Answer.to_dict()`) with text nodes only; every response carries a strict Content-Security-Policy.
"""
from __future__ import annotations

import copy
import json
import logging
import re
import secrets
from functools import partial
from pathlib import Path

from aiohttp import web

from bot.channels.web import pages as web_pages
from bot.knowledge.text import parse_json
from bot.answering import handoff
from bot.answering.conversation import Assistant
from bot.answering.i18n import DEFAULT_LANGUAGE, translator
from bot.running.desk import Desk
from bot.running.clients import client_address
from bot.running.ratelimit import RateLimiter
from bot.running.journal import StateStore

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MAX_QUESTION = 1000  # characters in one question
MAX_ACTION = 300  # characters in one pressed button's action
MAX_BODY = 16 * 1024  # bytes in one request body
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
CSP = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"))
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

dumps = partial(json.dumps, ensure_ascii=False)


ASSISTANT = web.AppKey("assistant", Assistant)
STORE = web.AppKey("store", StateStore)
SETTINGS = web.AppKey("settings", object)
LIMITER = web.AppKey("limiter", RateLimiter)
DESK = web.AppKey("desk", Desk)
TRUSTED = web.AppKey("trusted", tuple)  # BOT_TRUSTED_PROXIES as networks


class BadRequest(Exception):
    """A request the API refuses: HTTP status and a message for the citizen."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": status, "message": message}, status=status, dumps=dumps)


def client_key(request: web.Request) -> str:
    """Who is asking, for rate limiting and logs: the peer address, or behind a proxy in BOT_TRUSTED_PROXIES
    the client it forwards for (X-Forwarded-For / Forwarded from anyone else are ignored)."""
    return client_address(request.remote, request.headers, request.app[TRUSTED])


async def read_body(request: web.Request) -> dict:
    """The JSON object posted, or BadRequest with a Vietnamese message."""
    t = translator()
    if request.content_type != "application/json":
        raise BadRequest(415, t("Please send the question as JSON."))
    try:
        body = parse_json(await request.read())
    except web.HTTPRequestEntityTooLarge:
        raise BadRequest(413, t("Your question is too long (at most {limit} characters).", limit=MAX_QUESTION))
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(400, t("The request could not be read. Please reload the page and try again."))
    if not isinstance(body, dict):
        raise BadRequest(400, t("The request could not be read. Please reload the page and try again."))
    return body


def checked_fields(body: dict) -> tuple[str, str, str]:
    """(question, action, session id) from the posted object, after type and length checks."""
    t = translator()
    q, action, sid = body.get("q", ""), body.get("action", ""), body.get("session", "")
    if not all(isinstance(v, str) for v in (q, action, sid)):
        raise BadRequest(400, t("The request could not be read. Please reload the page and try again."))
    if len(q) > MAX_QUESTION:
        raise BadRequest(413, t("Your question is too long (at most {limit} characters).", limit=MAX_QUESTION))
    if len(action) > MAX_ACTION:
        raise BadRequest(400, t("The request could not be read. Please reload the page and try again."))
    return q, action, sid if SESSION_ID.fullmatch(sid) else secrets.token_urlsafe(18)


async def ask(request: web.Request) -> web.Response:
    """POST /api/ask: {"q": ..., "session": ...} or {"action": ..., "session": ...} → the answer model."""
    app, t = request.app, translator()
    if not app[LIMITER].allow(client_key(request)):
        return json_error(429, t("Too many questions at once. Please wait a minute and try again."))
    try:
        q, action, sid = checked_fields(await read_body(request))
    except BadRequest as exc:
        return json_error(exc.status, exc.message)
    assistant, store = app[ASSISTANT], app[STORE]
    try:
        session = await store.session(f"web:{sid}")  # durable, and shared by every web worker on one store
    except Exception:  # the store unreachable: answer without the history (/healthz reports it)
        log.exception("could not read a web chat's session")
        session = {}
    before = copy.deepcopy(session)
    reply = assistant.press(action, session) if action else assistant.reply(q, session)
    answer = await app[DESK].route("web", store.chat_key(f"web:{sid}"), session, "" if action else q, reply)
    try:
        await store.save(f"web:{sid}", session if session != before else None, list(reply.events), channel="web")
    except Exception:  # a failed write must never cost the citizen an answer (/healthz reports it)
        log.exception("could not save a web chat's session and events")
    language = session.get("language") or DEFAULT_LANGUAGE  # the page switches its own labels to it
    return web.json_response({**answer.to_dict(), "session": sid, "language": language}, dumps=dumps)


async def messages(request: web.Request) -> web.Response:
    """GET /api/messages?session=…: replies from a person (the desk) waiting for this chat, each shown once."""
    sid, store = request.query.get("session", ""), request.app[STORE]
    waiting = store.take_outbox(store.chat_key(f"web:{sid}")) if SESSION_ID.fullmatch(sid) else []
    answers = [handoff.from_person(translator(m.get("language")), m).to_dict() for m in waiting]
    return web.json_response({"messages": answers}, dumps=dumps, headers={"Cache-Control": "no-store"})


def outbox_sender(store):
    """How a desk reply reaches a web-chat citizen: kept in the store until the page asks (bot/running/delivery.py)."""

    async def deliver(address, message: dict) -> None:
        store.push_outbox(address, message)

    return deliver


async def healthz(request: web.Request) -> web.Response:
    knowledge, healthy = request.app[ASSISTANT].knowledge, request.app[STORE].healthy
    return web.json_response({"status": "ok" if healthy else "state not writable", "procedures": len(knowledge.procedures)},
                             status=200 if healthy else 503)


def public_url(request: web.Request, pid: str) -> str:
    """The shareable address of a procedure's page: BOT_PUBLIC_URL, else the address this request came to."""
    base = request.app[SETTINGS].bot_public_url or f"{request.scheme}://{request.host}"
    return base.rstrip("/") + web_pages.page_path(pid)


def find_procedure(request: web.Request):
    proc = request.app[ASSISTANT].knowledge.find(request.match_info["pid"])
    if proc is None:
        raise web.HTTPNotFound()
    return proc


async def procedure_page(request: web.Request) -> web.Response:
    """GET /p/<id>: the procedure's card as a page; ?print=1 the compact checklist to print."""
    proc, assistant = find_procedure(request), request.app[ASSISTANT]
    printing = request.query.get("print") == "1"
    answer = assistant.checklist(proc.id, {}) if printing else assistant.procedure(proc.id, {})
    html = web_pages.procedure_html(answer, proc.id, translator(), printing)
    return web.Response(text=html, content_type="text/html")


async def qr_svg(request: web.Request) -> web.Response:
    """GET /qr/<id>.svg: a QR code of the procedure's page address (400 when the address cannot fit in one)."""
    proc = find_procedure(request)
    try:
        svg = web_pages.qr_svg(public_url(request, proc.id))
    except ValueError:  # segno.DataOverflowError: a 3,000-character Host header, say; set BOT_PUBLIC_URL
        raise web.HTTPBadRequest(text="400: address too long for a QR code") from None
    return web.Response(body=svg, content_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=3600"})


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


@web.middleware
async def errors(request: web.Request, handler):
    """JSON errors under /api/, a Vietnamese page for an unknown address, a logged 500 otherwise."""
    api = request.path.startswith("/api/")
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        if api:
            return json_error(exc.status, web_pages.error_message(exc.status))
        if exc.status == 404:
            return web.Response(text=web_pages.not_found_html(translator()), content_type="text/html", status=404)
        raise
    except Exception:
        log.exception("web request failed: %s %s from %s", request.method, request.path[:200], client_key(request))
        if api:
            return json_error(500, web_pages.error_message(500))
        raise


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Every response, errors and static files too, gets the strict headers."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def build_web_app(settings, assistant: Assistant, store: StateStore, reloader=None, desk: Desk | None = None) -> web.Application:
    """The whole web channel: routes, limits, headers and the shared objects."""
    app = web.Application(middlewares=[errors], client_max_size=MAX_BODY)
    app[SETTINGS], app[ASSISTANT], app[STORE] = settings, assistant, store  # reloads swap the assistant's knowledge in place
    app[LIMITER] = RateLimiter(settings.bot_rate_limit_per_minute)
    app[TRUSTED] = settings.trusted_proxies
    app[DESK] = desk or Desk(store, assistant)  # the runner shares one Desk among the channels
    app[DESK].deliveries.citizen("web", outbox_sender(store))
    app.on_response_prepare.append(security_headers)
    app.router.add_get("/", index)
    app.router.add_post("/api/ask", ask)
    app.router.add_get("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/p/{pid:.+}", procedure_page)
    app.router.add_get("/qr/{pid:.+}.svg", qr_svg)
    app.router.add_static("/static/", STATIC_DIR)
    return app


async def start_web(settings, assistant: Assistant, store: StateStore, reloader=None, desk: Desk | None = None) -> web.AppRunner:
    """Start serving on BOT_WEB_HOST:BOT_WEB_PORT; the caller ends it with `await runner.cleanup()`."""
    runner = web.AppRunner(build_web_app(settings, assistant, store, reloader, desk), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.bot_web_host, settings.bot_web_port)
    await site.start()
    log.info("web chat listening on %s", ", ".join(map(str, runner.addresses)))
    return runner
