"""Human tables (rich) for the boards; `--json` bypasses this module entirely."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from projections.boards import ClubBoard, History, PlayerBoard, PursuitLine, SourceBoard, TimePoint
from projections.records import RecordBoard

_console = Console()


def _fee(fee: dict[str, Any] | None) -> str:
    return "" if not fee else str(fee.get("text") or f"{fee.get('amount')} {fee.get('currency')}")


def _when(at: TimePoint) -> str:
    parts = [f"as of {at.as_of}" if at.as_of else "as of today"]
    if at.known_at:
        parts.append(f"known at {at.known_at.isoformat()}")
    parts.append(f"ledger position {at.position}")
    return ", ".join(parts)


def _pursuit_table(title: str, lines: list[PursuitLine], *, with_player: bool) -> Table:
    table = Table(title=title, title_justify="left")
    columns = (["player"] if with_player else []) + ["club", "status", "since", "first", "last",
                                                      "claims", "latest fee", "likelihood",
                                                      "flags"]  # fmt: skip
    for column in columns:
        table.add_column(column)
    for line in lines:
        flags = ", ".join(
            f for f, on in (("re-emerged", line.re_emerged), ("contested", line.contested)) if on
        )
        cells = [line.player] if with_player else []
        cells += [line.club, line.status, str(line.since), str(line.first_reported),
                  str(line.last_reported), str(line.claims), _fee(line.latest_fee),
                  _percent(line.likelihood), flags]  # fmt: skip
        table.add_row(*cells)
    return table


def print_player(board: PlayerBoard) -> None:
    _console.print(f"[bold]{board.player}[/bold] - {_when(board.at)}")
    _console.print(f"current club: {board.current_club or 'unknown'}")
    if board.release_clause:
        _console.print(
            f"release clause: {_fee(board.release_clause)} (reported {board.release_clause['reported_on']})"
        )
    if board.asking_price:
        _console.print(
            f"asking price: {_fee(board.asking_price)} (reported {board.asking_price['reported_on']})"
        )
    _console.print(_pursuit_table("pursuits", board.pursuits, with_player=False))


def print_club(board: ClubBoard) -> None:
    _console.print(f"[bold]{board.club}[/bold] - {_when(board.at)}")
    _console.print(_pursuit_table("targets", board.targets, with_player=True))
    _console.print(_pursuit_table("interest in its players", board.wanted, with_player=True))


def print_history(history: History) -> None:
    table = Table(title=f"{history.player} - {_when(history.at)}", title_justify="left")
    for column in ("reported", "kind", "club", "from", "source", "fee", "status after", "position"):
        table.add_column(column)
    for line in history.claims:
        status = "(retracted)" if line.retracted else (line.status or "")
        table.add_row(str(line.reported_on), line.kind, line.club or "", line.from_club or "",
                      line.source or "", _fee(line.fee), status, str(line.position))  # fmt: skip
    _console.print(table)


def print_sources(board: SourceBoard) -> None:
    table = Table(title=f"sources - {_when(board.at)}", title_justify="left")
    for column in ("source", "claims", "pursuits", "deal done", "lost out", "still open"):
        table.add_column(column)
    for score in board.sources:
        table.add_row(score.source, str(score.claims), str(score.pursuits), str(score.deal_done),
                      str(score.lost_out), str(score.still_open))  # fmt: skip
    _console.print(table)


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


def print_record(board: RecordBoard) -> None:
    table = Table(title=f"track record - {_when(board.at)}", title_justify="left")
    for column in ("source", "type", "claims", "resolved", "hits", "hit rate", "95% interval",
                   "median lead (days)", "retracted"):  # fmt: skip
        table.add_column(column)
    for record in board.as_json()["sources"]:
        low, high = record["interval"]
        lead = record["median_lead_days"]
        table.add_row(record["source"], record["type"], str(record["claims"]),
                      str(record["resolved"]), str(record["hits"]), _percent(record["hit_rate"]),
                      f"{low:.0%}-{high:.0%}" if record["resolved"] else "",
                      "" if lead is None else f"{lead:g}", str(record["retractions"]))  # fmt: skip
    _console.print(table)
