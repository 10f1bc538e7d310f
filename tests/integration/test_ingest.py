"""`ingest` on a real PostgreSQL: all-or-nothing, rejects, idempotency, formats, stdin."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import sqlalchemy as sa

from ledger.ingest.pipeline import PROGRESS_STEP, ingest
from ledger.store import head_position

GOOD = [
    {"reported_on": "2025-02-03", "kind": "bid_rejected", "player": "Marc Guehi", "club": "Tottenham Hotspur",
     "from_club": "Crystal Palace", "fee": "£70m", "source": "GIVEMESPORT"},
    {"reported_on": "2025-01-05", "kind": "interest", "player": "Abdukodir Khusanov", "club": "Spurs",
     "from_club": "RC Lens", "source": "Caught Offside"},
    {"reported_on": "2025-01-05", "kind": "asking_price", "player": "Abdukodir Khusanov",
     "from_club": "Lens", "fee": "at least £12m"},
]  # fmt: skip


def _jsonl(path: Path, claims: list[dict[str, object]]) -> str:
    path.write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    return str(path)


def _events(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT event_id, kind, player_id, club_id, from_club_id, source_id, payload "
            "FROM events ORDER BY event_id"))]  # fmt: skip


def test_one_bad_claim_appends_nothing_and_names_every_bad_line(
    engine: sa.Engine, tmp_path: Path
) -> None:
    bad = [
        *GOOD,
        {"reported_on": "2025-02-30", "kind": "bid"},
        {"kind": "rumour", "reported_on": "2025-01-01"},
    ]
    report = ingest(engine, [_jsonl(tmp_path / "c.jsonl", bad)])
    assert report.appended == 0 and report.rejected == 2
    lines = list(report.error_lines())
    assert any(line.startswith(f"{tmp_path / 'c.jsonl'}:4: reported_on") for line in lines)
    assert any(":5: kind" in line for line in lines)
    with engine.connect() as conn:
        assert head_position(conn) == 0


def test_skip_invalid_appends_the_good_claims_and_writes_the_rejects(
    engine: sa.Engine, tmp_path: Path
) -> None:
    bad = [
        *GOOD,
        {
            "reported_on": "2025-01-05",
            "kind": "bid",
            "player": "Ko Itakura",
            "club": "Nowhere Rovers FC",
        },
    ]
    source = _jsonl(tmp_path / "c.jsonl", bad)
    report = ingest(engine, [source], skip_invalid=True)
    assert (report.appended, report.rejected) == (3, 1)
    rejects = Path(report.rejects_file or "").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 1 and json.loads(rejects[0])["line"] == 4
    assert json.loads(rejects[0])["errors"][0]["field"] == "club"


def test_reingesting_appends_nothing_and_alias_spellings_are_the_same_claim(
    engine: sa.Engine, tmp_path: Path
) -> None:
    assert ingest(engine, [_jsonl(tmp_path / "a.jsonl", GOOD)]).appended == 3
    respelled = [dict(GOOD[0], club="Spurs", from_club="Palace", source="GMS", player="Marc Guéhi")]
    again = ingest(engine, [_jsonl(tmp_path / "b.jsonl", [*GOOD, *respelled])])
    assert (again.appended, again.duplicates) == (0, 4)


def test_csv_json_jsonl_and_stdin_give_identical_ledgers(
    fresh_engine,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    jsonl = _jsonl(tmp_path / "c.jsonl", GOOD)
    array = tmp_path / "c.json"
    array.write_text(json.dumps(GOOD, indent=2), encoding="utf-8")
    table = tmp_path / "c.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=["reported_on", "kind", "player", "club", "from_club", "fee", "source"],
        )
        writer.writeheader()
        writer.writerows(GOOD)
    ledgers = []
    for path in (jsonl, str(array), str(table)):
        engine = fresh_engine()
        assert ingest(engine, [path]).appended == 3
        ledgers.append(_events(engine))
    engine = fresh_engine()
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(Path(jsonl).read_bytes())))
    assert ingest(engine, ["-"]).appended == 3
    ledgers.append(_events(engine))
    assert ledgers[0] == ledgers[1] == ledgers[2] == ledgers[3]


def test_a_dry_run_counts_but_writes_nothing(engine: sa.Engine, tmp_path: Path) -> None:
    report = ingest(engine, [_jsonl(tmp_path / "c.jsonl", GOOD)], dry_run=True)
    assert report.appended == 3
    with engine.connect() as conn:
        assert head_position(conn) == 0


def test_a_club_only_claim_goes_to_the_clubs_stream(engine: sa.Engine, tmp_path: Path) -> None:
    claim = {"reported_on": "2025-02-03", "kind": "interest", "club": "Spurs", "source": "GMS",
             "evidence": "want another centre-back before the deadline"}  # fmt: skip
    assert ingest(engine, [_jsonl(tmp_path / "c.jsonl", [claim])]).appended == 1
    with engine.connect() as conn:
        stream = conn.execute(sa.text("SELECT stream_id FROM events")).scalar_one()
    assert stream == "club:tottenham-hotspur"


def test_progress_is_reported_in_steps_and_at_the_end_of_the_file(
    engine: sa.Engine, tmp_path: Path
) -> None:
    path = _jsonl(tmp_path / "c.jsonl", GOOD * 400)  # about 150 kB, 1,200 lines
    size = Path(path).stat().st_size
    seen: list[int] = []
    ingest(engine, [path], progress=lambda _path: seen.append)
    assert seen[-1] == size
    assert seen == sorted(seen)
    assert len(seen) <= size // PROGRESS_STEP + 2
