"""`rumours ingest` (structured claims) and `rumours retract`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from ledger.cli.context import context_of
from ledger.errors import InputError

if TYPE_CHECKING:
    from ledger.ingest.pipeline import IngestReport

# The reader's formats, as a typed choice: a wrong value is refused by the command line itself.
Format = Literal["jsonl", "json", "csv"]
PROGRESS_MIN_BYTES = 1_000_000  # below this a bar only flickers


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("retract")(retract_command)


@contextmanager
def _progress_bars(show: bool) -> Iterator[Callable[[str], Callable[[int], None] | None]]:
    if not show:
        yield lambda path: None
        return
    # Imported here: rich's progress machinery is only needed when a big file is read at a tty.
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bars:  # fmt: skip

        def for_path(path: str) -> Callable[[int], None] | None:
            size = Path(path).stat().st_size if path != "-" else 0  # a pipe's size is 0 too
            if size < PROGRESS_MIN_BYTES:
                return None
            task = bars.add_task(Path(path).name, total=size)
            return lambda done: bars.update(task, completed=done)

        yield for_path


def ingest_command(
    ctx: typer.Context,
    files: Annotated[
        list[str], typer.Argument(help="Claim files (.jsonl, .json, .csv) or - for stdin.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and count; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Append the valid claims; write the rest to a rejects file."
        ),
    ] = False,
    rejects: Annotated[
        str | None,
        typer.Option("--rejects", help="Where rejected claims go (default: beside the input)."),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", help="jsonl, json or csv (default: from the extension)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Append structured claims (SPEC §4.1). Nothing is written if any claim is invalid."""
    from ledger.ingest.pipeline import ingest
    from ledger.ingest.readers import source_problem

    cli = context_of(ctx)
    for path in files:
        if problem := source_problem(path):
            raise InputError(problem)
    with _progress_bars(sys.stderr.isatty() and not json_output) as progress:
        report = ingest(cli.engine(), files, fmt=fmt, dry_run=dry_run, skip_invalid=skip_invalid,
                        rejects_path=rejects, progress=progress)  # fmt: skip
    _print_report(report, json_output)
    if not report.ok:
        raise typer.Exit(2)


def _print_report(report: IngestReport, json_output: bool) -> None:
    if json_output:
        typer.echo(__import__("json").dumps(report.as_json(), ensure_ascii=False))
    else:
        for line in report.error_lines():
            typer.echo(line, err=True)
    verb = "would append" if report.dry_run else "appended"
    summary = (f"read {report.read}, {verb} {report.appended}, duplicates {report.duplicates}, "
               f"rejected {report.rejected}")  # fmt: skip
    typer.echo(summary + _outcome(report), err=json_output)


def _outcome(report: IngestReport) -> str:
    """What became of the run, after its counts."""
    if report.errors and not report.skip_invalid:
        return " - nothing was written (fix the lines above, or use --skip-invalid)"
    if report.errors and not report.ok:
        return " - every claim was rejected; nothing was written"
    if report.rejects_file:
        return f" - rejects written to {report.rejects_file}"
    if report.dry_run:
        return " - dry run: nothing was written" + (", no rejects file" if report.errors else "")
    if report.read and not report.appended:
        return " - every claim was already in the ledger"
    return ""


def retract_command(
    ctx: typer.Context,
    event_id: Annotated[
        str,
        typer.Argument(help="The event id of the claim to withdraw, or a unique prefix of it."),
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why it is withdrawn (kept in the ledger).")
    ],
) -> None:
    """Withdraw a claim by appending a retraction event (the original stays in the ledger)."""
    from ledger.retract import event_id_from, retract

    engine = context_of(ctx).engine()
    target = event_id_from(engine, event_id)
    position = retract(engine, target, reason)
    typer.echo(f"retracted {target} at position {position}")
