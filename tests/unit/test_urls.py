"""Database URLs as users paste them, read without SQLAlchemy (`ledger.urls`)."""

from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy.engine import make_url

from ledger.errors import InputError
from ledger.urls import (
    as_user_without_password,
    libpq_url,
    normalise_url,
    password_of,
    redact,
    socket_url,
    username_of,
)

PASTED = [
    "postgres://writer:s3cret@db.example:5432/rumours",
    "postgresql://writer:p%40ss@db.example/rumours?sslmode=require",
    "postgresql+psycopg://reader@/rumours?host=/tmp/pg",
    "  postgresql://u@h/db  ",
]


@pytest.mark.parametrize("pasted", PASTED)
def test_a_pasted_url_is_driven_by_psycopg_and_means_what_sqlalchemy_reads(pasted: str) -> None:
    url = normalise_url(pasted)
    assert url.startswith("postgresql+psycopg://")
    ours, theirs = make_url(url), make_url(pasted.strip().replace("postgres://", "postgresql://"))
    assert (ours.username, ours.password, ours.host, ours.port, ours.database) == (
        theirs.username, theirs.password, theirs.host, theirs.port, theirs.database,
    )  # fmt: skip
    assert password_of(url) == theirs.password and username_of(url) == theirs.username


@pytest.mark.parametrize(
    ("pasted", "words"),
    [("not a url", "not a URL like"), ("mysql://u@h/db", "'mysql' is not PostgreSQL"),
     ("postgresql://h:port/db", "not a URL like")],
)  # fmt: skip
def test_a_url_that_is_not_postgresql_is_refused_in_one_line(pasted: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        normalise_url(pasted)


def test_the_password_is_hidden_and_the_rest_kept() -> None:
    url = normalise_url(PASTED[1])
    assert redact(url) == "postgresql+psycopg://writer:***@db.example/rumours?sslmode=require"
    assert redact("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert redact("nonsense") == "<unparseable database URL>"


def test_libpq_tools_get_the_url_without_the_driver() -> None:
    assert (
        libpq_url(normalise_url(PASTED[0])) == "postgresql://writer:s3cret@db.example:5432/rumours"
    )


def test_a_socket_url_names_the_socket_directory_to_sqlalchemy_and_to_libpq() -> None:
    url = socket_url("/tmp/my home/pg", "postgres", "rumours")
    assert make_url(url).query["host"] == "/tmp/my home/pg"
    assert conninfo_to_dict(libpq_url(url))["host"] == "/tmp/my home/pg"


@pytest.mark.parametrize("pasted", PASTED)
def test_a_url_for_another_role_keeps_the_server_and_drops_the_password(pasted: str) -> None:
    # `db roles` prints these for psql; a password left in (even as ***) would be wrong (CI, PG 15).
    url = as_user_without_password(normalise_url(pasted), "rumours reader")
    parts = conninfo_to_dict(libpq_url(url))
    original = conninfo_to_dict(libpq_url(normalise_url(pasted)))
    assert parts["user"] == "rumours reader" and "password" not in parts
    assert {k: v for k, v in parts.items() if k not in ("user",)} == {
        k: v for k, v in original.items() if k not in ("user", "password")
    }
