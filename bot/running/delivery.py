"""Who can carry a message where: a channel-neutral registry the channels register into at start-up.

One channel never imports another, so a reply written in the Telegram desk group reaches a web or
Zalo citizen through here: each channel registers a sender for its citizens (`citizen(name, send)`),
the desk channel registers where tickets are posted (`desk(post)`). Wired by `bot/runner.py`.
"""
from __future__ import annotations

import logging
from typing import Awaitable, Callable

from bot.answering.handoff import from_person
from bot.answering.i18n import translator
from bot.answering.render import to_text

log = logging.getLogger(__name__)

Send = Callable[[object, dict], Awaitable[None]]  # (address in that channel, message) → delivered
Post = Callable[[dict, str, str], Awaitable[None]]  # (ticket, event, text) → shown to the desk


class Deliveries:
    def __init__(self):
        self.senders: dict[str, Send] = {}
        self.desk_post: Post | None = None

    def citizen(self, channel: str, send: Send) -> None:
        """Register how to deliver a message to a citizen of `channel`."""
        self.senders[channel] = send

    def desk(self, post: Post) -> None:
        """Register where tickets and their news are shown to staff and volunteers."""
        self.desk_post = post

    @property
    def has_desk(self) -> bool:
        return self.desk_post is not None

    async def to_citizen(self, channel: str, address, message: dict) -> bool:
        """Deliver; False when the channel is not running or the delivery failed (logged)."""
        send = self.senders.get(channel)
        if send is None:
            log.warning("no %s channel registered: a desk reply could not be delivered", channel)
            return False
        try:
            await send(address, message)
        except Exception:  # one failed delivery must not stop the desk
            log.exception("could not deliver a desk reply through %s", channel)
            return False
        return True

    async def to_desk(self, ticket: dict, event: str, text: str = "") -> None:
        if self.desk_post is None:
            return
        try:
            await self.desk_post(ticket, event, text)
        except Exception:
            log.exception("could not post ticket %s (%s) to the desk", ticket.get("id"), event)


def plain_text(send_text: Callable[[object, str], Awaitable[None]]) -> Send:
    """A citizen sender for a channel that takes plain text (Zalo: `ZaloChannel.send_text`)."""

    async def deliver(address, message: dict) -> None:
        await send_text(address, to_text(from_person(translator(message.get("language")), message)))

    return deliver
