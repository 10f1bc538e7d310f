"""Tables a person reads: nothing cut at 80 columns, normalised money, one line when empty."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from projections import render
from projections.boards import (
    ClubBoard,
    Evidence,
    History,
    HistoryLine,
    PlayerBoard,
    PursuitLine,
    SourceBoard,
    SourceScore,
    TimePoint,
)
from projections.display import day_text, deal_text, fee_text

AT = TimePoint(as_of=date(2025, 2, 3), known_at=None, position=38)
LONG_CLUB = "Borussia Mönchengladbach"


def pursuit(player: str, club: str, status: str, **changes: object) -> PursuitLine:
    fields: dict[str, object] = dict(
        player=player, club=club, status=status, since=date(2025, 2, 3),
        first_reported=date(2024, 1, 17), last_reported=date(2025, 2, 3), claims=5,
        sources=("GIVEMESPORT",), latest_fee=None, bids=0, re_emerged=False, contested=False,
        from_club=LONG_CLUB, deal=None,
    )  # fmt: skip
    fields.update(changes)
    return PursuitLine(**fields)  # type: ignore[arg-type]


def rendered(show: object, width: int) -> str:
    out = Console(width=width, record=True, force_terminal=True)
    show(out)  # type: ignore[operator]
    return out.export_text()


PLAYER = PlayerBoard(
    player="Ko Itakura", player_id="ko-itakura", at=AT, current_club=LONG_CLUB,
    release_clause=None, asking_price=None,
    pursuits=[
        pursuit("Ko Itakura", "Tottenham Hotspur", "interest re-emerged", re_emerged=True,
                contested=True, quiet_since=date(2024, 1, 17)),
        pursuit("Ko Itakura", "Wolverhampton Wanderers", "rejected by player",
                latest_fee={"amount": "70000000", "currency": "GBP", "text": "£70 million-worth"},
                deal="loan_with_obligation"),
    ],
)  # fmt: skip
CLUB = ClubBoard(club="Tottenham Hotspur", at=AT,
                 targets=list(PLAYER.pursuits), wanted=[PLAYER.pursuits[1]],
                 bought=[pursuit("Kevin Danso", "Tottenham Hotspur", "deal done")],
                 sold=[])  # fmt: skip
HISTORY = History(player="Ko Itakura", at=AT, claims=[
    HistoryLine(position=28, event_id="503c287e-0000-4000-8000-000000000000",
                reported_on=date(2024, 1, 17), effective_on=date(2022, 1, 1), kind="deal_done",
                club=LONG_CLUB, from_club="Manchester City", source="Sky Deutschland",
                fee={"amount": "5000000", "currency": "EUR", "text": "€5million"},
                status="deal done", retracted=False, effective_precision="year", background=True,
                evidence=Evidence("b0c727d03617dedd", "He joined them from City in 2022.", None)),
])  # fmt: skip


PURSUIT_WORDS = ("2025-02-03", "2024-01-17", "re-emerged", "rejected", "Mönchengladbach",
                 "Wolverhampton", "Wanderers", "Tottenham", "Hotspur", "contested")  # fmt: skip


@pytest.mark.parametrize("width", [80, 100, 200])
@pytest.mark.parametrize(
    ("show", "words"),
    [(lambda out: render.print_player(PLAYER, out), PURSUIT_WORDS),
     (lambda out: render.print_club(CLUB, out), (*PURSUIT_WORDS, "Kevin", "Danso", "Itakura")),
     (lambda out: render.print_history(HISTORY, out),
      ("2024-01-17", "2022", "Mönchengladbach", "Manchester", "Deutschland", "503c287e"))],
    ids=["status", "club", "history"],
)  # fmt: skip
def test_no_table_cuts_a_date_a_status_or_a_name(
    show: object, words: tuple[str, ...], width: int
) -> None:
    text = rendered(show, width)
    assert "…" not in text
    assert all(len(line) <= width for line in text.splitlines())
    for whole in words:
        assert whole in text, (whole, text)


def test_piped_output_is_not_fitted_to_a_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    piped = render.console()  # pytest's stdout is not a terminal
    assert piped.width > 1000


def test_tables_show_normalised_fees_and_the_deal_type_not_the_raw_text() -> None:
    text = rendered(lambda out: render.print_player(PLAYER, out), 200)
    assert "loan with obligation £70m" in text
    assert "million-worth" not in text


def test_a_background_fact_shows_only_the_year_it_was_stated_with() -> None:
    text = rendered(lambda out: render.print_history(HISTORY, out), 200)
    assert "2022-01-01" not in text
    assert "2022" in text and "(background)" in text and "503c287e" in text


@pytest.mark.parametrize(
    ("show", "line"),
    [
        (lambda out: render.print_player(PlayerBoard("X Y", "x-y", AT, None, None, None, []), out),
         "no club is reported"),
        (lambda out: render.print_club(ClubBoard("Lens", AT, [], []), out), "no claims about Lens"),
        (lambda out: render.print_history(History("X Y", AT, []), out), "no claims about him"),
        (lambda out: render.print_sources(SourceBoard(AT, []), out), "no claims in the ledger"),
    ],
)  # fmt: skip
def test_an_empty_answer_says_so_in_one_line_instead_of_an_empty_table(
    show: object, line: str
) -> None:
    text = rendered(show, 80)
    assert line in text
    assert "─" not in text and "━" not in text


@pytest.mark.parametrize(
    ("fee", "deal", "shown"),
    [
        ({"amount": "70000000", "currency": "GBP", "text": "£70 million-worth"}, None, "£70m"),
        ({"amount": "20900000", "currency": "GBP", "text": "£20.9m"}, "permanent",
         "permanent £20.9m"),
        ({"amount": "8000000", "currency": "GBP", "text": "around £8m", "qualifier": "around"},
         None, "around £8m"),
        ({"amount": "100000000", "currency": "EUR", "text": "x", "add_ons": "5000000"}, None,
         "€100m + €5m add-ons"),
        ({"amount": "750000", "currency": "CHF", "text": "x"}, "loan", "loan CHF 750k"),
        ({"amount": None, "currency": None, "text": "undisclosed fee"}, None, "undisclosed"),
        (None, "loan_with_option", "loan with option"),
    ],
)  # fmt: skip
def test_fees_read_as_normalised_amounts_with_their_deal_type(
    fee: dict[str, object] | None, deal: str | None, shown: str
) -> None:
    assert deal_text(deal, fee) == shown


def test_a_date_is_shown_no_more_precisely_than_it_was_stated() -> None:
    day = date(2022, 1, 1)
    assert (day_text(day, "year"), day_text(day, "month"), day_text(day)) == (
        "2022", "2022-01", "2022-01-01")  # fmt: skip
    assert fee_text(None) == ""


HOSTILE = "[bold]Evil[/bold] [red]"  # rich markup in a name must be shown, never obeyed
STRAY = "Stray [/red] Close"  # a closing tag with no opening one: rich raises MarkupError on it


def hostile_boards() -> dict[str, object]:
    line = pursuit(HOSTILE, STRAY, "interest", from_club=STRAY)
    claim = HistoryLine(
        position=1, event_id="0f0f0f0f-0000-4000-8000-000000000000",
        reported_on=date(2025, 1, 2), effective_on=None, kind="interest", club=STRAY,
        from_club=STRAY, source=HOSTILE, fee=None, status="interest", retracted=False,
        evidence=Evidence(None, f"{HOSTILE} is wanted by {STRAY}.", None),
    )  # fmt: skip
    return {
        "status": lambda out: render.print_player(
            PlayerBoard(HOSTILE, "evil", AT, STRAY, None, None, [line]), out),
        "club": lambda out: render.print_club(ClubBoard(STRAY, AT, [line], [line]), out),
        "empty club": lambda out: render.print_club(ClubBoard(STRAY, AT, [], []), out),
        "history": lambda out: render.print_history(History(HOSTILE, AT, [claim]), out),
        "sources": lambda out: render.print_sources(
            SourceBoard(AT, [SourceScore(HOSTILE, 1, 1, 0, 0, 1)]), out),
    }  # fmt: skip


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("board", list(hostile_boards()))
def test_names_with_rich_markup_are_printed_as_written_not_read_as_styles(
    board: str, width: int
) -> None:
    out = Console(width=width, record=True, force_terminal=True)
    hostile_boards()[board](out)  # type: ignore[operator]
    text = out.export_text()
    styles = out.export_text(styles=True)
    wanted = [STRAY] if board in ("club", "empty club") else [HOSTILE]
    for word in " ".join(wanted).split():  # a narrow column may wrap a name at its spaces
        assert word in text, (word, text)
    assert "\x1b[31m" not in styles, "a name turned the rest of the table red"


@pytest.mark.parametrize("screen", ["status-80.txt", "club-80.txt", "history-80.txt"])
def test_the_80_column_captures_in_the_docs_cut_nothing(screen: str) -> None:
    path = Path(__file__).parents[2] / "docs" / "screens" / screen
    command, *lines = path.read_text(encoding="utf-8").splitlines()
    assert command.startswith("$ COLUMNS=80 rumours ")
    assert lines and "…" not in "".join(lines)
    assert max(len(line) for line in lines) <= 80
