"""The `rumours` command: the one place where the ledger's, the projections' and the web
server's commands come together (the composition root).

`ledger` never imports `projections` or `rumours_web`; this module imports all three and registers
each package's commands on one Typer app. The command modules import their heavy machinery
(SQLAlchemy, the fold, rich tables, the web stack) inside the command that needs it, so building
the app and parsing a command line stay light. Settings and logging are set up once here. Every
error a user can cause ends here as one line on standard error and a non-zero exit code; no
traceback reaches a user unless RUMOURS_DEBUG=1.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Annotated

import typer

from ledger.cli import article_commands, db_commands, ingest_commands, review_commands
from ledger.cli.context import CliContext
from ledger.errors import DatabaseError, InputError, LedgerError
from ledger.settings import load_settings
from projections import cli as projection_commands
from rumours_web import cli as web_commands

app = typer.Typer(
    name="rumours",
    help="An event-sourced ledger of football transfer rumours.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help: flags read as `--dry-run`, not `--dry-run <bool>`
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


app.add_typer(db_commands.db_app, name="db")
app.add_typer(review_commands.review_app, name="review")
db_commands.register(app)
ingest_commands.register(app)
article_commands.register(app)
projection_commands.register(app)
web_commands.register(app)


_VERBOSE = re.compile(r"-v+|--verbose")


def hoist_verbosity(argv: list[str]) -> list[str]:
    """Move `-v`/`-vv`/`--verbose` given after the command to the front, where the root takes it."""
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [arg for arg in argv[:end] if _VERBOSE.fullmatch(arg)]
    rest = [arg for arg in argv[:end] if not _VERBOSE.fullmatch(arg)]
    return flags + rest + argv[end:]


def _fail(message: str, code: int, *, as_json: bool = False) -> None:
    line = " ".join(message.split())
    if as_json:  # a script that asked for JSON gets its errors as JSON too, on standard output
        sys.stdout.write(json.dumps({"error": line, "exit_code": code}, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(f"rumours: {line}\n")
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
    args = hoist_verbosity(sys.argv[1:] if argv is None else argv)
    try:
        code = _run(args)
    except _CommandError as failure:
        _fail(failure.message, failure.code, as_json="--json" in args)
    raise SystemExit(code)


class _CommandError(Exception):
    """An anticipated failure of a command: its one-line message and exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message, self.code = message, code


# Typer checks typed values with pydantic, whose message starts "Value error, ": noise to a user.
_PYDANTIC_PREFIX = "Value error, "
_INTERRUPTED = "interrupted; nothing partial was written (each run is one transaction)"


def _run(args: list[str]) -> int:
    try:
        # Not standalone: usage errors come back to us and are printed as one line too.
        code = app(args=args, standalone_mode=False)
    except typer.Abort:
        raise _CommandError(_INTERRUPTED, 130) from None
    except typer.TyperException as exc:  # click's usage errors (unknown option, missing argument)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        message = message.replace(_PYDANTIC_PREFIX, "")
        raise _CommandError(f"{message} (see rumours --help)", EXIT_INPUT) from None
    except InputError as exc:
        raise _CommandError(str(exc), EXIT_INPUT) from None
    except DatabaseError as exc:
        raise _CommandError(str(exc), EXIT_DATABASE) from None
    except LedgerError as exc:
        raise _CommandError(str(exc), EXIT_OTHER) from None
    except KeyboardInterrupt:
        raise _CommandError(_INTERRUPTED, 130) from None
    except Exception as exc:
        if os.environ.get("RUMOURS_DEBUG"):
            raise
        raise _CommandError(unexpected_error_line(exc), EXIT_OTHER) from None
    return code if isinstance(code, int) else 0
