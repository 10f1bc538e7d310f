"""`rumours review` (list the queue), `rumours review accept ID`, `rumours review reject ID`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ledger.cli.context import context_of

if TYPE_CHECKING:  # the review package pulls in SQLAlchemy and the resolvers: only when used
    from rich.text import Text

    from ledger.review import Decision, ReviewItem, ReviewQueue

_ITEM = click.argument("item", metavar="ID")
_REVIEWER = click.option("--reviewer", help="Who decides (default: your login name).")
_JSON = click.option("--json", "json_output", is_flag=True, help="Print the result as JSON.")


def _queue(ctx: click.Context) -> ReviewQueue:
    from ledger.review import ReviewQueue

    return ReviewQueue(context_of(ctx).engine())


@click.group("review", invoke_without_command=True)
@click.option(
    "--all", "include_decided", is_flag=True, help="Include items already accepted or rejected."
)
@_JSON
@click.pass_context
def review_group(ctx: click.Context, include_decided: bool, json_output: bool) -> None:
    """Claims too unsure for the ledger, waiting for a person to accept or reject them.

    Without a command: list the claims waiting for review (oldest first)."""
    if ctx.invoked_subcommand is not None:
        return
    items = _queue(ctx).items(include_decided=include_decided)
    if json_output:
        context_of(ctx).emit_json({"items": [item.as_json() for item in items]})
    else:
        _print_items(items, include_decided)


@review_group.command("accept")
@_ITEM
@_REVIEWER
@_JSON
@click.pass_context
def accept_command(ctx: click.Context, item: str, reviewer: str | None, json_output: bool) -> None:
    """Append the claim to the ledger as an ordinary event, with you as its reviewer.

    ID is the item's id, or a unique prefix of it (as `rumours review` shows)."""
    decision = _queue(ctx).accept(item, reviewer=reviewer)
    _print_decision(ctx, decision, json_output)


@review_group.command("reject")
@_ITEM
@_REVIEWER
@click.option("--reason", help="Why (kept with the decision).")
@_JSON
@click.pass_context
def reject_command(
    ctx: click.Context, item: str, reviewer: str | None, reason: str | None, json_output: bool
) -> None:
    """Keep the claim out of the ledger (the decision is recorded and final).

    ID is the item's id, or a unique prefix of it (as `rumours review` shows)."""
    decision = _queue(ctx).reject(item, reviewer=reviewer, reason=reason)
    _print_decision(ctx, decision, json_output)


def _print_decision(ctx: click.Context, decision: Decision, json_output: bool) -> None:
    if json_output:
        context_of(ctx).emit_json(decision.as_json())
        return
    short = decision.item_id.hex[:8]
    when = f"{decision.decided_at:%Y-%m-%d %H:%M}Z"
    if not decision.first:
        click.echo(f"{short} was already {decision.verdict.value} by {decision.reviewer} "
                   f"on {when}{_where(decision)}; nothing changed")  # fmt: skip
    elif decision.event_id is None:
        click.echo(f"rejected {short}; the claim stays out of the ledger")
    else:
        found = "appended" if decision.appended else "already in the ledger"
        click.echo(f"accepted {short}: {found}{_where(decision)}")


def _where(decision: Decision) -> str:
    if decision.event_id is None:
        return ""
    return f" (event {decision.event_id}, position {decision.position})"


def _print_items(items: list[ReviewItem], include_decided: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    title = "review queue" if include_decided else "claims waiting for review"
    table = Table(title=f"{title}: {len(items)}", title_justify="left")
    for column in ("id", "player", "kind", "club", "conf.", "sentence"):
        table.add_column(column, overflow="fold")
    if include_decided:
        table.add_column("decision")
    for item in items:
        claim = item.claim
        # Text, not str: names from articles are shown as written, never read as rich markup.
        row = [Text(item.short_id), Text(str(claim.get("player") or "")),
               Text(str(claim.get("kind"))), Text(str(claim.get("club") or "")),
               Text(f"{item.confidence:.2f}"), _highlighted(item)]  # fmt: skip
        if include_decided:
            decided = item.decision
            verdict = "" if decided is None else f"{decided.verdict.value} by {decided.reviewer}"
            row.append(Text(verdict))
        table.add_row(*row)
    Console().print(table)
    if not include_decided:
        click.echo("accept: rumours review accept ID   reject: rumours review reject ID")


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
