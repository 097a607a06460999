"""Who is asking, behind a reverse proxy: X-Forwarded-For / Forwarded are believed only from BOT_TRUSTED_PROXIES.

Without trusted proxies (the default) the client is the peer address: a header anyone can write
never changes whose rate limit a question counts against. With nginx in front (trusted), the
chain is read from the right: each hop a trusted proxy added is believed, and the first address
not in a trusted network is the client.

And who may post to a webhook: the secret a platform (Telegram, Zalo) sends back in a header.
"""
from __future__ import annotations

import hmac
import ipaddress
import re
import secrets

MAX_HOPS = 20  # hops read from the right of a forwarding header; more is an attack or a loop
FORWARDED_FOR = re.compile(r'(?i)(?:^|[;,\s])for\s*=\s*("?)\[?([^",;\]\s]+)\]?(?::\d+)?\1')


def parse_networks(raw: str) -> tuple:
    """'127.0.0.1, 10.0.0.0/8, ::1' → ip_network objects (an address is a network of one); ValueError if not."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip('"[]').split("%")[0])
    except ValueError:
        try:  # "203.0.113.7:4711" (a port some proxies keep)
            return ipaddress.ip_address(text.strip().rsplit(":", 1)[0])
        except ValueError:
            return None


def forwarded_chain(headers) -> list[str]:
    """Hops, client first, from `Forwarded` (RFC 7239) if present, else `X-Forwarded-For`."""
    if forwarded := headers.get("Forwarded", ""):
        return [m.group(2) for m in FORWARDED_FOR.finditer(forwarded[-4096:])]
    return [hop.strip() for hop in headers.get("X-Forwarded-For", "")[-4096:].split(",") if hop.strip()]


def client_address(peer: str | None, headers, trusted: tuple) -> str:
    """The real client's address: the peer, unless it is a trusted proxy; then walk the chain leftwards."""
    current = _address(peer or "")
    if current is None:
        return peer or "unknown"
    if not trusted:
        return str(current)
    for hop in reversed(forwarded_chain(headers)[-MAX_HOPS:]):
        if not any(current in net for net in trusted):
            break
        previous = _address(hop)
        if previous is None:
            break  # a hop we cannot read: the last address we could is the best we know
        current = previous
    return str(current)


def webhook_secret(configured: str) -> str:
    """The configured webhook secret, or a random one for this run (only the platform learns it, at registration)."""
    return configured or secrets.token_urlsafe(32)


def secret_matches(sent: str, expected: str) -> bool:
    """A webhook call's secret header against ours, in constant time; whatever a caller sends is comparable."""
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))
