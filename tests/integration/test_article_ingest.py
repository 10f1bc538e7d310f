"""`ingest-articles`: the seed articles give the boards of SPEC §6, in any order, once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.errors import ArticleFormatError, InputError
from ledger.ingest.articles import ingest_articles
from projections.api import Boards

OWN_ARTICLES = sorted((Path(__file__).resolve().parents[1] / "articles").glob("*.txt"))


def _seed_paths(seeds_dir: Path) -> list[str]:
    return [str(path) for path in sorted(seeds_dir.glob("*.txt"))]


def _assert_spec_6_boards(boards: Boards) -> None:
    itakura = boards.status("Ko Itakura", as_of=date(2025, 2, 3))
    spurs = itakura.pursuit("Tottenham Hotspur")
    assert spurs is not None and spurs.status == "interest re-emerged"
    assert spurs.first_reported == date(2024, 1, 17)
    liverpool = itakura.pursuit("Liverpool")
    assert liverpool is not None and liverpool.status not in {"lost out", "cooled", "collapsed"}
    assert itakura.release_clause is not None and itakura.release_clause["amount"] == "15000000"
    assert itakura.release_clause["reported_on"] == "2024-01-17"
    early = boards.status("Ko Itakura", as_of=date(2024, 6, 1)).pursuit("Tottenham Hotspur")
    assert early is not None and early.status != "interest re-emerged" and not early.re_emerged
    guehi = boards.status("Marc Guehi", as_of=date(2025, 2, 3)).pursuit("Tottenham Hotspur")
    assert guehi is not None and guehi.status == "bid rejected"
    assert guehi.latest_fee is not None and guehi.latest_fee["amount"] == "70000000"
    danso = boards.status("Kevin Danso").pursuit("Tottenham Hotspur")
    assert (
        danso is not None and danso.status == "deal done" and danso.deal == "loan_with_obligation"
    )
    khusanov = {p.club: p for p in boards.status("Khusanov", as_of=date(2025, 1, 5)).pursuits}
    assert khusanov["Tottenham Hotspur"].status == "interest"
    assert khusanov["Manchester City"].status in {"interest", "enquiry"}
    for rival in (
        "Marseille",
        "Paris Saint-Germain",
        "Wolverhampton Wanderers",
        "Newcastle United",
    ):
        assert khusanov[rival].status == "interest"
    disasi = boards.status("Axel Disasi")
    assert disasi.pursuit("Tottenham Hotspur").status == "collapsed"  # type: ignore[union-attr]
    assert disasi.pursuit("Aston Villa").status in {"deal agreed", "talks"}  # type: ignore[union-attr]


def test_the_seed_articles_give_the_spec_boards(engine: sa.Engine, seeds_dir: Path) -> None:
    report = ingest_articles(engine, _seed_paths(seeds_dir), publisher="Football FanCast")
    assert report.errors == [] and report.appended == len(report.claims) > 15
    _assert_spec_6_boards(Boards(engine))


def test_the_seeds_in_reverse_order_give_the_same_boards_and_reingest_appends_nothing(
    engine: sa.Engine, seeds_dir: Path
) -> None:
    for path in reversed(_seed_paths(seeds_dir)):
        ingest_articles(engine, [path])
    _assert_spec_6_boards(Boards(engine))
    again = ingest_articles(engine, _seed_paths(seeds_dir))
    assert (again.appended, again.stored) == (0, 0)


def test_own_articles_are_stored_once_and_linked_to_their_claims(engine: sa.Engine) -> None:
    paths = [str(p) for p in OWN_ARTICLES]
    first = ingest_articles(engine, paths, publisher="Test Wire")
    assert first.stored == len(paths) and first.appended > 50
    with engine.connect() as conn:
        linked = conn.execute(sa.text(
            "SELECT count(*) FROM events e JOIN articles a ON a.article_id = e.metadata->>'article_id'"
        )).scalar_one()  # fmt: skip
        assert linked == first.appended
        spans = conn.execute(
            sa.text("SELECT payload->'extraction'->'span' FROM events LIMIT 1")
        ).scalar_one()
        assert isinstance(spans, list) and spans[0] < spans[1]
    assert ingest_articles(engine, paths).stored == 0


def test_a_file_without_the_date_header_is_refused_before_anything_is_written(
    engine: sa.Engine, tmp_path: Path
) -> None:
    bad = tmp_path / "no_header.txt"
    bad.write_text("Spurs have bid £40m for someone.", encoding="utf-8")
    with pytest.raises(ArticleFormatError, match=r"no_header\.txt"):
        ingest_articles(engine, [str(OWN_ARTICLES[0]), str(bad)])
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one() == 0


@pytest.mark.parametrize(
    "publisher", ["Evil\x1b[31mPaper", "Wire\x07", "W" * 121], ids=["escape", "bell", "too-long"]
)
def test_a_publisher_that_cannot_be_a_source_name_is_refused_before_anything_is_written(
    engine: sa.Engine, publisher: str
) -> None:
    with pytest.raises(InputError, match="publisher: not a source name"):
        ingest_articles(engine, [str(OWN_ARTICLES[0])], publisher=publisher)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one() == 0
