"""`rumours init` and `rumours db url|stop|roles`: the database itself."""

from __future__ import annotations

import os

import click

from ledger.cli.context import context_of

# The database modules are imported inside each command: they bring SQLAlchemy, psycopg and
# Alembic (~0.3 s), which `rumours --help` and every other command would otherwise pay for.


@click.group("db", no_args_is_help=True)
def db_group() -> None:
    """The database in use: its URL, the embedded server, roles."""


@click.command("init")
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create or upgrade the schema (commands that need it also do this themselves)."""
    from ledger.database import redact
    from ledger.migrate import head_revision

    cli = context_of(ctx)
    cli.engine(migrate=True)
    click.echo(f"schema at revision {head_revision()} on {redact(str(cli.engine().url))}")


@db_group.command("url")
@click.option(
    "--show-password/--no-show-password",
    help="Print the password instead of ***.",
    show_default=True,
)
@click.pass_context
def url(ctx: click.Context, show_password: bool) -> None:
    """Print the database URL in use (starts the embedded server if that is the one)."""
    from ledger.connections import database_url
    from ledger.urls import libpq_url, redact

    value = libpq_url(database_url(context_of(ctx).settings))
    click.echo(value if show_password else redact(value))


@db_group.command("stop")
@click.pass_context
def stop(ctx: click.Context) -> None:
    """Stop the embedded server (an external database is left alone)."""
    from ledger.embedded import stop_embedded

    settings = context_of(ctx).settings
    if settings.database_url:
        click.echo("using an external database (RUMOURS_DATABASE_URL); nothing to stop")
        return
    stopped = stop_embedded(settings.home)
    click.echo("embedded server stopped" if stopped else "embedded server was not running")


_ROLE_HELP = "Name of the role (created if missing)."


@db_group.command("roles")
@click.option("--writer", default="rumours_writer", show_default=True, help=_ROLE_HELP)
@click.option("--projector", default="rumours_projector", show_default=True, help=_ROLE_HELP)
@click.option("--reader", default="rumours_reader", show_default=True, help=_ROLE_HELP)
@click.option(
    "--password-env",
    "env_prefix",
    default="RUMOURS_PASSWORD",
    show_default=True,
    help="Passwords are read from VAR_WRITER, VAR_PROJECTOR and VAR_READER "
    "(never from the command line); a role whose variable is unset keeps its password.",
)
@click.pass_context
def roles(ctx: click.Context, writer: str, projector: str, reader: str, env_prefix: str) -> None:
    """Create or update least-privilege writer, projector and reader roles (SPEC §7)."""
    from ledger.db_roles import create_roles
    from ledger.urls import as_user_without_password, libpq_url, url_text

    cli = context_of(ctx)
    variables = {name: f"{env_prefix}_{job}" for job, name in
                 (("WRITER", writer), ("PROJECTOR", projector), ("READER", reader))}  # fmt: skip
    passwords = {name: os.environ[var] for name, var in variables.items() if os.environ.get(var)}
    engine = cli.engine(migrate=True)
    for outcome in create_roles(
        engine, writer=writer, projector=projector, reader=reader, passwords=passwords
    ):
        state = "created" if outcome.created else "updated"
        secret = (f"password from ${variables[outcome.name]}" if outcome.password_set
                  else f"password unchanged (${variables[outcome.name]} is not set)")  # fmt: skip
        tables = ", ".join(outcome.grants)
        click.echo(f"{outcome.job} {outcome.name}: {state}; {secret}; tables: {tables}")
        # A URL psql takes as it is (no driver suffix, no password: libpq asks or reads PGPASSWORD).
        # Built from the text: SQLAlchemy's `URL.set(password=None)` keeps the old password.
        url = libpq_url(as_user_without_password(url_text(engine.url), outcome.name))
        click.echo(f"  connect as {outcome.job}: {url}")
