"""Database URLs as users paste them, as SQLAlchemy drives them and as libpq tools take them.

Plain string work on the URL's parts (the standard library's `urllib.parse`), so that a warm
command that only reads a board never imports SQLAlchemy to look at its URL. The form the ledger
keeps is SQLAlchemy's (`postgresql+psycopg://...`); `libpq_url` is the same URL without the
driver suffix, as psycopg and `psql` take it.
"""

from __future__ import annotations

import re
from typing import Protocol
from urllib.parse import SplitResult, quote, unquote, urlsplit

from ledger.errors import InputError

_SCHEME = re.compile(r"[\w+]+")  # SQLAlchemy's `name[+driver]`
_DRIVEN = "postgresql+psycopg"


class RenderableUrl(Protocol):
    """SQLAlchemy's `URL` as far as this module needs it (it is not imported here)."""

    def render_as_string(self, hide_password: bool = ...) -> str: ...


def url_text(url: str | RenderableUrl) -> str:
    """The URL as a string with its real password (an engine's `URL` object rendered)."""
    return url if isinstance(url, str) else url.render_as_string(hide_password=False)


def _split(url: str) -> tuple[str, SplitResult] | None:
    scheme, separator, _ = url.partition("://")
    if not separator or not _SCHEME.fullmatch(scheme):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return None
    return scheme, parts


def normalise_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` as users paste them; always drive with psycopg 3."""
    text = url.strip()
    split = _split(text)
    if split is None:
        raise InputError("database URL: not a URL like postgresql://user@host:5432/rumours")
    scheme = "postgresql" if split[0] == "postgres" else split[0]
    if not scheme.startswith("postgresql"):
        raise InputError(
            f"database URL: '{scheme}' is not PostgreSQL; use postgresql://user@host/db"
        )
    return _DRIVEN + text[len(split[0]) :]


def libpq_url(url: str) -> str:
    """The URL as `psql` and other libpq tools take it (no `+psycopg` driver suffix)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}://{rest}"


def password_of(url: str) -> str | None:
    split = _split(url)
    return None if split is None or split[1].password is None else unquote(split[1].password)


def username_of(url: str) -> str | None:
    split = _split(url)
    return None if split is None or not split[1].username else unquote(split[1].username)


def redact(url: str) -> str:
    """The URL with its password replaced by `***`, safe for logs and messages."""
    split = _split(url)
    if split is None:
        return "<unparseable database URL>"
    parts = split[1]
    if parts.password is None:
        return url
    user_info, _, host = parts.netloc.rpartition("@")
    user = user_info.split(":", 1)[0]
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


def as_user_without_password(url: str, user: str) -> str:
    """The URL for another role, with no password in it (libpq asks for one or reads PGPASSWORD)."""
    split = _split(url)
    if split is None:
        raise InputError("database URL: not a URL like postgresql://user@host:5432/rumours")
    parts = split[1]
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{quote(user, safe='')}@{host}").geturl()


def socket_url(socket_dir: str, user: str, database: str) -> str:
    """The URL of a database on a server listening on a Unix socket directory (no password)."""
    return f"{_DRIVEN}://{quote(user)}@/{quote(database)}?host={quote(socket_dir, safe='')}"
