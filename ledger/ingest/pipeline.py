"""`ingest`: files of structured claims in, events appended, a report out (SPEC §4.1).

All-or-nothing without a second pass: every file is read, validated and resolved line by line,
and valid claims are appended in batches inside ONE transaction. If any line is bad (and
`skip_invalid` is off), or the database goes away, the transaction is rolled back and nothing is
written; re-running appends exactly what is missing because event ids are deterministic. The price
is that the ledger head stays locked until the file is done, so other writers wait for a bulk load.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import sqlalchemy as sa

from ledger.database import translated_errors
from ledger.entities.clubs import club_registry
from ledger.entities.player_directory import PlayerDirectory
from ledger.entities.sources import source_registry
from ledger.ingest.batches import BatchWriter
from ledger.ingest.intake import Intake, take_jsonl
from ledger.ingest.raw_lines import RawRecord
from ledger.ingest.readers import detect_format, records_from, sniffed
from ledger.ingest.rejects import RejectsFile
from ledger.ingest.resolve import ClaimResolver
from ledger.ingest.workers import ClaimWorkers, worker_count
from ledger.logs import get_logger

log = get_logger(__name__)
Progress = Callable[[int], None]  # called with bytes read so far in the current file
PROGRESS_STEP = 1 << 16  # bytes read between two progress reports


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    appended: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[tuple[str, int, str]] = field(
        default_factory=list
    )  # (file, line, "field: reason")
    dry_run: bool = False
    rejects_file: str | None = None
    skip_invalid: bool = False

    @property
    def ok(self) -> bool:
        """Clean, or skipping invalid claims with at least one claim left that was valid."""
        return not self.errors or (self.skip_invalid and self.rejected < self.read)

    def as_json(self) -> dict[str, object]:
        # A dry run appends nothing: what it counted is labelled as what it would append.
        appended = "would_append" if self.dry_run else "appended"
        return {
            "read": self.read,
            appended: self.appended,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "dry_run": self.dry_run,
            "rejects_file": self.rejects_file,
            "errors": [{"file": f, "line": n, "message": m} for f, n, m in self.errors],
        }

    def error_lines(self) -> Iterator[str]:
        for file, line, message in self.errors:
            yield f"{file}:{line}: {message}"


class _Counting:
    """A binary stream wrapper that reports how far into the file reading has gone.

    It reports every PROGRESS_STEP bytes and at the end of the file, not on every line: a bar
    redrawn per claim cost a few microseconds a line, a tenth of a claim's own work.
    """

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self._raw, self._progress, self.position, self._reported = raw, progress, 0, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        self._report(len(chunk))
        return chunk

    def readline(self, size: int = -1) -> bytes:
        chunk = self._raw.readline(size)
        self._report(len(chunk))
        return chunk

    def _report(self, count: int) -> None:
        self.position += count
        due = count == 0 or self.position - self._reported >= PROGRESS_STEP
        if self._progress is not None and due:
            self._reported = self.position
            self._progress(self.position)

    def __getattr__(self, name: str) -> object:
        return getattr(self._raw, name)


@contextlib.contextmanager
def _opened(path: str) -> Iterator[IO[bytes]]:
    if path == "-":
        # Streamed, not copied to a temporary file first: the readers take a line (or a JSON
        # element) at a time under the same limits as for a file, and refuse binary input in
        # its first 8 kB, so `ingest - < /dev/zero` stops at once instead of filling the disk.
        yield sys.stdin.buffer
        return
    with Path(path).open("rb") as handle:
        yield handle


def ingest(
    engine: sa.Engine,
    paths: Sequence[str],
    *,
    fmt: Literal["jsonl", "json", "csv"] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects_path: str | None = None,
    batch_size: int = 5_000,
    progress: Callable[[str], Progress | None] | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Validate, resolve and append every claim of `paths`; see the module docstring.

    `workers`: processes that read, check and resolve a large JSON Lines input (`workers`
    module); one per core by default, 0 or 1 for none."""
    report = IngestReport(dry_run=dry_run, skip_invalid=skip_invalid)
    with (
        _appending(engine, report, batch_size=batch_size, skip_invalid=skip_invalid) as (
            resolver,
            writer,
        ),
        ClaimWorkers(resolver, worker_count() if workers is None else workers) as pool,
    ):
        for path in paths:
            # A dry run writes nothing, a rejects file included; it still counts the rejects.
            keep = skip_invalid and not dry_run
            rejects = RejectsFile.beside(path, rejects_path) if keep else None
            label = "<stdin>" if path == "-" else path
            with _opened(path) as raw:
                _ingest_stream(label, raw, detect_format(path, fmt),
                               Intake(label, resolver, writer, report, rejects),
                               progress(path) if progress else None,
                               pool if pool.count > 1 else None)  # fmt: skip
            if rejects is not None and rejects.count:
                report.rejects_file = rejects.close()
    return report


def ingest_bytes(
    engine: sa.Engine, data: bytes, *, label: str, fmt: Literal["jsonl", "json", "csv"]
) -> IngestReport:
    """Claims held in memory (the web API's request body), under exactly the rules of a file:
    all or nothing, errors as `LABEL:LINE: field: reason`, deterministic ids."""
    report = IngestReport()
    with _appending(engine, report, batch_size=5_000, skip_invalid=False) as (resolver, writer):
        # In the web server's process: never forked (a request body is small, the server threaded).
        _ingest_stream(
            label, io.BytesIO(data), fmt, Intake(label, resolver, writer, report, None), None, None
        )
    return report


@contextlib.contextmanager
def _appending(
    engine: sa.Engine, report: IngestReport, *, batch_size: int, skip_invalid: bool
) -> Iterator[tuple[ClaimResolver, BatchWriter]]:
    """One transaction for the whole input, rolled back on any invalid claim (or a dry run)."""
    with translated_errors(engine.url), engine.connect() as conn, conn.begin():
        directory = PlayerDirectory.load(conn)
        resolver = ClaimResolver(club_registry(), source_registry(), directory)
        with BatchWriter(
            conn, directory, batch_size=batch_size, dry_run=report.dry_run, overlap=True
        ) as writer:
            yield resolver, writer
            writer.flush()
        report.appended, report.duplicates = writer.appended, writer.duplicates
        if report.dry_run or (report.errors and not skip_invalid):
            conn.rollback()
            report.appended = 0 if not report.dry_run else report.appended
    log.info("ingest_finished", **report.as_json() | {"errors": len(report.errors)})


def _ingest_stream(
    label: str,
    raw: IO[bytes],
    fmt: Literal["jsonl", "json", "csv"],
    intake: Intake,
    progress: Progress | None,
    workers: ClaimWorkers | None,
) -> None:
    read_before = intake.report.read
    source = sniffed(_Counting(raw, progress), fmt)  # type: ignore[arg-type]
    if isinstance(source, RawRecord):
        intake.take(source)
    elif fmt == "jsonl" and workers is not None:
        take_jsonl(source, intake, workers)
    else:
        for record in records_from(source, fmt):
            intake.take(record)
    if intake.report.read == read_before:
        # An empty file is almost always a mistake (a failed export, the wrong path).
        intake.report.errors.append(
            (label, 1, "file: holds no claims (empty, or only blank lines)")
        )
