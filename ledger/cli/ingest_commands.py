"""`rumours ingest` (structured claims) and `rumours retract`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import click

from ledger.cli.context import context_of
from ledger.errors import InputError

if TYPE_CHECKING:
    from ledger.ingest.pipeline import IngestReport

# The reader's formats, as a choice: a wrong value is refused by the command line itself.
Format = Literal["jsonl", "json", "csv"]
PROGRESS_MIN_BYTES = 1_000_000  # below this a bar only flickers


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


@click.command("ingest")
@click.argument("files", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Validate and count; write nothing.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Append the valid claims; write the rest to a rejects file.",
)
@click.option("--rejects", help="Where rejected claims go (default: beside the input).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(get_args(Format)),
    help="jsonl, json or csv (default: from the extension).",
)
@click.option("--json", "json_output", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def ingest_command(
    ctx: click.Context,
    files: tuple[str, ...],
    dry_run: bool,
    skip_invalid: bool,
    rejects: str | None,
    fmt: Format | None,
    json_output: bool,
) -> None:
    """Append structured claims (SPEC §4.1) from FILES (.jsonl, .json, .csv; - for stdin).

    Nothing is written if any claim is invalid."""
    from ledger.ingest.pipeline import ingest
    from ledger.ingest.readers import source_problem

    cli = context_of(ctx)
    for path in files:
        if problem := source_problem(path):
            raise InputError(problem)
    with _progress_bars(sys.stderr.isatty() and not json_output) as progress:
        report = ingest(cli.engine(), list(files), fmt=fmt, dry_run=dry_run, skip_invalid=skip_invalid,
                        rejects_path=rejects, progress=progress)  # fmt: skip
    _print_report(report, json_output)
    if not report.ok:
        raise click.exceptions.Exit(2)


def _print_report(report: IngestReport, json_output: bool) -> None:
    if json_output:
        click.echo(__import__("json").dumps(report.as_json(), ensure_ascii=False))
    else:
        for line in report.error_lines():
            click.echo(line, err=True)
    verb = "would append" if report.dry_run else "appended"
    summary = (f"read {report.read}, {verb} {report.appended}, duplicates {report.duplicates}, "
               f"rejected {report.rejected}")  # fmt: skip
    click.echo(summary + _outcome(report), err=json_output)


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


@click.command("retract")
@click.argument("event_id")
@click.option("--reason", required=True, help="Why it is withdrawn (kept in the ledger).")
@click.pass_context
def retract_command(ctx: click.Context, event_id: str, reason: str) -> None:
    """Withdraw a claim by appending a retraction event (the original stays in the ledger).

    EVENT_ID is the event id of the claim to withdraw, or a unique prefix of it."""
    from ledger.retract import event_id_from, retract

    engine = context_of(ctx).engine()
    target = event_id_from(engine, event_id)
    position = retract(engine, target, reason)
    click.echo(f"retracted {target} at position {position}")
