"""`rumours ingest-articles` and `rumours eval-extract`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ledger.cli.context import context_of
from ledger.settings import DEFAULT_REVIEW_BELOW

# `ledger.extract` (18 modules of rules and lexicons) and the article pipeline are imported in
# the commands that use them: at import time they would add ~0.3 s to every `rumours` run.
if TYPE_CHECKING:
    from ledger.ingest.articles import ArticleReport


@click.command("ingest-articles")
@click.argument("files", nargs=-1, required=True)
@click.option("--publisher", help="Who published them (the source when none is cited).")
@click.option("--dry-run", is_flag=True, help="Print the claims it would append; write nothing.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Drop claims below this extraction confidence (neither appended nor queued).",
)
@click.option(
    "--review-below",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_REVIEW_BELOW,
    show_default=True,
    help="Queue claims below this confidence for `rumours review` instead of appending "
    "them (0 appends every claim; docs/review.md).",
)
@click.option("--json", "json_output", is_flag=True, help="Print the report (and claims) as JSON.")
@click.pass_context
def ingest_articles_command(
    ctx: click.Context,
    files: tuple[str, ...],
    publisher: str | None,
    dry_run: bool,
    min_confidence: float,
    review_below: float,
    json_output: bool,
) -> None:
    """Store articles and append the claims extracted from them (SPEC §4.2).

    FILES are article files: `date YYYY-MM-DD` then the body."""
    from ledger.ingest.articles import ingest_articles

    cli = context_of(ctx)
    report = ingest_articles(cli.engine(), list(files), publisher=publisher, dry_run=dry_run,
                             min_confidence=min_confidence, review_below=review_below)  # fmt: skip
    if json_output:
        cli.emit_json(report.as_json())
    else:
        _print(report)


def _print(report: ArticleReport) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if report.dry_run:
        for title, claims in (("claims that would be appended", report.claims),
                              ("claims that would wait for review", report.queued_claims)):  # fmt: skip
            table = Table(title=title, title_justify="left")
            for column in ("reported", "kind", "player", "club", "from", "fee", "source", "conf."):
                table.add_column(column)
            for claim in claims:
                extraction = claim.get("extraction") or {}
                cells = (claim.get("reported_on"), claim.get("kind"), claim.get("player") or "",
                         claim.get("club") or "", claim.get("from_club") or "", claim.get("fee") or "",
                         claim.get("source") or "", f"{extraction.get('confidence', 0):.2f}")  # fmt: skip
                # Text, not str: names from articles are shown as written, never read as markup.
                table.add_row(*(Text(str(cell)) for cell in cells))
            console.print(table)
    for error in report.errors:
        click.echo(error, err=True)
    verb, queue_verb, new = (("would append", "would queue", "would store") if report.dry_run
                             else ("appended", "queued", "new"))  # fmt: skip
    dry = "dry run, nothing written: " if report.dry_run else ""
    click.echo(f"{dry}articles {report.articles} ({new} {report.stored}), claims extracted {report.extracted}, "
               f"{verb} {report.appended}, duplicates {report.duplicates}, "
               f"{queue_verb} for review {report.queued} (already queued {report.already_queued}), "
               f"dropped below --min-confidence {report.dropped}")  # fmt: skip
    if report.queued and not report.dry_run:
        click.echo("see them with: rumours review")


@click.command("eval-extract")
@click.argument("articles", nargs=-1, required=True)
@click.option("--labels", required=True, help="Hand-labelled claims (JSON Lines).")
@click.option(
    "--min-precision",
    type=float,
    default=0.0,
    show_default=True,
    help="Exit non-zero below this overall precision.",
)
@click.option(
    "--min-recall",
    type=float,
    default=0.0,
    show_default=True,
    help="Exit non-zero below this overall recall.",
)
def eval_extract_command(
    articles: tuple[str, ...], labels: str, min_precision: float, min_recall: float
) -> None:
    """Precision and recall of the extractor, per kind and overall, against hand labels.

    ARTICLES are the article files to extract from."""
    from ledger.extract import format_report, run_evaluation

    report = run_evaluation(list(articles), labels)
    click.echo(format_report(report))
    if report.overall.precision < min_precision or report.overall.recall < min_recall:
        raise click.exceptions.Exit(1)
