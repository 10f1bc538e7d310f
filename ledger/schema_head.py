"""Is the schema at head? Answered without Alembic, on every command's warm path.

Importing Alembic costs more than a warm `rumours status` may take in all. The head revision is
read from the migration files' `revision` / `down_revision` lines and compared with the
database's `alembic_version`; anything unexpected (no single head, no table, another revision)
answers "not known current", and the caller runs Alembic's own upgrade, which decides properly.
"""

from __future__ import annotations

import re
from functools import cache

import psycopg

from ledger.connections import Connection
from ledger.migrations_folder import MIGRATIONS_FOLDER

_REVISION = re.compile(r'^revision\s*=\s*"([^"]+)"', re.MULTILINE)
_DOWN_REVISION = re.compile(r'^down_revision\s*=\s*(?:"([^"]+)"|None)', re.MULTILINE)


@cache
def head_from_files() -> str | None:
    """The one revision no other migration builds on, or None when that is not clear."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS_FOLDER / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        revision, parent = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or parent is None:
            continue
        revisions.add(revision[1])
        if parent[1]:
            parents.add(parent[1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def schema_is_current(conn: Connection) -> bool:
    """True when the database's revision is the head; False means "let Alembic look".

    One round trip on a connection in autocommit (`LedgerDatabase.reading`), where a failed
    statement leaves no transaction to roll back: a database never migrated has no table.
    """
    head = head_from_files()
    if head is None:
        return False
    try:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except psycopg.errors.UndefinedTable:
        return False
    return [row[0] for row in found] == [head]
