"""The benchmark harness's bookkeeping: plans, percentiles, lag matching and the JSON contract.

No database and no timing: the figures themselves are measured by `python -m benchmarks`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks.__main__ import _known_p50, _parser
from benchmarks.bench_lag import lags
from benchmarks.bench_report import RESULT_KEYS, check_shape, percentile, print_table, ratio
from benchmarks.harness import REFERENCE_EVENTS, Plan


def _result() -> dict[str, object]:
    return {
        "events": 3000,
        "bulk_ingest": {"per_s": 10.0, "raw_copy_per_s": 40.0, "ratio": 0.25},
        "single_append": {"per_s": 3.0, "raw_insert_per_s": 4.0, "ratio": 0.75},
        "rebuild": {"events_per_s": 5.0, "raw_read_per_s": 50.0, "peak_rss_mb": 90.0},
        "as_of": {"p50_ms": 1.5, "p99_ms": 3.0, "p50_ms_at_100k": 1.5},
        "projection_lag": {"p50_ms": 7.0, "p99_ms": 20.0},
        "http": {
            "p50_ms": 2.0,
            "p99_ms": 6.0,
            "api_p50_ms": 0.5,
            "api_p99_ms": 2.0,
            "per_s": 300.0,
            "api_per_s": 1200.0,
            "clients": 4,
        },
        "peer": {
            "single_append_per_s": 2.0,
            "single_append_ratio": 1.5,
            "batch_append_per_s": 8.0,
            "ledger_batch_append_per_s": 10.0,
            "batch_append_ratio": 1.25,
            "read_all_per_s": 100.0,
            "ledger_read_all_per_s": 50.0,
            "read_all_ratio": 0.5,
        },
    }


def test_smoke_plan_shrinks_every_loop() -> None:
    full, smoke = Plan.for_run(3000), Plan.for_run(3000, smoke=True)
    assert smoke.single_appends < full.single_appends
    assert smoke.as_of_queries < full.as_of_queries
    assert smoke.lag_events < full.lag_events
    assert smoke.batch_events < full.batch_events
    assert smoke.tail_events == smoke.single_appends + smoke.batch_events + smoke.lag_events


def test_plan_refuses_an_empty_ledger() -> None:
    with pytest.raises(ValueError, match="at least one event"):
        Plan.for_run(0)


def test_percentile_interpolates_between_ranks() -> None:
    samples = [4.0, 1.0, 3.0, 2.0]
    assert percentile(samples, 0) == 1.0
    assert percentile(samples, 100) == 4.0
    assert percentile(samples, 50) == pytest.approx(2.5)
    assert percentile([7.0], 99) == 7.0


def test_percentile_of_no_samples_is_not_a_number() -> None:
    assert math.isnan(percentile([], 50))


def test_ratio_against_a_zero_reference_is_not_a_number() -> None:
    assert math.isnan(ratio(5.0, 0.0))
    assert ratio(1.0, 4.0) == 0.25


def test_lag_is_measured_to_the_first_checkpoint_at_or_past_the_position() -> None:
    commits = [(11, 1.000), (12, 1.020), (13, 1.040)]
    seen = [(0.990, 10), (1.005, 11), (1.050, 13)]
    assert lags(commits, seen) == pytest.approx([5.0, 30.0, 10.0])


def test_lag_is_never_negative_when_the_projection_is_seen_first() -> None:
    assert lags([(5, 2.0)], [(1.999, 5)]) == [0.0]


def test_a_position_never_seen_projected_gives_no_lag_sample() -> None:
    assert lags([(9, 1.0)], [(1.1, 8)]) == []


def test_a_complete_result_passes_the_shape_check() -> None:
    check_shape(_result())


def test_a_result_missing_a_figure_is_refused_by_name() -> None:
    result = _result()
    del result["rebuild"]["peak_rss_mb"]  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match=r"rebuild\.peak_rss_mb"):
        check_shape(result)


def test_the_contract_names_every_figure_of_the_spec() -> None:
    assert set(RESULT_KEYS) == {
        "bulk_ingest", "single_append", "rebuild", "as_of", "projection_lag", "http", "peer",
    }  # fmt: skip
    assert RESULT_KEYS["as_of"] == ("p50_ms", "p99_ms", "p50_ms_at_100k")


def test_the_table_shows_each_figure_beside_its_target() -> None:
    from rich.console import Console

    console = Console(record=True, width=140)
    print_table(_result(), console)
    text = console.export_text()
    assert "raw COPY 40" in text
    assert "API p50 0.500" in text and "API 1,200/s, 4 threads" in text
    assert "≥ 0.6 of raw" in text
    assert "≤ 200 ms" in text
    assert "eventsourcing 100" in text


def test_the_table_shows_the_many_claims_rebuild_when_it_was_measured() -> None:
    from rich.console import Console

    console = Console(record=True, width=160)
    many = {"events_per_s": 9_000.0, "events": 70_000, "players": 100, "rows": 1, "seconds": 7.8}
    print_table({**_result(), "rebuild_many_claims": {**many, "peak_rss_mb": 90.0}}, console)
    text = console.export_text()
    assert "many claims per player" in text and "100 players × 700 claims" in text
    assert "9,000" in text and "≥ 50k/s" in text


def test_command_line_takes_events_json_smoke_and_reference() -> None:
    args = _parser().parse_args(
        ["--events", "3000", "--smoke", "--json", "out.json", "--reference-json", "ref.json"]
    )
    assert (args.events, args.smoke, args.json, args.reference_json) == (
        3000, True, Path("out.json"), Path("ref.json"),
    )  # fmt: skip


def test_reference_json_must_come_from_a_100k_run(tmp_path: Path) -> None:
    path = tmp_path / "ref.json"
    path.write_text(json.dumps({"events": 5000, "as_of": {"p50_ms": 1.0}}))
    with pytest.raises(SystemExit, match="5000-event run"):
        _known_p50(path)
    path.write_text(json.dumps({"events": REFERENCE_EVENTS, "as_of": {"p50_ms": 1.25}}))
    assert _known_p50(path) == 1.25
