"""Human tables (rich) for the boards; `--json` bypasses this module entirely.

No table may cut a date, a status or a name. Dates never wrap and always get their full width;
every other cell wraps at spaces and folds a word too long for its column instead of ending it in
an ellipsis. Below `WIDE_COLUMNS` columns the tables stack related values into one cell (first
and last reported, status and flags) so that they fit an 80-column terminal. Output that is not a
terminal (a pipe, a file) is never fitted to a width at all: each table is as wide as it needs.

Every name, source, fee text and sentence comes from the ledger, so none of it is ever handed to
rich as a string: rich would read `[bold]` in a player's name as markup (restyling the table, or
raising on a stray `[/red]`) and `:smile:` as an emoji. Cells and lines are `Text` objects, which
rich prints exactly as written; only this module's own words carry styles.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from projections.boards import (
    ClubBoard,
    History,
    HistoryLine,
    PlayerBoard,
    PursuitLine,
    SourceBoard,
    TimePoint,
)
from projections.display import day_text, deal_text, fee_text

if TYPE_CHECKING:  # the track record's module brings SQLAlchemy and the fold: not for a board
    from projections.records import RecordBoard

WIDE_COLUMNS = 120  # below this, tables stack columns
_UNBOUNDED = 10_000  # "no width limit" for output that is not a terminal
_DATE = 10  # len("2025-02-03")
DATE_COLUMNS = frozenset({"since", "first", "last", "reported", "date"})


def console() -> Console:
    """A terminal is fitted; a pipe or a file gets lines as long as the tables need."""
    if sys.stdout.isatty():
        return Console()
    return Console(width=_UNBOUNDED, soft_wrap=True)


def _when(at: TimePoint) -> str:
    parts = [f"as of {at.as_of}" if at.as_of else "as of today"]
    if at.known_at:
        parts.append(f"known at {at.known_at.isoformat()}")
    parts.append(f"ledger position {at.position}")
    return ", ".join(parts)


def _table(title: str | None, columns: dict[str, int]) -> Table:
    """`columns`: name -> the width its values must keep; dates are never wrapped, others fold."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for name, keep in columns.items():
        if name in DATE_COLUMNS:
            table.add_column(name, no_wrap=True, min_width=_DATE)
        else:
            table.add_column(name, overflow="fold", min_width=keep or None)
    return table


def _cells(*values: str) -> list[Text]:
    """Table cells printed as written: ledger text is never read as markup (module docstring)."""
    return [Text(value) for value in values]


def _headline(name: str, at: TimePoint) -> Text:
    return Text.assemble((name, "bold"), f" - {_when(at)}")


def _flags(line: PursuitLine) -> list[str]:
    flags = [name for name, on in (("re-emerged", line.re_emerged and "re-emerged" not in line.status),
                                   ("contested", line.contested)) if on]  # fmt: skip
    if line.quiet_since is not None:
        flags.append(f"quiet since {line.quiet_since}")
    if line.likelihood is not None:
        flags.append(f"{_percent(line.likelihood)} likely")
    return flags


def _counterpart(line: PursuitLine, other: str) -> str:
    club = line.club if other == "club" else line.from_club
    return club or "unknown"


def _pursuit_table(
    title: str, lines: list[PursuitLine], other: str, *, wide: bool, with_player: bool
) -> Table:
    """`other` names the club column: the buyer ("club"), or the seller ("from")."""
    if wide:
        names = {"player": 0, other: 0} if with_player else {other: 0}
        dates = {"since": _DATE, "first": _DATE, "last": _DATE}
        table = _table(title, names | {"status": 0} | dates | {"claims": 0, "deal": 0, "flags": 0})
    else:  # stacked: who and with whom in one cell, status with its flags, first/last reported
        who = {f"player / {other}" if with_player else other: 15, "status": 11}
        dates = {"since": _DATE, "reported": _DATE}
        table = _table(title, who | dates | {"claims": 6, "deal": 10})
    for line in lines:
        club = _counterpart(line, other)
        first, last = str(line.first_reported), str(line.last_reported)
        since = day_text(line.since, line.since_precision)  # never a day that was not stated
        deal = deal_text(line.deal, line.latest_fee)
        if wide:
            names_cells = [line.player, club] if with_player else [club]
            table.add_row(*_cells(*names_cells, line.status, since, first, last,
                                  str(line.claims), deal, ", ".join(_flags(line))))  # fmt: skip
        else:
            who_cell = f"{line.player}\n{other} {club}" if with_player else club
            span = first if first == last else f"{first}\n{last}"
            table.add_row(*_cells(who_cell, "\n".join([line.status, *_flags(line)]), since,
                                  span, str(line.claims), deal))  # fmt: skip
    return table


def _pursuits(
    out: Console, title: str, lines: list[PursuitLine], other: str, *, with_player: bool = True
) -> None:
    if lines:
        wide = out.width >= WIDE_COLUMNS
        out.print(_pursuit_table(title, lines, other, wide=wide, with_player=with_player))
    else:
        out.print(f"{title}: none")


def print_player(board: PlayerBoard, out: Console | None = None) -> None:
    out = out or console()
    out.print(_headline(board.player, board.at))
    out.print(Text(f"current club: {board.current_club or 'unknown'}"))
    for label, fee in (("release clause", board.release_clause),
                       ("asking price", board.asking_price)):  # fmt: skip
        if fee:
            out.print(Text(f"{label}: {fee_text(fee)} (reported {fee['reported_on']})"))
    if not board.pursuits:
        out.print("pursuits: no club is reported to be after him at that time")
    _pursuits(out, "pursuits", board.pursuits, "club", with_player=False)


def print_club(board: ClubBoard, out: Console | None = None) -> None:
    out = out or console()
    out.print(_headline(board.club, board.at))
    if not (board.targets or board.wanted or board.bought or board.sold):
        out.print(Text(f"no claims about {board.club}'s transfers {_when(board.at).split(',')[0]}"))
        return
    _pursuits(out, "targets", board.targets, "from")
    _pursuits(out, "in (deals done)", board.bought, "from")
    _pursuits(out, "interest in its players", board.wanted, "club")
    _pursuits(out, "out (deals done)", board.sold, "club")


def _fold_day(line: HistoryLine) -> str:
    """The date the claim folds on (as precisely as stated), and when it was reported."""
    if line.effective_on is None:
        return str(line.reported_on)
    return f"{day_text(line.effective_on, line.effective_precision)}\nreported {line.reported_on}"


def _claim_cells(line: HistoryLine, *, wide: bool) -> list[str]:
    kind = line.kind + (" (background)" if line.background else "")
    seller = f"from {line.from_club}" if line.from_club else ""
    deal = deal_text(line.deal, line.fee)
    if wide:
        evidence = "" if line.evidence is None else line.evidence.text()
        return [kind, line.club or "", seller, deal, evidence]
    return ["\n".join(part for part in (kind, line.club, seller, deal) if part)]


def _status_cell(line: HistoryLine) -> str:
    if line.retracted:
        return "(retracted)"
    if line.same_as is not None:
        return f"(same claim as {line.same_as})"
    return line.status or ""


def print_history(history: History, out: Console | None = None) -> None:
    """Claims in fold order, numbered; on a narrow terminal the evidence follows the table."""
    out = out or console()
    out.print(_headline(history.player, history.at))
    if not history.claims:
        out.print("no claims about him in the ledger at that time")
        return
    wide = out.width >= WIDE_COLUMNS
    claim = {"kind": 0, "club": 0, "seller": 0, "deal": 0, "evidence": 0} if wide else {"claim": 15}
    ids = {"#": 0, "id": 8} if wide else {"# / id": 8}
    columns = ids | {"date": _DATE} | claim | {"source": 11, "status after": 11}
    table = _table("claims in fold order: by date, then in the order of a day's events", columns)
    table.columns[len(ids)].no_wrap = False  # "reported 2024-01-17" wraps at its space
    for order, line in enumerate(history.claims, start=1):
        id_cells = [str(order), line.short_id] if wide else [f"{order}\n{line.short_id}"]
        table.add_row(*_cells(*id_cells, _fold_day(line), *_claim_cells(line, wide=wide),
                              line.source or "", _status_cell(line)))  # fmt: skip
    out.print(table)
    if not wide:
        for order, line in enumerate(history.claims, start=1):
            if line.evidence is not None:
                out.print(Text(f"{order} {line.short_id}: {line.evidence.text()}", overflow="fold"))


def print_sources(board: SourceBoard, out: Console | None = None) -> None:
    out = out or console()
    if not board.sources:
        out.print(f"sources - {_when(board.at)}: no claims in the ledger at that time")
        return
    columns = ["source", "claims", "pursuits", "deal done", "lost out", "still open"]
    table = _table(f"sources - {_when(board.at)}", dict.fromkeys(columns, 0))
    for score in board.sources:
        counts = (score.claims, score.pursuits, score.deal_done, score.lost_out, score.still_open)
        table.add_row(*_cells(score.source, *map(str, counts)))
    out.print(table)


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


def print_record(board: RecordBoard, out: Console | None = None) -> None:
    out = out or console()
    columns = ["source", "type", "claims", "resolved", "hits", "hit rate", "95% interval",
               "median lead (days)", "retracted"]  # fmt: skip
    table = _table(f"track record - {_when(board.at)}", dict.fromkeys(columns, 0))
    for record in board.as_json()["sources"]:
        low, high = record["interval"]
        lead = record["median_lead_days"]
        table.add_row(*_cells(record["source"], record["type"], str(record["claims"]),
                              str(record["resolved"]), str(record["hits"]),
                              _percent(record["hit_rate"]),
                              f"{low:.0%}-{high:.0%}" if record["resolved"] else "",
                              "" if lead is None else f"{lead:g}",
                              str(record["retractions"])))  # fmt: skip
    out.print(table)
