"""`python -m benchmarks --events N [--json PATH] [--smoke] [--reference-json PATH]`.

Runs the harness (`benchmarks.harness`) on a throwaway database, prints the table of figures
beside their same-run references and SPEC §8 targets, and writes the JSON result when asked.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from rich.console import Console

from benchmarks.bench_report import print_table
from benchmarks.harness import REFERENCE_EVENTS, Plan, run
from ledger.errors import LedgerError
from ledger.logs import configure_logging


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="The rumour-ledger benchmarks of SPEC §8."
    )
    parser.add_argument("--events", type=int, required=True, help="claims in the ledger")
    parser.add_argument("--json", type=Path, help="write the result as JSON to this file")
    parser.add_argument("--smoke", action="store_true", help="shrink every loop (CI)")
    parser.add_argument(
        "--reference-json",
        type=Path,
        help=f"JSON of a {REFERENCE_EVENTS:,}-event run whose as-of p50 to reuse for N > 100k",
    )
    return parser


def _known_p50(path: Path | None) -> float | None:
    if path is None:
        return None
    reference = json.loads(path.read_text(encoding="utf-8"))
    if reference.get("events") != REFERENCE_EVENTS:
        raise SystemExit(f"{path} is a {reference.get('events')}-event run, not {REFERENCE_EVENTS}")
    return float(reference["as_of"]["p50_ms"])


def _exit_on_terminate(signum: int, _frame: object) -> None:
    # SystemExit unwinds the stack, so the throwaway database is still dropped.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    configure_logging("WARNING")
    try:
        plan = Plan.for_run(args.events, smoke=args.smoke)
        result = run(plan, known_p50_at_100k=_known_p50(args.reference_json))
    except (LedgerError, RuntimeError, ValueError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    # Piped output (CI logs, tee) is wide enough for the table not to wrap.
    print_table(result, Console() if sys.stdout.isatty() else Console(width=120))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
