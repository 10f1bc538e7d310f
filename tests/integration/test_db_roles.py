"""Least privilege (SPEC §7): each role connects for real and is refused what it must not do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from ledger.database import create_ledger_engine
from ledger.db_roles import create_roles
from ledger.errors import DatabaseError, InputError, PermissionDeniedError
from ledger.ingest.articles import ingest_articles
from ledger.ingest.pipeline import ingest
from ledger.migrate import upgrade_to_head
from ledger.retract import event_id_from, retract
from ledger.review import ReviewQueue
from ledger.store import append_batch, head_position
from projections import book_fitting
from projections.api import Boards
from projections.rebuild import rebuild
from tests import pg
from tests.factories import new_event, new_stream
from tests.integration.test_board_likelihood import chances, history, ingest_claims

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"
OWN_ARTICLE = (
    Path(__file__).resolve().parents[1] / "articles" / "01_arsenal_varela_bid_rejected.txt"
)
BOOK_DAY = date(2024, 8, 5)  # the day test_board_likelihood's history asks about
PROJECTION_TABLES = (
    "pursuit_versions",
    "player_versions",
    "projection_checkpoints",
    "likelihood_books",
)


@dataclass(frozen=True, slots=True)
class Roles:
    writer: str
    projector: str
    reader: str
    passwords: dict[str, str]

    def url(self, database_url: str, role: str) -> str:
        return (
            make_url(database_url)
            .set(username=role, password=self.passwords[role])
            .render_as_string(hide_password=False)
        )


def new_roles() -> Roles:
    """Role names are cluster-wide: random per test so parallel runs never share them."""
    tag = uuid.uuid4().hex[:10]
    writer, projector, reader = f"rt_writer_{tag}", f"rt_projector_{tag}", f"rt_reader_{tag}"
    passwords = {name: uuid.uuid4().hex for name in (writer, projector, reader)}
    return Roles(writer, projector, reader, passwords)


def drop_roles(engine: sa.Engine, *names: str) -> None:
    """DROP OWNED revokes what the roles hold in this database, so DROP ROLE can succeed."""
    quoted = ", ".join(f'"{name}"' for name in names)
    with engine.begin() as conn:
        existing = conn.execute(
            sa.text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:n)"), {"n": list(names)}
        ).scalar_one()
        if existing:
            conn.execute(sa.text(f"DROP OWNED BY {quoted}"))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {quoted}"))


@pytest.fixture
def roles(engine: sa.Engine) -> Iterator[Roles]:
    made = new_roles()
    create_roles(
        engine,
        writer=made.writer,
        projector=made.projector,
        reader=made.reader,
        passwords=made.passwords,
    )
    yield made
    drop_roles(engine, made.writer, made.projector, made.reader)


def assert_a_wrong_password_is_refused(database_url: str, role: str) -> None:
    """Roles mean something only if the server checks who is connecting (issue 14)."""
    wrong = make_url(database_url).set(username=role, password=f"wrong-{uuid.uuid4().hex}")
    engine = create_ledger_engine(wrong.render_as_string(hide_password=False))
    try:
        with (
            pytest.raises(DatabaseError, match="password authentication failed"),
            engine.connect(),
        ):
            pass
    finally:
        engine.dispose()


@pytest.fixture
def connect_as(database_url: str, roles: Roles) -> Iterator[Callable[[str], sa.Engine]]:
    """An engine logged in as one of the roles, once a wrong password was refused for it."""
    engines: list[sa.Engine] = []

    def make(role: str) -> sa.Engine:
        assert_a_wrong_password_is_refused(database_url, role)
        engines.append(create_ledger_engine(roles.url(database_url, role)))
        return engines[-1]

    yield make
    for made in engines:
        made.dispose()


def refused(engine: sa.Engine, statement: str) -> str:
    """Run `statement` as the engine's role; return PostgreSQL's refusal (fails if accepted)."""
    with pytest.raises(DatabaseError) as caught, engine.begin() as conn:
        conn.execute(sa.text(statement))
    return str(caught.value.__cause__)


def test_the_writer_appends_but_cannot_update_delete_or_truncate_events(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    writer = connect_as(roles.writer)
    assert ingest(writer, [str(EXAMPLES)]).appended == 17
    for statement in (
        "UPDATE events SET kind = 'deal_done'",
        "DELETE FROM events",
        "TRUNCATE events",
        "UPDATE articles SET body = ''",
        "DELETE FROM articles",
        "UPDATE players SET name = 'x'",
        "UPDATE ledger_head SET id = 2",
        "SELECT * FROM pursuit_versions",
        "INSERT INTO projection_checkpoints (name, position) VALUES ('x', 1)",
        "CREATE TABLE sneaky (x int)",
    ):
        assert "permission denied" in refused(writer, statement), statement
    with engine.connect() as conn:
        assert head_position(conn) == 17


def test_the_reader_reads_boards_and_claims_but_not_articles_and_cannot_write(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    ingest(engine, [str(EXAMPLES)])
    Boards(connect_as(roles.projector)).project()
    reader = connect_as(roles.reader)
    board = Boards(reader).status("marc guehi").as_json()
    assert board["position"] == 17
    assert {line["club"]: line["status"] for line in board["pursuits"]}["Tottenham Hotspur"] == (
        "bid rejected"
    )
    # The example's pursuits were last reported in 2024, longer ago than the quiet period, so
    # none has a likelihood today (the stored-book test below covers the reader's likelihoods).
    assert [line["likelihood"] for line in board["pursuits"]] == [None] * len(board["pursuits"])
    for statement in (
        "SELECT count(*) FROM articles",
        "INSERT INTO players (player_id, name, name_key) VALUES ('x', 'X', 'x')",
        "INSERT INTO pursuit_versions (player_id) VALUES ('x')",
        "UPDATE projection_checkpoints SET position = 0",
        "DELETE FROM player_versions",
        "UPDATE ledger_head SET last_position = 0",
    ):
        assert "permission denied" in refused(reader, statement), statement


def test_the_reader_reads_a_stored_likelihood_book_and_stores_none_of_its_own(
    engine: sa.Engine,
    roles: Roles,
    connect_as: Callable[[str], sa.Engine],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest_claims(engine, tmp_path, history())
    projector, reader = connect_as(roles.projector), connect_as(roles.reader)
    fitted = chances(Boards(projector).status("Rune Sandvik", as_of=BOOK_DAY).as_json())
    scans: list[int] = []
    for fit in ("fitted_tally", "grown_index"):  # must not run
        monkeypatch.setattr(book_fitting, fit, lambda *a, **k: scans.append(1))
    assert chances(Boards(reader).status("Rune Sandvik", as_of=BOOK_DAY).as_json()) == fitted
    assert scans == [] and fitted["Everton"] is not None
    monkeypatch.undo()
    # A book nobody stored yet: the reader fits it in memory, and the refused insert is no error.
    retract(engine, event_id_from(engine, _first_signing(engine)), "never confirmed")
    assert chances(Boards(reader).status("Rune Sandvik", as_of=BOOK_DAY).as_json())["Everton"]
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM likelihood_books")).scalar_one() == 1


def _first_signing(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        query = "SELECT event_id FROM events WHERE kind = 'deal_done' ORDER BY position LIMIT 1"
        return str(conn.execute(sa.text(query)).scalar_one())


def test_the_projector_folds_the_ledger_but_cannot_append_or_change_it(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    ingest(engine, [str(EXAMPLES)])
    projector = connect_as(roles.projector)
    assert Boards(projector).project() == 17
    for statement in (
        "INSERT INTO events (position) VALUES (99)",
        "UPDATE ledger_head SET last_position = 99",
        "DELETE FROM events",
        "INSERT INTO players (player_id, name, name_key) VALUES ('x', 'X', 'x')",
        "SELECT count(*) FROM articles",
    ):
        assert "permission denied" in refused(projector, statement), statement


def test_running_roles_again_changes_nothing_and_takes_back_extra_privileges(
    engine: sa.Engine, roles: Roles
) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(f'GRANT DELETE, UPDATE ON events, players TO "{roles.writer}"'))
    again = create_roles(
        engine, writer=roles.writer, projector=roles.projector, reader=roles.reader
    )
    assert [outcome.created for outcome in again] == [False, False, False]
    with engine.connect() as conn:
        granted = conn.execute(
            sa.text(
                "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = :r ORDER BY 1, 2"
            ),
            {"r": roles.writer},
        ).all()
    assert [tuple(row) for row in granted] == [
        ("alembic_version", "SELECT"),
        ("articles", "INSERT"),
        ("articles", "SELECT"),
        ("events", "SELECT"),
        ("ledger_head", "SELECT"),
        ("players", "INSERT"),
        ("players", "SELECT"),
        ("review_decisions", "INSERT"),
        ("review_decisions", "SELECT"),
        ("review_items", "INSERT"),
        ("review_items", "SELECT"),
    ]


# A copy of a stored claim under a fresh id at a far position: a duplicate claim and a gap.
COPIED_CLAIM = (
    "INSERT INTO events SELECT 999999999, gen_random_uuid(), stream_id, stream_version + 1000, "
    "kind, schema_version, reported_on, effective_on, recorded_at, player_id, club_id, "
    "from_club_id, source_id, payload, metadata FROM events LIMIT 1"
)
APPEND_FUNCTIONS = [
    "ledger_append",
    "ledger_append_one",
    "ledger_append_staged",
    "ledger_lock",
    "ledger_stage_bulk",
]


def _executable_functions(engine: sa.Engine, role: str) -> list[str]:
    """Functions of the schema `role` may call (trigger functions cannot be called at all)."""
    with engine.connect() as conn:
        names = conn.execute(
            sa.text(
                "SELECT proname FROM pg_proc WHERE pronamespace = CAST(current_schema() AS "
                "regnamespace) AND prorettype <> CAST('trigger' AS regtype) "
                "AND has_function_privilege(:r, oid, 'EXECUTE') ORDER BY proname"
            ),
            {"r": role},
        )
        return list(names.scalars())


def test_the_writer_appends_only_through_the_append_function(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    writer = connect_as(roles.writer)
    assert ingest(writer, [str(EXAMPLES)]).appended == 17
    for statement in (
        COPIED_CLAIM,
        "UPDATE ledger_head SET last_position = 5",
        "SELECT * FROM ledger_head FOR UPDATE",
        "INSERT INTO ledger_head VALUES (2, 0, now())",
    ):
        assert "permission denied" in refused(writer, statement), statement
    for helper in ("ledger_advance_head(3, now())", "ledger_lock_head()"):
        assert "does not exist" in refused(writer, f"SELECT {helper}"), helper
    with engine.connect() as conn:
        assert head_position(conn) == 17
        assert conn.execute(sa.text("SELECT max(position) FROM events")).scalar_one() == 17
    assert _executable_functions(engine, roles.writer) == APPEND_FUNCTIONS


def test_the_append_functions_run_as_their_owner_with_a_fixed_search_path(
    engine: sa.Engine,
) -> None:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT proname, prosecdef, proconfig FROM pg_proc "
                "WHERE proname = ANY(:n) ORDER BY proname"
            ),
            {"n": APPEND_FUNCTIONS},
        ).all()
    assert [row.proname for row in rows] == APPEND_FUNCTIONS
    for row in rows:
        assert row.prosecdef, row.proname
        (search_path,) = [c for c in row.proconfig if c.startswith("search_path=")]
        assert search_path.startswith("search_path=pg_catalog, ")
        assert search_path.endswith(", pg_temp"), "a caller's temporary table must come last"


def test_a_temporary_table_named_events_cannot_catch_the_writers_appends(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    writer = connect_as(roles.writer)
    with writer.begin() as conn:
        conn.execute(sa.text("CREATE TEMP TABLE events (LIKE public.events)"))
        conn.execute(sa.text("CREATE TEMP TABLE ledger_head (LIKE public.ledger_head)"))
        assert append_batch(conn, [new_event(new_stream()) for _ in range(3)]).positions == [
            1,
            2,
            3,
        ]
    with engine.connect() as conn:
        assert head_position(conn) == 3


def test_the_projector_and_the_reader_cannot_append_lock_or_empty_tables(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    for role in (roles.projector, roles.reader):
        as_role = connect_as(role)
        for statement in (
            "SELECT * FROM ledger_append(CAST('{}' AS ledger_new_event[]))",
            "SELECT * FROM ledger_append_one(NULL::ledger_new_event)",
            "SELECT ledger_lock()",
            "TRUNCATE pursuit_versions",
            "DELETE FROM projection_checkpoints",
            "INSERT INTO articles (article_id, content_hash, name, published_on, body) "
            "VALUES ('a', 'h', 'n', '2025-01-01', 'b')",
            "CREATE TABLE sneaky (x int)",
        ):
            assert "permission denied" in refused(as_role, statement), (role, statement)
        assert _executable_functions(engine, role) == []


@pytest.mark.parametrize(
    ("writer", "reason"),
    [("Bad-Name", "lower-case"), ("rt; DROP ROLE postgres", "lower-case"),
     ("rt_same", "different names")],
)  # fmt: skip
def test_bad_or_repeated_role_names_are_refused_before_anything_happens(
    engine: sa.Engine, writer: str, reason: str
) -> None:
    with pytest.raises(InputError, match=reason):
        create_roles(engine, writer=writer, projector="rt_same", reader="rt_same")


def test_the_role_running_the_command_cannot_be_turned_into_a_least_privilege_role(
    engine: sa.Engine,
) -> None:
    with engine.connect() as conn:
        me = conn.execute(sa.text("SELECT current_user")).scalar_one()
    tag = uuid.uuid4().hex[:8]
    with pytest.raises(InputError, match="privileged or owns the schema"):
        create_roles(engine, writer=me, projector=f"rt_p_{tag}", reader=f"rt_r_{tag}")
    with engine.connect() as conn:
        assert conn.execute(
            sa.text("SELECT has_table_privilege(current_user, 'events', 'INSERT')")
        ).scalar_one()


def test_db_roles_reads_passwords_from_the_environment_and_never_prints_them(
    engine: sa.Engine, database_url: str
) -> None:
    made = new_roles()
    env = {**os.environ, "RUMOURS_DATABASE_URL": database_url}
    env.update(
        {
            f"RT_PW_{job}": made.passwords[name]
            for job, name in (
                ("WRITER", made.writer),
                ("PROJECTOR", made.projector),
                ("READER", made.reader),
            )
        }
    )
    command = [
        _rumours(),
        "-vv",
        "db",
        "roles",
        "--writer",
        made.writer,
        "--projector",
        made.projector,
        "--reader",
        made.reader,
        "--password-env",
        "RT_PW",
    ]
    try:
        done = subprocess.run(
            command, check=False, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        for secret in made.passwords.values():
            assert secret not in done.stdout + done.stderr
        assert "password from $RT_PW_WRITER" in done.stdout
        with create_ledger_engine(made.url(database_url, made.reader)).connect() as conn:
            assert conn.execute(sa.text("SELECT current_user")).scalar_one() == made.reader
        for role in (made.writer, made.projector, made.reader):
            assert_a_wrong_password_is_refused(database_url, role)
        _assert_stored_as_scram(engine, made)
    finally:
        drop_roles(engine, made.writer, made.projector, made.reader)


def _assert_stored_as_scram(engine: sa.Engine, made: Roles) -> None:
    with engine.connect() as conn:
        if not conn.execute(
            sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar_one():
            return  # only a superuser may read pg_authid; connecting above proved the password
        stored = conn.execute(
            sa.text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": made.writer}
        ).scalar_one()
    assert stored.startswith("SCRAM-SHA-256$") and made.passwords[made.writer] not in stored


def _rumours() -> str:
    found = shutil.which("rumours", path=str(Path(sys.executable).parent))
    assert found is not None, "the rumours console script is installed in the venv"
    return found


def test_roles_keep_their_privileges_on_projection_tables_after_a_rebuild(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    ingest(engine, [str(EXAMPLES)])
    rebuild(engine, quiet_days=90)
    with connect_as(roles.reader).connect() as conn:
        for table in PROJECTION_TABLES:
            conn.execute(sa.text(f"SELECT count(*) FROM {table}"))
    assert Boards(connect_as(roles.projector)).project() == 17


def test_a_createrole_owner_that_is_not_superuser_can_make_the_roles(
    engine: sa.Engine, server_url: str
) -> None:
    with engine.connect() as conn:
        if not conn.execute(
            sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar_one():
            pytest.skip("making a CREATEROLE owner for this test needs a superuser")
    made, tag = new_roles(), uuid.uuid4().hex[:10]
    owner, database = f"rt_owner_{tag}", f"rumours_roles_{tag}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{tag}'"))
        conn.execute(sa.text(f"CREATE DATABASE {database} OWNER {owner}"))
    owned_url = make_url(pg.with_database(server_url, database)).set(username=owner, password=tag)
    owned = create_ledger_engine(owned_url.render_as_string(hide_password=False))
    try:
        upgrade_to_head(owned)
        create_roles(
            owned,
            writer=made.writer,
            projector=made.projector,
            reader=made.reader,
            passwords=made.passwords,
        )
        writer = create_ledger_engine(
            made.url(owned_url.render_as_string(hide_password=False), made.writer)
        )
        assert ingest(writer, [str(EXAMPLES)]).appended == 17
        writer.dispose()
    finally:
        owned.dispose()
        pg.drop_database(server_url, database)
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    f"DROP ROLE IF EXISTS {made.writer}, {made.projector}, {made.reader}, {owner}"
                )
            )


def test_the_reader_lists_the_review_queue_but_only_the_writer_queues_and_decides(
    roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    writer, reader = connect_as(roles.writer), connect_as(roles.reader)
    report = ingest_articles(writer, [str(OWN_ARTICLE)], review_below=1.0)
    items = ReviewQueue(reader).pending()
    assert len(items) == report.queued >= 2
    for decide in (ReviewQueue(reader).accept, ReviewQueue(reader).reject):
        with pytest.raises(PermissionDeniedError):
            decide(items[0].short_id, reviewer="reader")
    assert ReviewQueue(writer).accept(items[0].short_id, reviewer="writer").appended
    assert ReviewQueue(writer).reject(items[1].short_id, reviewer="writer").first


READ_COMMANDS = (("status", "Marc Guehi"), ("club", "Lens"), ("history", "Ko Itakura"),
                 ("sources",))  # fmt: skip


def _run_rumours(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RUMOURS_DATABASE_URL": url}
    return subprocess.run([_rumours(), *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize("role", ["owner", "reader", "projector", "writer"])
def test_every_read_command_works_as_each_role_that_may_read_or_fails_in_one_line(
    engine: sa.Engine,
    database_url: str,
    roles: Roles,
    role: str,
) -> None:
    ingest(engine, [str(EXAMPLES)])
    Boards(engine).project()
    url = database_url if role == "owner" else roles.url(database_url, getattr(roles, role))
    for command in READ_COMMANDS:
        done = _run_rumours(url, *command, "--json")
        if role == "writer":
            # The writer appends; reading the projections is the reader's job (SPEC §7).
            assert (
                done.returncode == 3 and "lacks that privilege" in json.loads(done.stdout)["error"]
            )
            continue
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert json.loads(done.stdout)["position"] == 17


def test_a_reader_answers_at_the_projectors_checkpoint_when_the_ledger_is_ahead(
    engine: sa.Engine,
    database_url: str,
    roles: Roles,
    tmp_path: Path,
) -> None:
    ingest(engine, [str(EXAMPLES)])
    Boards(engine).project()
    claim = {"reported_on": "2025-02-04", "kind": "bid", "player": "Marc Guehi",
             "club": "Tottenham Hotspur", "source": "Sky Sports"}  # fmt: skip
    (tmp_path / "more.jsonl").write_text(json.dumps(claim) + "\n", encoding="utf-8")
    ingest(engine, [str(tmp_path / "more.jsonl")])
    done = _run_rumours(roles.url(database_url, roles.reader), "status", "Marc Guehi", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["position"] == 17
