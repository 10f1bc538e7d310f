"""`rumours init` and `rumours db url|stop|roles`: the database itself."""

from __future__ import annotations

from typing import Annotated

import typer

from ledger.cli.context import context_of
from ledger.database import database_url, libpq_url, redact
from ledger.embedded import stop_embedded
from ledger.migrate import head_revision

db_app = typer.Typer(
    help="The database in use: its URL, the embedded server, roles.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(ctx: typer.Context) -> None:
    """Create or upgrade the schema (commands that need it also do this themselves)."""
    cli = context_of(ctx)
    cli.engine(migrate=True)
    typer.echo(f"schema at revision {head_revision()} on {redact(str(cli.engine().url))}")


@db_app.command("url")
def url(
    ctx: typer.Context,
    show_password: Annotated[bool, typer.Option(help="Print the password instead of ***.")] = False,
) -> None:
    """Print the database URL in use (starts the embedded server if that is the one)."""
    value = libpq_url(database_url(context_of(ctx).settings))
    typer.echo(value if show_password else redact(value))


@db_app.command("stop")
def stop(ctx: typer.Context) -> None:
    """Stop the embedded server (an external database is left alone)."""
    settings = context_of(ctx).settings
    if settings.database_url:
        typer.echo("using an external database (RUMOURS_DATABASE_URL); nothing to stop")
        return
    stopped = stop_embedded(settings.home)
    typer.echo("embedded server stopped" if stopped else "embedded server was not running")
