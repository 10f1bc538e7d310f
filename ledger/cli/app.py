"""Entry point of the `rumours` command.

Settings and logging are set up once here. Commands from other packages (the projections'
query commands) plug in through the `rumours.commands` entry-point group, so `ledger` never
imports `projections`. Every error a user can cause ends here as one line on standard error
and a non-zero exit code; no traceback reaches a user unless RUMOURS_DEBUG=1.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points
from typing import Annotated

import typer

from ledger.cli import article_commands, db_commands, ingest_commands, review_commands
from ledger.cli.context import CliContext
from ledger.errors import DatabaseError, InputError, LedgerError
from ledger.settings import load_settings

app = typer.Typer(
    name="rumours",
    help="An event-sourced ledger of football transfer rumours.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

EXIT_INPUT, EXIT_DATABASE, EXIT_OTHER = 2, 3, 1


@app.callback()
def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url", help="PostgreSQL URL (else RUMOURS_DATABASE_URL, else embedded)."
        ),
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging.")] = 0,
) -> None:
    from ledger.logs import configure_logging  # structlog: not needed to print `--help`

    configure_logging(["WARNING", "INFO", "DEBUG"][min(verbose, 2)])
    ctx.obj = CliContext(load_settings().with_database_url(database_url))
    ctx.call_on_close(ctx.obj.close)


def _register_plugins() -> None:
    for entry in entry_points(group="rumours.commands"):
        entry.load()(app)


app.add_typer(db_commands.db_app, name="db")
app.add_typer(review_commands.review_app, name="review")
db_commands.register(app)
ingest_commands.register(app)
article_commands.register(app)


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"rumours: {' '.join(message.split())}\n")
    raise SystemExit(code)


UNEXPECTED_TEXT_LIMIT = 200


def unexpected_error_line(exc: BaseException) -> str:
    """One short, safe line for an error nobody anticipated: its type and its first line.

    SQLAlchemy's text for a failed statement goes on, after the driver's message, with the SQL
    and its bound parameters (claim contents; in a login, perhaps a password): never print them.
    """
    text = str(exc).strip()
    first = text.splitlines()[0].split("[SQL:")[0].strip() if text else ""
    if len(first) > UNEXPECTED_TEXT_LIMIT:
        first = first[:UNEXPECTED_TEXT_LIMIT] + "…"
    return f"unexpected {type(exc).__name__}: {first} (set RUMOURS_DEBUG=1 for details)"


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; translate every anticipated failure into one line and an exit code."""
    _register_plugins()
    try:
        # Not standalone: usage errors come back to us and are printed as one line too.
        code = app(args=argv, standalone_mode=False)
    except typer.Abort:
        _fail("interrupted; nothing partial was written (each run is one transaction)", 130)
    except typer.TyperException as exc:  # click's usage errors (unknown option, missing argument)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        _fail(f"{message} (see rumours --help)", EXIT_INPUT)
    except InputError as exc:
        _fail(str(exc), EXIT_INPUT)
    except DatabaseError as exc:
        _fail(str(exc), EXIT_DATABASE)
    except LedgerError as exc:
        _fail(str(exc), EXIT_OTHER)
    except KeyboardInterrupt:
        _fail("interrupted; nothing partial was written (each run is one transaction)", 130)
    except Exception as exc:
        if os.environ.get("RUMOURS_DEBUG"):
            raise
        _fail(unexpected_error_line(exc), EXIT_OTHER)
    raise SystemExit(code if isinstance(code, int) else 0)
