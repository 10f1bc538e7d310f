"""`rumours review` (list the queue), `rumours review accept ID`, `rumours review reject ID`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli.context import context_of

if TYPE_CHECKING:  # the review package pulls in SQLAlchemy and the resolvers: only when used
    from rich.text import Text

    from ledger.review import Decision, ReviewItem, ReviewQueue

review_app = typer.Typer(
    help="Claims too unsure for the ledger, waiting for a person to accept or reject them.",
    invoke_without_command=True,
    no_args_is_help=False,
)

ItemArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="The item's id, or a unique prefix of it (as `rumours review` shows)."
    ),
]
ReviewerOption = Annotated[
    str | None, typer.Option("--reviewer", help="Who decides (default: your login name).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _queue(ctx: typer.Context) -> ReviewQueue:
    from ledger.review import ReviewQueue

    return ReviewQueue(context_of(ctx).engine())


@review_app.callback()
def list_command(
    ctx: typer.Context,
    include_decided: Annotated[
        bool, typer.Option("--all", help="Include items already accepted or rejected.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """List the claims waiting for review (oldest first)."""
    if ctx.invoked_subcommand is not None:
        return
    items = _queue(ctx).items(include_decided=include_decided)
    if json_output:
        context_of(ctx).emit_json({"items": [item.as_json() for item in items]})
    else:
        _print_items(items, include_decided)


@review_app.command("accept")
def accept_command(
    ctx: typer.Context,
    item: ItemArgument,
    reviewer: ReviewerOption = None,
    json_output: JsonOption = False,
) -> None:
    """Append the claim to the ledger as an ordinary event, with you as its reviewer."""
    decision = _queue(ctx).accept(item, reviewer=reviewer)
    _print_decision(ctx, decision, json_output)


@review_app.command("reject")
def reject_command(
    ctx: typer.Context,
    item: ItemArgument,
    reviewer: ReviewerOption = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (kept with the decision).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Keep the claim out of the ledger (the decision is recorded and final)."""
    decision = _queue(ctx).reject(item, reviewer=reviewer, reason=reason)
    _print_decision(ctx, decision, json_output)


def _print_decision(ctx: typer.Context, decision: Decision, json_output: bool) -> None:
    if json_output:
        context_of(ctx).emit_json(decision.as_json())
        return
    short = decision.item_id.hex[:8]
    when = f"{decision.decided_at:%Y-%m-%d %H:%M}Z"
    if not decision.first:
        typer.echo(f"{short} was already {decision.verdict.value} by {decision.reviewer} "
                   f"on {when}{_where(decision)}; nothing changed")  # fmt: skip
    elif decision.event_id is None:
        typer.echo(f"rejected {short}; the claim stays out of the ledger")
    else:
        found = "appended" if decision.appended else "already in the ledger"
        typer.echo(f"accepted {short}: {found}{_where(decision)}")


def _where(decision: Decision) -> str:
    if decision.event_id is None:
        return ""
    return f" (event {decision.event_id}, position {decision.position})"


def _print_items(items: list[ReviewItem], include_decided: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    title = "review queue" if include_decided else "claims waiting for review"
    table = Table(title=f"{title}: {len(items)}", title_justify="left")
    for column in ("id", "player", "kind", "club", "conf.", "sentence"):
        table.add_column(column, overflow="fold")
    if include_decided:
        table.add_column("decision")
    for item in items:
        claim = item.claim
        row: list[str | Text] = [item.short_id, str(claim.get("player") or ""),
                                 str(claim.get("kind")), str(claim.get("club") or ""),
                                 f"{item.confidence:.2f}", _highlighted(item)]  # fmt: skip
        if include_decided:
            decided = item.decision
            row.append("" if decided is None else f"{decided.verdict.value} by {decided.reviewer}")
        table.add_row(*row)
    Console().print(table)
    if not include_decided:
        typer.echo("accept: rumours review accept ID   reject: rumours review reject ID")


def _highlighted(item: ReviewItem) -> Text:
    """The sentence (the claim's span of the article), with the player and club it names bold.

    The extractor's span is the whole sentence, so what a reviewer needs to see inside it is which
    words the claim was built from: the player (full name or surname) and the club.
    """
    from rich.text import Text

    text = Text(item.sentence)
    player = str(item.claim.get("player") or "")
    surname = player.rsplit(maxsplit=1)[-1] if player else ""
    club = str(item.claim.get("club") or "")
    for name, style in ((player, "bold cyan"), (surname, "bold cyan"), (club, "bold yellow")):
        if len(name) >= 3:
            text.highlight_words([name], style=style, case_sensitive=False)
    return text
