"""Per-chat rate limiting over a sliding minute."""
from bot.running.ratelimit import RateLimiter


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_allows_n_per_window_per_key_then_recovers():
    clock = Clock()
    limiter = RateLimiter(3, window=60, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    clock.now = 59.9
    assert not limiter.allow("a")
    clock.now = 60.1
    assert limiter.allow("a")


def test_zero_means_unlimited():
    limiter = RateLimiter(0)
    assert all(limiter.allow("a") for _ in range(100))
