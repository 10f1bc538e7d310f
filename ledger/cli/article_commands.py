"""`rumours ingest-articles` and `rumours eval-extract`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli.context import context_of
from ledger.settings import DEFAULT_REVIEW_BELOW

# `ledger.extract` (18 modules of rules and lexicons) and the article pipeline are imported in
# the commands that use them: at import time they would add ~0.3 s to every `rumours` run.
if TYPE_CHECKING:
    from ledger.ingest.articles import ArticleReport


def register(app: typer.Typer) -> None:
    app.command("ingest-articles")(ingest_articles_command)
    app.command("eval-extract")(eval_extract_command)


def ingest_articles_command(
    ctx: typer.Context,
    files: Annotated[
        list[str], typer.Argument(help="Article files: `date YYYY-MM-DD` then the body.")
    ],
    publisher: Annotated[
        str | None,
        typer.Option("--publisher", help="Who published them (the source when none is cited)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the claims it would append; write nothing.")
    ] = False,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Drop claims below this extraction confidence (neither appended nor queued).",
        ),
    ] = 0.0,
    review_below: Annotated[
        float,
        typer.Option(
            "--review-below",
            min=0.0,
            max=1.0,
            help="Queue claims below this confidence for `rumours review` instead of appending "
            "them (0 appends every claim; docs/review.md).",
        ),
    ] = DEFAULT_REVIEW_BELOW,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the report (and claims) as JSON.")
    ] = False,
) -> None:
    """Store articles and append the claims extracted from them (SPEC §4.2)."""
    from ledger.ingest.articles import ingest_articles

    cli = context_of(ctx)
    report = ingest_articles(cli.engine(), files, publisher=publisher, dry_run=dry_run,
                             min_confidence=min_confidence, review_below=review_below)  # fmt: skip
    if json_output:
        cli.emit_json(report.as_json())
    else:
        _print(report)


def _print(report: ArticleReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if report.dry_run:
        for title, claims in (("claims that would be appended", report.claims),
                              ("claims that would wait for review", report.queued_claims)):  # fmt: skip
            table = Table(title=title, title_justify="left")
            for column in ("reported", "kind", "player", "club", "from", "fee", "source", "conf."):
                table.add_column(column)
            for claim in claims:
                extraction = claim.get("extraction") or {}
                table.add_row(str(claim.get("reported_on")), str(claim.get("kind")), str(claim.get("player") or ""),
                              str(claim.get("club") or ""), str(claim.get("from_club") or ""), str(claim.get("fee") or ""),
                              str(claim.get("source") or ""), f"{extraction.get('confidence', 0):.2f}")  # fmt: skip
            console.print(table)
    for error in report.errors:
        typer.echo(error, err=True)
    verb, queue_verb, new = (("would append", "would queue", "would store") if report.dry_run
                             else ("appended", "queued", "new"))  # fmt: skip
    dry = "dry run, nothing written: " if report.dry_run else ""
    typer.echo(f"{dry}articles {report.articles} ({new} {report.stored}), claims extracted {report.extracted}, "
               f"{verb} {report.appended}, duplicates {report.duplicates}, "
               f"{queue_verb} for review {report.queued} (already queued {report.already_queued}), "
               f"dropped below --min-confidence {report.dropped}")  # fmt: skip
    if report.queued and not report.dry_run:
        typer.echo("see them with: rumours review")


def eval_extract_command(
    articles: Annotated[list[str], typer.Argument(help="Article files to extract from.")],
    labels: Annotated[str, typer.Option("--labels", help="Hand-labelled claims (JSON Lines).")],
    min_precision: Annotated[
        float, typer.Option(help="Exit non-zero below this overall precision.")
    ] = 0.0,
    min_recall: Annotated[
        float, typer.Option(help="Exit non-zero below this overall recall.")
    ] = 0.0,
) -> None:
    """Precision and recall of the extractor, per kind and overall, against hand labels."""
    from ledger.extract import format_report, run_evaluation

    report = run_evaluation(articles, labels)
    typer.echo(format_report(report))
    if report.overall.precision < min_precision or report.overall.recall < min_recall:
        raise typer.Exit(1)
