"""A fresh PostgreSQL database for one test, on the server named by BOT_TEST_DATABASE_URL (`.ci/run` starts
Debian's PostgreSQL and exports it; default postgresql://bot:bot@127.0.0.1:5432/postgres). The role needs
CREATEDB. No server reachable: the test is skipped with a message, or fails when CI is set."""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

DEFAULT_URL = "postgresql://bot:bot@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get("BOT_TEST_DATABASE_URL") or DEFAULT_URL


def unavailable(why: str):
    message = f"PostgreSQL not reachable at {server_url()} ({why}); run .ci/run or set BOT_TEST_DATABASE_URL"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def fresh_database():
    """Yields the URL of a new, empty database; drops it afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(server_url(), autocommit=True, connect_timeout=5)
    except Exception as exc:  # noqa: BLE001 - any reason the server cannot be used is reported the same way
        unavailable(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    name = f"bot_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(server_url())
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
