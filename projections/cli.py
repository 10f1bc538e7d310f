"""Query commands (`status`, `club`, `history`, `sources`, `project`) plugged into `rumours`.

Listed on the `rumours` group by its composition root (`rumours.cli`), which imports this module
only to run one of them, so the ledger's own commands never import the projections package. Each command is a thin layer over
`projections.api.Boards`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import click

if TYPE_CHECKING:
    from projections.api import Boards

from ledger.cli.context import CliContext, context_of
from projections.moments import parse_date, parse_moment

F = TypeVar("F", bound=Callable[..., Any])
_AS_OF = click.option("--as-of", help="Only claims reported on or before this date (YYYY-MM-DD).")
_KNOWN_AT = click.option(
    "--known-at", help="Only events recorded at or before this moment (ISO timestamp)."
)
_JSON = click.option("--json", "json", is_flag=True, help="Print JSON instead of a table.")


def _time_point_options(command: F) -> F:
    """--as-of, --known-at and --json: what every query command takes."""
    return _AS_OF(_KNOWN_AT(_JSON(command)))


def parse_as_of(text: str | None) -> date | None:
    return parse_date(text, "--as-of")


def parse_known_at(text: str | None) -> datetime | None:
    return parse_moment(text, "--known-at")


def _boards(cli: CliContext) -> Boards:
    # Imported on use, so that `rumours --help` and ledger commands start fast.
    from projections.api import Boards

    return Boards(cli.database(), quiet_days=cli.settings.quiet_days)


def _render() -> ModuleType:
    from projections import render  # rich's tables: not for --json answers

    return render


class _Answer(Protocol):
    def as_json(self) -> dict[str, Any]: ...


A = TypeVar("A", bound=_Answer)
Ask = Callable[["Boards", date | None, datetime | None], A]


def _answer(
    ctx: click.Context,
    ask: Ask[A],
    show: Callable[[A], None],
    *,
    as_of: str | None,
    known_at: str | None,
    as_json: bool,
    chosen: Callable[[A], tuple[str | None, str]] | None = None,
) -> None:
    """The one path of every query command: time point, answer, guess said, JSON or table.

    `chosen` gives (the name as typed, the name it was taken to mean) when a name was matched by a
    guess, which is said on stderr, so a wrong guess is never silent.
    """
    cli = context_of(ctx)
    answer = ask(_boards(cli), parse_as_of(as_of), parse_known_at(known_at))
    typed, meant = chosen(answer) if chosen is not None else (None, "")
    if typed is not None:
        click.echo(f"rumours: took '{typed}' to mean {meant}", err=True)
    if as_json:
        cli.emit_json(answer.as_json())
    else:
        show(answer)


@click.command("status")
@click.argument("player")
@_time_point_options
@click.pass_context
def status(
    ctx: click.Context, player: str, as_of: str | None, known_at: str | None, json: bool
) -> None:
    """A player's board: current club, release clause, asking price and every pursuit."""
    _answer(ctx, lambda boards, day, moment: boards.status(player, as_of=day, known_at=moment),
            lambda board: _render().print_player(board), as_of=as_of, known_at=known_at,
            as_json=json, chosen=lambda board: (board.guessed_from, board.player))  # fmt: skip


@click.command("club")
@click.argument("name")
@_time_point_options
@click.pass_context
def club(
    ctx: click.Context, name: str, as_of: str | None, known_at: str | None, json: bool
) -> None:
    """A club's board: its targets, the interest in its players, its deals in and out."""
    _answer(ctx, lambda boards, day, moment: boards.club(name, as_of=day, known_at=moment),
            lambda board: _render().print_club(board), as_of=as_of, known_at=known_at,
            as_json=json, chosen=lambda board: (board.guessed_from, board.club))  # fmt: skip


@click.command("history")
@click.argument("player")
@click.option("--club", help="Only this club's pursuit.")
@_time_point_options
@click.pass_context
def history(
    ctx: click.Context,
    player: str,
    club: str | None,
    as_of: str | None,
    known_at: str | None,
    json: bool,
) -> None:
    """A player's claims in fold order, each with the status after it."""
    _answer(ctx,
            lambda boards, day, moment: boards.history(player, club=club, as_of=day,
                                                       known_at=moment),
            lambda answer: _render().print_history(answer), as_of=as_of, known_at=known_at,
            as_json=json, chosen=lambda answer: (answer.guessed_from, answer.player))  # fmt: skip


@click.command("sources")
@click.option("--record", is_flag=True, help="Track record: predictions, hits, lead times.")
@_time_point_options
@click.pass_context
def sources(
    ctx: click.Context, record: bool, as_of: str | None, known_at: str | None, json: bool
) -> None:
    """Source leaderboard: claims made, and how the pursuits they reported ended."""
    if record:
        _answer(ctx, lambda boards, day, moment: boards.record(as_of=day, known_at=moment),
                lambda answer: _render().print_record(answer), as_of=as_of,
                known_at=known_at, as_json=json)  # fmt: skip
        return
    _answer(ctx, lambda boards, day, moment: boards.sources(as_of=day, known_at=moment),
            lambda board: _render().print_sources(board), as_of=as_of, known_at=known_at,
            as_json=json)  # fmt: skip


@click.command("project")
@click.option(
    "--rebuild", "rebuild_all", is_flag=True, help="Rebuild from zero and swap in atomically."
)
@click.option("--follow", is_flag=True, help="Keep projecting new events as they are committed.")
@_JSON
@click.pass_context
def project(ctx: click.Context, rebuild_all: bool, follow: bool, json: bool) -> None:
    """Catch the projections up with the ledger (or rebuild them, or follow it live)."""
    cli = context_of(ctx)
    boards = _boards(cli)
    if rebuild_all:
        started = time.perf_counter()
        from projections.rebuild import rebuild

        report = rebuild(cli.engine(), quiet_days=cli.settings.quiet_days)
        position = boards.project()
        result = {"rebuilt_events": report.events, "rows": report.rows, "position": position,
                  "seconds": round(time.perf_counter() - started, 3)}  # fmt: skip
    else:
        position = boards.project()
        result = {"position": position}
    if not json:  # the projection is committed: say so before the book, which may take minutes
        click.echo(", ".join(f"{key} {value}" for key, value in result.items()))
    # The follower's child fits the head's book as soon as it follows: it need not wait for it.
    failed = _books_after(ctx, position, rebuilt=rebuild_all, fit=not follow)
    if json:
        cli.emit_json(result if failed is None else {**result, "book_error": failed})
    if follow:
        from projections.follow import follow_forever

        if not json:
            click.echo("following the ledger; each batch projected is one line (Ctrl-C stops)")
        follow_forever(
            cli.engine(),
            quiet_days=cli.settings.quiet_days,
            retry_for=cli.settings.follow_retry_seconds,
            announce=lambda line: click.echo(f"rumours: {line}", err=True),
            on_projected=lambda before, after: _say_projected(before, after, json=json),
        )


def _books_after(ctx: click.Context, position: int, *, rebuilt: bool, fit: bool) -> str | None:
    """After the projection is committed: forget the books fitted before a rebuild, and fit the
    head's (so the first board read finds it). A failure here is not the projection's: it is
    said as the book's, in one line, and the command still succeeds (a board read fits the book
    it needs); None when all went well."""
    from ledger.errors import LedgerError
    from projections.books_ahead import fit_book_ahead, forget_stored_books

    cli = context_of(ctx)
    try:
        if rebuilt:
            forget_stored_books(cli.engine())
        if fit:
            fit_book_ahead(cli.engine(), position, quiet_days=cli.settings.quiet_days)
    except LedgerError as exc:
        reason = str(exc)
    except KeyboardInterrupt:
        reason = "interrupted"
    else:
        return None
    click.echo(f"rumours: projected to position {position}; its likelihood book was not fitted:"
               f" {reason}; a board read will fit it", err=True)  # fmt: skip
    if reason == "interrupted":
        ctx.exit(130)
    return reason


def _say_projected(before: int, after: int, *, json: bool) -> None:
    """One line per batch (JSON with --json): where the projection got to, and how many events."""
    from json import dumps  # the `json` flag shadows the module's name here

    batch = {"at": datetime.now(UTC).strftime("%H:%M:%S"), "position": after,
             "events": after - before}  # fmt: skip
    text = f"{batch['at']} projected to position {after} (+{after - before} events)"
    click.echo(dumps(batch) if json else text)  # echo flushes: a pipe sees each batch at once
