"""The results of a run: the JSON document of SPEC §8, and the table printed beside it.

The JSON has exactly the keys the CI and docs rely on (`RESULT_KEYS`); extra context (machine,
server version, stage seconds, sample counts) sits under keys of its own.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RESULT_KEYS: dict[str, tuple[str, ...]] = {
    "bulk_ingest": ("per_s", "raw_copy_per_s", "ratio"),
    "single_append": ("per_s", "raw_insert_per_s", "ratio"),
    "rebuild": ("events_per_s", "raw_read_per_s", "peak_rss_mb"),
    "as_of": ("p50_ms", "p99_ms", "p50_ms_at_100k"),
    "projection_lag": ("p50_ms", "p99_ms"),
    "http": ("p50_ms", "p99_ms", "api_p50_ms", "per_s", "api_per_s"),
    # The peer (`eventsourcing`): its rates, the ledger's beside them, ratio = ledger ÷ peer.
    "peer": (
        "single_append_per_s",
        "single_append_ratio",
        "batch_append_per_s",
        "ledger_batch_append_per_s",
        "batch_append_ratio",
        "read_all_per_s",
        "ledger_read_all_per_s",
        "read_all_ratio",
    ),
}


def backend_cpu_ms(pid: int) -> float | None:
    """CPU time (user + system, ms) of server backend `pid`, when the server runs on this
    machine (the embedded one); None otherwise. Wall time moves with the machine's load far
    more than the backend's own CPU does."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def emit(result: dict[str, Any], path: Path | None) -> None:
    """A side benchmark's result with the load it ran at: printed, and written to `path`."""
    result["load_average"] = os.getloadavg()
    text = json.dumps(result, indent=2)
    if path is not None:
        path.write_text(text + "\n", encoding="utf-8")
    print(text)


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), interpolating between the two nearest ranks."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(value: float, reference: float) -> float:
    return value / reference if reference > 0 else math.nan


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # The machine may be shared: load at the start and end says how quiet it was.
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def code_version() -> dict[str, Any]:
    """The commit measured, and whether the code under test differed from it (None outside git)."""
    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    changes = git("status", "--porcelain", "--", "ledger", "projections")
    return {"commit": git("rev-parse", "HEAD"), "dirty": None if changes is None else bool(changes)}


def check_shape(result: dict[str, Any]) -> None:
    """Raise if `result` lacks a key of the contract (the harness must never write less)."""
    missing = [key for key in ("events", *RESULT_KEYS) if key not in result]
    for section, keys in RESULT_KEYS.items():
        missing += [f"{section}.{key}" for key in keys if key not in result.get(section, {})]
    if missing:
        raise ValueError(f"benchmark result lacks {', '.join(missing)}")


def _targets(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(figure, value, reference, ratio, SPEC §8 target) rows of the table."""
    bulk, single, rebuild = result["bulk_ingest"], result["single_append"], result["rebuild"]
    as_of, lag = result["as_of"], result["projection_lag"]
    return [
        ("bulk ingest, claims/s", f"{bulk['per_s']:,.0f}", f"raw COPY {bulk['raw_copy_per_s']:,.0f}",
         f"{bulk['ratio']:.3f}", "≥ 0.25 of raw at 1M"),
        ("bulk ingest ÷ indexed COPY", "", f"indexed COPY {bulk.get('indexed_copy_per_s', math.nan):,.0f}",
         f"{bulk.get('indexed_ratio', math.nan):.3f}", "≥ 0.7 at 1M"),
        ("single appends, claims/s", f"{single['per_s']:,.0f}",
         f"raw INSERT {single['raw_insert_per_s']:,.0f}", f"{single['ratio']:.3f}", "≥ 0.6 of raw"),
        ("rebuild, events/s", f"{rebuild['events_per_s']:,.0f}",
         f"bare read {rebuild['raw_read_per_s']:,.0f}",
         f"{ratio(rebuild['events_per_s'], rebuild['raw_read_per_s']):.3f}", "≥ 100k/s at 1M"),
        ("rebuild peak RSS, MB", f"{rebuild['peak_rss_mb']:,.0f}", "", "", "flat; ≤ 300 at 10M"),
        *_many_claims(result),
        ("as-of board p50, ms", f"{as_of['p50_ms']:.3f}",
         f"p50 at 100k {as_of['p50_ms_at_100k']:.3f}",
         f"{ratio(as_of['p50_ms'], as_of['p50_ms_at_100k']):.2f}", "≤ 1 ms; ≤ 2× at 100k"),
        ("as-of board p99, ms", f"{as_of['p99_ms']:.3f}", "", "", "≤ 10 ms"),
        ("as-of SQL floor p50 / p99, ms",
         f"{as_of.get('floor_p50_ms', math.nan):.3f} / {as_of.get('floor_p99_ms', math.nan):.3f}",
         "bare connection", "", ""),
        *_http_rows(result.get("http")),
        ("projection lag p50, ms", f"{lag['p50_ms']:.1f}", "", "", ""),
        ("projection lag p99, ms", f"{lag['p99_ms']:.1f}", "", "", "≤ 200 ms"),
        *_peer_rows(result["peer"]),
        *_cli_rows(result.get("cli_startup")),
    ]  # fmt: skip


def _peer_rows(peer: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows setting the ledger beside `eventsourcing` (ratio = ledger ÷ peer)."""
    return [
        ("single appends vs peer, /s", f"{peer['single_append_per_s']:,.0f} (peer)",
         "eventsourcing", f"{peer['single_append_ratio']:.2f}", "≥ 2× peer"),
        ("batch append, events/s", f"{peer['ledger_batch_append_per_s']:,.0f}",
         f"eventsourcing {peer['batch_append_per_s']:,.0f}", f"{peer['batch_append_ratio']:.2f}",
         "≥ 1× peer"),
        ("read all, events/s", f"{peer['ledger_read_all_per_s']:,.0f}",
         f"eventsourcing {peer['read_all_per_s']:,.0f}", f"{peer['read_all_ratio']:.2f}",
         "≥ 1× peer"),
    ]  # fmt: skip


def _http_rows(http: dict[str, Any] | None) -> list[tuple[str, str, str, str, str]]:
    """Player boards over HTTP beside the Python API in the same run (absent in older JSON)."""
    if http is None:
        return []
    return [
        ("HTTP player board p50, ms", f"{http['p50_ms']:.3f}", f"API p50 {http['api_p50_ms']:.3f}",
         f"{ratio(http['p50_ms'], http['api_p50_ms']):.2f}", "≤ 5 ms at 1M"),
        ("HTTP player board p99, ms", f"{http['p99_ms']:.3f}",
         f"API p99 {http.get('api_p99_ms', math.nan):.3f}", "", "≤ 20 ms at 1M"),
        (f"HTTP boards/s, {http['clients']} clients", f"{http['per_s']:,.0f}",
         f"API {http['api_per_s']:,.0f}/s, {http['clients']} threads",
         f"{ratio(http['per_s'], http['api_per_s']):.2f}", ""),
    ]  # fmt: skip


def _cli_rows(cli: dict[str, Any] | None) -> list[tuple[str, str, str, str, str]]:
    """A warm `rumours status` as a whole process, beside the interpreter and psql alone."""
    if cli is None:
        return []
    psql = "" if cli.get("psql_ms") is None else f", psql {cli['psql_ms']:.0f}"
    return [
        ("warm `rumours status`, ms wall", f"{cli['status_ms']:.0f}",
         f"python -c pass {cli['python_ms']:.0f}{psql}", "", "≤ 250 ms"),
        ("warm `rumours status`, ms CPU", f"{cli['status_cpu_ms']:.0f}",
         f"python -c pass {cli['python_cpu_ms']:.0f}", "", ""),
    ]  # fmt: skip


def _many_claims(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    many = result.get("rebuild_many_claims")
    if many is None:
        return []
    shape = f"{many['players']} players × {many['events'] / many['players']:,.0f} claims"
    raw = many.get("raw_read_per_s")
    reference = shape if raw is None else f"{shape}; bare read {raw:,.0f}"
    return [("rebuild, many claims per player, events/s", f"{many['events_per_s']:,.0f}",
             reference, "" if raw is None else f"{ratio(many['events_per_s'], raw):.3f}",
             "≥ 50k/s")]  # fmt: skip


def print_table(result: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"rumour-ledger benchmarks — {result['events']:,} events")
    for heading in ("figure", "value", "reference (same run)", "ratio", "SPEC §8 target"):
        table.add_column(heading, justify="left" if heading == "figure" else "right")
    for row in _targets(result):
        table.add_row(*row)
    console.print(table)
    server = result.get("postgres_version", "?")
    seconds = result.get("seconds", {})
    console.print(
        f"PostgreSQL {server} ({result.get('server', '?')}); "
        f"stage seconds: {', '.join(f'{k} {v:.1f}' for k, v in seconds.items())}"
    )
