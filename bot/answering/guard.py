"""A safety net around the Assistant: an answer that fails to build never reaches a channel as an error.

The failing answer is built again from the last good knowledge (the one before the latest swap); if
that fails too, the citizen gets a short apology with the hotline. Each failure is counted
(`failures`), stored as an `intent: "error"` event (for /stats and the report; marked `picked` so it
is not counted as a question) and passed to `listeners` (the Telegram channel tells staff).
"""
from __future__ import annotations

import copy
import logging
import time

from bot.answering import replies
from bot.answering.conversation import Assistant, Reply
from bot.answering.i18n import translator

log = logging.getLogger(__name__)
REPLY_METHODS = ("reply", "press")  # return a Reply (with events)
ANSWER_METHODS = ("start", "procedure", "checklist")  # return an Answer
QUIET_SECONDS = 600  # the same failure is reported to staff at most once in this time


class GuardedAssistant:
    """Everything the Assistant offers; reply, press, start, procedure and checklist never raise."""

    def __init__(self, assistant: Assistant):
        self.inner, self.previous = assistant, None
        self.failures = 0
        self.listeners: list = []  # callables taking one line of text for staff
        self._reported: dict[str, float] = {}

    def __getattr__(self, name: str):
        if name in REPLY_METHODS or name in ANSWER_METHODS:
            return lambda *args, **kwargs: self._guarded(name, args, kwargs)
        return getattr(self.inner, name)

    def swap(self, knowledge) -> None:
        """New knowledge; the current one is kept as the last good for answers that fail with the new."""
        before = self.inner.brain
        self.inner.swap(knowledge)
        self.previous = before

    def _guarded(self, name: str, args: tuple, kwargs: dict):
        try:
            return getattr(self.inner, name)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - whatever failed, the citizen gets an answer
            self._failed(name, args, exc)
        result = self._from_last_good(name, args, kwargs)
        if result is None:
            result = self._apology(name, args)
        if isinstance(result, Reply):
            result.events = [*result.events, {"intent": "error", "picked": True, "procedure": _pid(name, args)}]
        return result

    def _from_last_good(self, name: str, args: tuple, kwargs: dict):
        if self.previous is None:
            return None
        shadow = copy.copy(self.inner)
        shadow.brain = self.previous
        try:
            return getattr(shadow, name)(*args, **kwargs)
        except Exception:  # noqa: BLE001
            log.exception("the last good knowledge failed too on %s", name)
            return None

    def _apology(self, name: str, args: tuple):
        session = next((a for a in args if isinstance(a, dict)), {})
        t = translator(session.get("language"))
        try:
            hotline = self.inner.knowledge.province.get("hotline", "")
        except Exception:  # noqa: BLE001
            hotline = ""
        answer = replies.notice(t("Sorry, I cannot show this answer right now."),
                                t("Please try again in a few minutes, or call the hotline: {hotline}", hotline=hotline))
        return Reply(answer) if name in REPLY_METHODS else answer

    def _failed(self, name: str, args: tuple, exc: Exception) -> None:
        self.failures += 1
        what = f"{name}({_pid(name, args) or ''}): {type(exc).__name__}: {exc}"[:300]
        log.error("an answer failed to build: %s", what, exc_info=exc)
        now = time.monotonic()
        if now - self._reported.get(what, -QUIET_SECONDS) < QUIET_SECONDS:
            return
        self._reported[what] = now
        for listener in list(self.listeners):
            try:
                listener(what)
            except Exception:  # noqa: BLE001 - telling staff must not cost the citizen the answer
                log.exception("could not tell staff about a failed answer")


def _pid(name: str, args: tuple) -> str | None:
    """The procedure the failing call was about, when the call names one."""
    if name in ("procedure", "checklist") and args and isinstance(args[0], str):
        return args[0]
    if name == "press" and args and isinstance(args[0], str):
        return args[0].split(":")[1] if args[0].count(":") >= 1 and args[0].split(":")[1] else None
    return None
