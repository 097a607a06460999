"""Every setting declared once (name, default, help) and read from the environment in one place."""
from __future__ import annotations

import os
from dataclasses import dataclass
from types import MappingProxyType

from bot.running.clients import parse_networks
from bot.knowledge.paths import DEFAULT_CATALOG, DEFAULT_KNOWLEDGE_DIR, PROJECT_ROOT  # noqa: F401 (re-exported for the settings table)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    kind: type = str
    check: object = None  # value -> why it is refused ("" when fine)


SETTINGS = (
    Setting("TELEGRAM_BOT_TOKEN", "", "Bot token from @BotFather; when set, `python -m bot` runs the Telegram assistant"),
    Setting("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot",
            "Bot API base URL; the token is appended (python-telegram-bot's base_url)"),
    Setting("TELEGRAM_WEBHOOK_URL", "", "Public HTTPS URL Telegram posts updates to; empty means long polling"),
    Setting("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1", "Address the webhook server listens on"),
    Setting("TELEGRAM_WEBHOOK_PORT", "8443", "Port the webhook server listens on", int),
    Setting("TELEGRAM_WEBHOOK_SECRET", "", "Secret checked in the X-Telegram-Bot-Api-Secret-Token header"),
    Setting("BOT_TELEGRAM_ENABLED", "1", "Run the Telegram assistant when a token is set (0 to switch off)", bool),
    Setting("ZALO_BOT_TOKEN", "", "Bot token from Zalo Bot Manager; when set, `python -m bot` runs the Zalo assistant"),
    Setting("ZALO_API_BASE_URL", "https://bot-api.zaloplatforms.com/bot", "Zalo Bot API base URL; the token is appended"),
    Setting("ZALO_WEBHOOK_URL", "", "Public HTTPS URL Zalo posts updates to; empty means long polling"),
    Setting("ZALO_WEBHOOK_LISTEN", "127.0.0.1", "Address the Zalo webhook server listens on"),
    Setting("ZALO_WEBHOOK_PORT", "8444", "Port the Zalo webhook server listens on", int),
    Setting("ZALO_WEBHOOK_SECRET", "", "Secret (8–256 characters) checked in the X-Bot-Api-Secret-Token header; empty = random",
            check=lambda v: "" if not v or 8 <= len(v) <= 256 else f"must be 8–256 characters long (it has {len(v)})"),
    Setting("BOT_STAFF_IDS", "", "Comma-separated Telegram user ids allowed to use the staff commands"),
    Setting("BOT_DESK_CHAT_ID", "", "Telegram group of staff and volunteers who answer handed-over questions (empty = no desk)"),
    Setting("BOT_DATA_DIR", str(PROJECT_ROOT / "data"),
            "Folder of the embedded state (sessions, tickets, journal of questions and feedback); one process per folder"),
    Setting("BOT_STATE_URL", "", "postgresql://user:password@host/db: keep all state in PostgreSQL, shared by any number "
            "of bot processes (empty = embedded state in BOT_DATA_DIR)",
            check=lambda v: "" if not v or v.startswith(("postgresql://", "postgres://")) else "must start with postgresql://"),
    Setting("BOT_STATE_POOL_SIZE", "10", "PostgreSQL connections per bot process (with BOT_STATE_URL)", int),
    Setting("BOT_SESSION_DAYS", "30", "Sessions (ward, language, last procedure) idle this many days are forgotten", int),
    Setting("BOT_KNOWLEDGE_DIR", str(DEFAULT_KNOWLEDGE_DIR), "Folder with national/ and local/ knowledge"),
    Setting("BOT_RELOAD_SECONDS", "5", "How often to look for edited knowledge files (0 = only /reload)", float),
    Setting("BOT_RETENTION_DAYS", "90", "Question texts older than this many days are purged", int),
    Setting("BOT_RATE_LIMIT_PER_MINUTE", "20", "Questions one chat or web client may ask per minute", int),
    Setting("BOT_WEB_ENABLED", "1", "Run the web chat (0 to switch off)", bool),
    Setting("BOT_WEB_HOST", "127.0.0.1", "Address the web chat listens on"),
    Setting("BOT_WEB_PORT", "8080", "Port the web chat listens on", int),
    Setting("BOT_PUBLIC_URL", "", "Public base URL of the web chat, for shareable links and QR codes"),
    Setting("BOT_LOG_LEVEL", "INFO", "Logging level: DEBUG, INFO, WARNING, ERROR"),
    Setting("BOT_STAFF_LANG", "vi", "Language of messages for staff (check-knowledge, refused reloads): vi or en",
            check=lambda v: "" if v in ("vi", "en") else "must be vi or en"),
    Setting("BOT_TRUSTED_PROXIES", "", "Comma-separated addresses or networks (e.g. 127.0.0.1, 10.0.0.0/8) of reverse "
            "proxies whose X-Forwarded-For / Forwarded headers are believed for the web chat's rate limit and logs",
            check=lambda v: proxy_problem(v)),
)


def proxy_problem(raw: str) -> str:
    try:
        parse_networks(raw)
    except ValueError as exc:
        return f"is not a list of addresses or networks ({exc})"
    return ""


def _convert(setting: Setting, raw: str):
    if setting.kind is bool:
        return raw.strip().lower() not in ("0", "false", "no", "off", "")
    try:
        value = setting.kind(raw)
    except ValueError as exc:
        raise SystemExit(f"{setting.name}={raw!r} is not a valid {setting.kind.__name__}: {setting.help}") from exc
    if setting.check and (problem := setting.check(value)):
        raise SystemExit(f"{setting.name} {problem}: {setting.help}")
    return value


class Settings:
    """Read-only settings: attribute names are the lower-case setting names."""

    def __init__(self, values: dict):
        self._values = MappingProxyType(values)

    def __getattr__(self, name: str):
        try:
            return self._values[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def replace(self, **changes) -> "Settings":
        return Settings({**self._values, **changes})

    @property
    def trusted_proxies(self) -> tuple:
        """BOT_TRUSTED_PROXIES as networks (checked when the settings were read)."""
        return parse_networks(self.bot_trusted_proxies)

    @property
    def staff_ids(self) -> frozenset[int]:
        return frozenset(int(x) for x in self.bot_staff_ids.replace(" ", "").split(",") if x.isdigit())

    @property
    def desk_chat_id(self) -> int | None:
        """The desk group's chat id (None when BOT_DESK_CHAT_ID is not a number)."""
        raw = self.bot_desk_chat_id.strip()
        return int(raw) if raw.lstrip("-").isdigit() else None


def load_settings(environ=None) -> Settings:
    """Settings from the environment (or the mapping given), defaults for what is unset."""
    environ = os.environ if environ is None else environ
    return Settings({s.name.lower(): _convert(s, environ.get(s.name, s.default)) for s in SETTINGS})
