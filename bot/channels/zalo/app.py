"""The Zalo channel: all wiring in `build_zalo`; `start_zalo` runs it (long polling, or a webhook).

`ZaloChannel.accept(update)` is where every update from Zalo arrives (from getUpdates or the webhook):
a message already seen (same chat and message_id) is dropped, the rest is handled in its own task, one
message at a time per chat, by the handler of its event (the rate-limit gate first, the one error
handler when it fails). `send_text(chat_id, text)` sends any text to a Zalo chat (e.g. a person's answer).
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from aiohttp import web

from bot.channels.zalo import handlers as h
from bot.channels.zalo.api import RETRY_DELAYS, ZaloAPI, ZaloAPIError
from bot.channels.zalo.render import split_text
from bot.channels.zalo.webhook import start_webhook_server
from bot.running.clients import webhook_secret
from bot.running.ratelimit import RateLimiter

log = logging.getLogger(__name__)

MAX_BACKOFF = 60.0  # seconds between two getUpdates after repeated failures, at most
SEEN_LIMIT = 10000  # message ids remembered to answer a redelivered message once


class ZaloChannel:
    """One running Zalo bot: the API client, the handlers by event, in-flight tasks, seen messages."""

    def __init__(self, shared: h.Shared, handlers: dict, error_handler, backoff: float = RETRY_DELAYS[0]):
        self.shared, self.handlers, self.error_handler, self.backoff = shared, handlers, error_handler, backoff
        self.seen: OrderedDict = OrderedDict()
        self.tasks: set[asyncio.Task] = set()
        self.locks: dict[str, asyncio.Lock] = {}
        self.background: asyncio.Task | None = None  # the long poll, or the webhook's registration
        self.webhook: web.AppRunner | None = None
        self.mode = ""

    @property
    def api(self) -> ZaloAPI:
        return self.shared.api

    # ---- incoming updates --------------------------------------------------------------------------

    def accept(self, update: dict) -> bool:
        """Take one update: False when it is not a message we handle or was seen before."""
        if isinstance(update.get("result"), dict):  # the envelope, should a delivery carry it
            update = update["result"]
        message, handler = update.get("message"), self.handlers.get(update.get("event_name"))
        if not isinstance(message, dict) or handler is None or not h.chat_id_of(message) or h.from_bot(message):
            log.debug("Zalo update ignored: %s", update.get("event_name"))
            return False
        message_id = message.get("message_id")
        key = (h.chat_id_of(message), str(message_id) if isinstance(message_id, (str, int)) else "")
        if key[1] and key in self.seen:
            log.info("Zalo message %s delivered again; answered once", key[1])
            return False
        if key[1]:
            self.seen[key] = True
            while len(self.seen) > SEEN_LIMIT:
                self.seen.popitem(last=False)
        task = asyncio.get_running_loop().create_task(self._handle(handler, message))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return True

    async def _handle(self, handler, message: dict) -> None:
        chat_id = h.chat_id_of(message)
        lock = self.locks.setdefault(chat_id, asyncio.Lock())
        try:
            async with lock:  # one message at a time per chat: answers in order, no lost session change
                if await h.rate_limit_gate(self.shared, message):
                    await handler(self.shared, message)
        except Exception as exc:  # noqa: BLE001 - one failed message never ends the channel
            await self.error_handler(self.shared, message, exc)
        finally:
            if not lock.locked() and self.locks.get(chat_id) is lock:
                del self.locks[chat_id]

    async def drain(self) -> None:
        """Wait until every message taken so far is answered."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    # ---- long polling ------------------------------------------------------------------------------

    def delay(self, failures: int) -> float:
        return min(MAX_BACKOFF, self.backoff * 2 ** min(failures - 1, 10))

    async def poll(self) -> None:
        """getUpdates forever: 408 means nothing came; failures are logged and retried with back-off."""
        failures = 0
        while True:
            try:
                updates = await self.api.get_updates()
            except ZaloAPIError as exc:
                failures += 1
                log.warning("Zalo getUpdates failed (%s); polling again in %.1f s", exc, self.delay(failures))
                await asyncio.sleep(self.delay(failures))
                continue
            failures = 0
            for update in updates:
                self.accept(update)

    async def register_webhook(self, url: str, secret: str) -> None:
        """setWebhook until Zalo accepts it (the receiver already listens); failures are logged, never fatal."""
        failures = 0
        while True:
            try:
                await self.api.set_webhook(url, secret)
                log.info("Zalo webhook set")
                return
            except ZaloAPIError as exc:
                failures += 1
                log.error("Zalo setWebhook failed (%s); trying again in %.1f s", exc, self.delay(failures))
                await asyncio.sleep(self.delay(failures))

    # ---- sending and stopping ----------------------------------------------------------------------

    async def send_text(self, chat_id: str, text: str) -> None:
        """Send plain text to a Zalo chat, in parts of at most 2,000 characters (ZaloAPIError if refused)."""
        for part in split_text(text):
            await self.api.send_message(str(chat_id), part)

    async def stop(self) -> None:
        if self.background:
            self.background.cancel()
            await asyncio.gather(self.background, return_exceptions=True)
        if self.webhook:
            await self.webhook.cleanup()
        await self.drain()
        await self.api.close()


def build_zalo(settings, assistant, store, reloader=None, *, desk=None, backoff: float = RETRY_DELAYS[0]) -> ZaloChannel:
    """The whole Zalo channel: API client, shared objects, a handler per event, the error handler.

    Knowledge reloads need nothing here: the reloader swaps the assistant's knowledge in place. With a
    `desk` (bot.running.desk.Desk), a citizen who asks for a person gets a ticket, answered through `send_text`."""
    api = ZaloAPI(settings.zalo_api_base_url, settings.zalo_bot_token, delays=tuple(backoff * 2 ** n for n in range(3)))
    shared = h.Shared(api, assistant, store, RateLimiter(settings.bot_rate_limit_per_minute), settings.bot_public_url, desk)
    handlers = {"message.text.received": h.question, "message.image.received": h.not_text,
                "message.sticker.received": h.not_text, "message.unsupported.received": h.not_text}
    return ZaloChannel(shared, handlers, h.error_handler, backoff)


async def start_zalo(settings, assistant, store, reloader=None, **build_options) -> ZaloChannel:
    """Start answering: long polling, or a webhook when ZALO_WEBHOOK_URL is set (they exclude each other)."""
    channel = build_zalo(settings, assistant, store, reloader, **build_options)
    try:
        if settings.zalo_webhook_url:
            secret = webhook_secret(settings.zalo_webhook_secret)
            channel.webhook = await start_webhook_server(channel, settings, secret)
            work, channel.mode = channel.register_webhook(settings.zalo_webhook_url, secret), "webhook"
        else:
            await forget_webhook(channel.api)
            work, channel.mode = channel.poll(), "long polling"
        channel.background = asyncio.get_running_loop().create_task(work)
    except BaseException:
        await channel.stop()
        raise
    log.info("Zalo assistant %s started (%s)", await bot_name(channel.api), channel.mode)
    return channel


async def forget_webhook(api: ZaloAPI) -> None:
    """Long polling only works without a webhook; a failure here is logged, polling tells the rest."""
    try:
        await api.delete_webhook()
    except ZaloAPIError as exc:
        log.warning("could not remove Zalo's webhook before long polling: %s", exc)


async def bot_name(api: ZaloAPI) -> str:
    try:
        me = await api.get_me()
    except ZaloAPIError as exc:
        log.warning("Zalo getMe failed: %s", exc)
        return "(name unknown)"
    return str((me or {}).get("account_name") or (me or {}).get("display_name") or (me or {}).get("id") or "")
