"""One input's records into the ingest report and the batch writer, in line order.

Each record is counted, and is either rejected (its problems reported as `FILE:LINE: field:
reason`, and written to the rejects file under `--skip-invalid`) or appended. Once a record is
rejected without `--skip-invalid`, nothing more is appended (the transaction will be rolled back)
but every later record is still read and checked, so every problem of the input is reported.

Records come either straight from the readers, resolved here (`take`), or as a large JSON Lines
input's outcomes from the worker processes (`take_outcome`, see `workers`), whose player answers
are checked here against the one directory of the ingest, in line order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ledger.ingest.batches import BatchWriter
from ledger.ingest.claim_input import FieldProblem, check_claim
from ledger.ingest.json_records import jsonl_records, parse_jsonl_line
from ledger.ingest.raw_lines import RawRecord, Rejoined, decoded_lines, raw_lines
from ledger.ingest.rejects import RejectsFile
from ledger.ingest.resolve import ClaimResolver
from ledger.ingest.workers import (
    CONTEXT_SIZE,
    WORKER_THRESHOLD,
    Chunk,
    ClaimWorkers,
    Outcome,
    Problems,
    chunks,
    is_context_name,
    plain_problems,
    player_name,
)
from ledger.staged_append import row_body

if TYPE_CHECKING:
    from ledger.ingest.pipeline import IngestReport


class Intake:
    def __init__(
        self,
        label: str,
        resolver: ClaimResolver,
        writer: BatchWriter,
        report: IngestReport,
        rejects: RejectsFile | None,
    ) -> None:
        self.label, self.resolver, self.writer = label, resolver, writer
        self.report, self.rejects = report, rejects
        # The first full player names of the input: they tell which player a bare surname means.
        self.context: list[str] = []

    def take(self, record: RawRecord) -> None:
        """A record as read: checked and resolved here."""
        self.report.read += 1
        if record.data is None:
            self._reject(record.line, None, [("record", record.error or "unreadable")])
            return
        row, data = self._resolved(record.line, record.data)
        self._keep(record.line, row, data)

    def take_outcome(self, chunk: Chunk, outcome: Outcome) -> None:
        """A record as a worker process left it; redone here if its player's answer differs."""
        self.report.read += 1
        line, player, answer, row, data = outcome
        if player is not None:
            self._note(player)
            if self.resolver.player_answer(player, self.context) != answer:
                text = chunk.lines[line - chunk.first_line].decode("utf-8")
                record = parse_jsonl_line(text.rstrip("\r\n"), line)
                assert record.data is not None, "the worker read this line"
                row, data = self._resolved(line, record.data, noted=True)
        self._keep(line, row, data)

    def _resolved(
        self, line: int, data: dict[str, object], *, noted: bool = False
    ) -> tuple[bytes | Problems, dict[str, object] | None]:
        checked = check_claim(data)
        if isinstance(checked, list):
            return plain_problems(checked), data
        if not noted:
            self._note(player_name(checked))
        event = self.resolver.resolve_fields(checked, self.context)
        if isinstance(event, list):
            return plain_problems(event), data
        return row_body(event), None

    def _note(self, player: str | None) -> None:
        if is_context_name(player) and len(self.context) < CONTEXT_SIZE:
            self.context.append(player)

    def _keep(self, line: int, row: bytes | Problems, data: dict[str, object] | None) -> None:
        if isinstance(row, list):
            self._reject(line, data, row)
        elif not self.report.errors or self.report.skip_invalid:
            self.writer.add_row(row)

    def _reject(self, line: int, data: dict[str, object] | None, problems: Problems) -> None:
        self.report.rejected += 1
        for field, reason in problems:
            self.report.errors.append((self.label, line, f"{field}: {reason}"))
        if self.rejects is not None:
            self.rejects.write(line, data, [FieldProblem(f, r) for f, r in problems])


def take_jsonl(source: Rejoined, intake: Intake, workers: ClaimWorkers) -> None:
    """A JSON Lines input: in this process up to WORKER_THRESHOLD bytes, else in the workers."""
    lines = raw_lines(source)
    head: list[bytes] = []
    size = 0
    for raw in lines:
        head.append(raw)
        size += len(raw)
        if size >= WORKER_THRESHOLD:
            break
    else:
        for record in jsonl_records(decoded_lines(head)):
            intake.take(record)
        return
    intake.writer.settle()  # the workers are forked while no other thread is busy
    rest: Iterator[bytes] = itertools.chain(head, lines)
    for chunk, outcomes in workers.outcomes(chunks(rest, intake.context)):
        for outcome in outcomes:
            intake.take_outcome(chunk, outcome)
