"""Per-chat / per-client rate limiting: at most N questions in a sliding minute."""
from __future__ import annotations

import time
from collections import defaultdict, deque


class RateLimiter:
    """Sliding-window limiter keyed by chat or client; `allow(key)` is False when over the limit."""

    def __init__(self, per_minute: int, window: float = 60.0, clock=time.monotonic):
        self.per_minute, self.window, self.clock = per_minute, window, clock
        self.hits: dict[object, deque] = defaultdict(deque)

    def allow(self, key) -> bool:
        now, hits = self.clock(), self.hits[key]
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if self.per_minute and len(hits) >= self.per_minute:
            return False
        hits.append(now)
        if len(self.hits) > 10000:
            self._forget_idle(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, h in self.hits.items() if not h or now - h[-1] >= self.window]:
            del self.hits[key]
