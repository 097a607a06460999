"""Updates processed concurrently, but one chat's in order: a reply waits for its state to be written
(`finish`), and other chats must not wait behind it; two messages of one citizen must not race for
the same session."""
from __future__ import annotations

import asyncio

from telegram.ext import BaseUpdateProcessor


class PerChatOrder(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` at once; the updates of one chat one after the other, in arrival order."""

    def __init__(self, max_concurrent_updates: int = 256):
        super().__init__(max_concurrent_updates)
        self.chats: dict[int, list] = {}  # chat id → [lock, updates holding or waiting for it]
        self.forget = lambda chat: None  # called when a chat has nothing left in process (the app sets it)

    async def do_process_update(self, update, coroutine) -> None:
        chat = getattr(getattr(update, "effective_chat", None), "id", None)
        if chat is None:
            await coroutine
            return
        entry = self.chats.setdefault(chat, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                await coroutine
        finally:
            entry[1] -= 1
            if not entry[1]:
                del self.chats[chat]
                self.forget(chat)  # its session is in the store: memory does not grow with the chats seen

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
