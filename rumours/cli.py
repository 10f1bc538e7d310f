"""The `rumours` command: the one place where the ledger's, the projections' and the web
server's commands come together (the composition root).

`ledger` never imports `projections` or `rumours_web`; this module names every package's commands
on one click group (`COMMANDS`) and imports a command's module when that command runs. The
command modules import their heavy machinery (SQLAlchemy, the fold, rich tables, the web stack)
inside the command that needs it, so parsing a command line and starting a warm query stay light. Settings and logging are set up once here. Every
error a user can cause ends here as one line on standard error and a non-zero exit code; no
traceback reaches a user unless RUMOURS_DEBUG=1.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys

import click

from ledger.cli.context import CliContext
from ledger.errors import DatabaseError, InputError, LedgerError
from ledger.settings import load_settings

# Every command, by name: the module that defines it and its name there. A command's module is
# imported only when it runs (or when `--help` lists the commands), so a warm `rumours status`
# loads the query commands and nothing of ingest, review, the extractor or the web server.
COMMANDS = {
    "init": "ledger.cli.db_commands:init",
    "db": "ledger.cli.db_commands:db_group",
    "review": "ledger.cli.review_commands:review_group",
    "ingest": "ledger.cli.ingest_commands:ingest_command",
    "retract": "ledger.cli.ingest_commands:retract_command",
    "ingest-articles": "ledger.cli.article_commands:ingest_articles_command",
    "eval-extract": "ledger.cli.article_commands:eval_extract_command",
    "status": "projections.cli:status",
    "club": "projections.cli:club",
    "history": "projections.cli:history",
    "sources": "projections.cli:sources",
    "project": "projections.cli:project",
    "serve": "rumours_web.cli:serve",
}


class _Commands(click.Group):
    """The `rumours` group: its commands are found in `COMMANDS` and imported on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        module, name = where.split(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command), where
        return command


@click.group("rumours", cls=_Commands, no_args_is_help=True)
@click.option("--database-url", help="PostgreSQL URL (else RUMOURS_DATABASE_URL, else embedded).")
@click.option("--verbose", "-v", count=True, help="More logging.")
@click.pass_context
def app(ctx: click.Context, database_url: str | None, verbose: int) -> None:
    """An event-sourced ledger of football transfer rumours."""
    from ledger.logs import configure_logging  # structlog: not needed to print `--help`

    configure_logging(["WARNING", "INFO", "DEBUG"][min(verbose, 2)])
    ctx.obj = CliContext(load_settings().with_database_url(database_url))
    ctx.call_on_close(ctx.obj.close)


EXIT_INPUT, EXIT_DATABASE, EXIT_OTHER = 2, 3, 1

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


_INTERRUPTED = "interrupted; nothing partial was written (each run is one transaction)"


def _run(args: list[str]) -> int:
    try:
        # Not standalone: usage errors come back to us and are printed as one line too.
        code = app.main(args=args, prog_name="rumours", standalone_mode=False)
    except click.Abort:
        raise _CommandError(_INTERRUPTED, 130) from None
    except click.exceptions.NoArgsIsHelpError as exc:  # `rumours`, `rumours db`: the help, as is
        sys.stderr.write(exc.format_message() + "\n")
        return EXIT_INPUT
    except click.ClickException as exc:  # usage errors (unknown option, missing argument)
        raise _CommandError(f"{exc.format_message()} (see rumours --help)", EXIT_INPUT) from None
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
