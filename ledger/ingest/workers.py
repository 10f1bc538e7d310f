"""Reading, checking and resolving a large JSON Lines file in worker processes.

Most of a bulk ingest's time is the client's own work per claim: parsing a line, checking its
fields, resolving its names, encoding the event's id, payload and staged row. Claims are
independent of one another except for players: a name the file mentions for the first time
creates a player, and that player can be what a later line's name (a misspelling, a bare
surname) resolves to. So the file is cut into chunks of whole lines, and worker processes turn
each chunk into outcomes, one per record, in line order:

- a record that cannot be read or fails its checks: its problems, the same as in one process
  (nothing there depends on the players);
- a checked claim: its player's name, the worker's answer for that name, and the event's staged
  row (or its name problems) as they follow from that answer.

A worker answers player names against the directory as it was when the workers started, plus
the players it has created itself; it cannot know what other chunks created. The ingest process
therefore resolves every claim's player name itself, in line order, exactly as a one-process
ingest does (so new players get the same ids in the same order), and keeps a worker's row only
when the worker's answer is the same as its own. When they differ (a name that matches a player
another chunk created, a bare surname read without the file's context) it does that claim again
from its line. Either way the rows, ids and errors are those of a one-process ingest.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import TracebackType
from typing import Final, TypeGuard

from ledger.child_processes import die_with_parent, interrupt_as_parent
from ledger.errors import WorkerProcessError
from ledger.ingest.claim_input import FieldProblem, check_claim
from ledger.ingest.json_records import jsonl_records
from ledger.ingest.raw_lines import LINE_LIMIT, decoded_lines
from ledger.ingest.resolve import ClaimResolver, PlayerAnswer
from ledger.staged_append import row_body

# A JSON Lines input shorter than this is read in the ingest process: forking workers and
# shipping chunks to them costs more than it saves on a few thousand claims.
WORKER_THRESHOLD: Final = 2 << 20  # bytes (about 7,000 generated claims)
CHUNK_LINES: Final = 2_000
CHUNK_BYTES: Final = 1 << 20  # a chunk of a few long lines stays small too
CONTEXT_SIZE: Final = 200  # full names kept as the surname context (pipeline._claim_of)

Problems = list[tuple[str, str]]  # (field, reason)


@dataclass(frozen=True, slots=True)
class Chunk:
    first_line: int
    lines: list[bytes]  # physical lines as read, endings included
    # The ingest's surname context when it can no longer grow, else None (the worker then
    # gathers one from its own chunk: an answer that differs is redone by the ingest).
    context: tuple[str, ...] | None


# One record as a worker leaves it: (line, player, answer, row, data).
# - player: the checked claim's player name; None for a club-only claim and for a record that
#   cannot be read or fails its checks (nothing about it depends on the players);
# - answer: the worker's answer for that name (None with it);
# - row: the event's staged row, or the record's problems, given that answer;
# - data: the record's fields when `row` is problems (for the rejects file), else None.
# A plain tuple: pickled and unpickled about ten times faster than a dataclass instance, which
# was a fifth of the ingest process's own work per claim.
Outcome = tuple[int, str | None, PlayerAnswer | None, bytes | Problems, dict[str, object] | None]


def chunks(lines: Iterator[bytes], context: list[str]) -> Iterator[Chunk]:
    """Consecutive chunks of `lines`, each stamped with `context` once it is complete."""
    first, held, size = 1, list[bytes](), 0
    for raw in lines:
        held.append(raw)
        size += len(raw)
        if len(held) >= CHUNK_LINES or size >= CHUNK_BYTES:
            yield Chunk(first, held, _frozen(context))
            first, held, size = first + len(held), [], 0
    if held:
        yield Chunk(first, held, _frozen(context))


def _frozen(context: list[str]) -> tuple[str, ...] | None:
    return tuple(context) if len(context) >= CONTEXT_SIZE else None


def worker_count() -> int:
    return os.cpu_count() or 1


class ClaimWorkers:
    """The worker processes of one ingest, forked on first use with the resolver as it is then.

    Fork, not spawn: a worker starts in milliseconds with the imports, the reference data and
    the player directory already in memory. It never touches the parent's connections (psycopg
    does not close a connection in a child process). The caller forks only while no other
    thread of its own is busy (the batch writer's helper is idle): a child inherits one thread.
    """

    def __init__(self, resolver: ClaimResolver, count: int) -> None:
        self._resolver = resolver
        self.count = count
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ClaimWorkers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def outcomes(self, work: Iterator[Chunk]) -> Iterator[tuple[Chunk, list[Outcome]]]:
        """Each chunk with its outcomes, in order; a few chunks are in the workers at a time,
        so memory stays flat however long the input is."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.count,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(self._resolver, os.getpid()),
            )
        pending: deque[tuple[Chunk, Future[list[Outcome]]]] = deque()
        for chunk in work:
            pending.append((chunk, self._pool.submit(_outcomes, chunk)))
            if len(pending) > 2 * self.count:
                done, future = pending.popleft()
                yield done, _result(future)
        while pending:
            done, future = pending.popleft()
            yield done, _result(future)


def _result(future: Future[list[Outcome]]) -> list[Outcome]:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerProcessError(
            "a worker process of the ingest ended before its work (killed, or out of memory); "
            "nothing was written"
        ) from exc


_RESOLVER: dict[str, ClaimResolver] = {}  # a worker's own copy, as it was at the fork


def _start_worker(resolver: ClaimResolver, parent: int) -> None:
    """Ctrl-C and the parent's end reach the workers as they reach any child
    (`ledger.child_processes`); a worker reports through its results only."""
    interrupt_as_parent()
    die_with_parent(parent)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    _RESOLVER["worker"] = resolver


def _outcomes(chunk: Chunk) -> list[Outcome]:
    resolver = _RESOLVER["worker"]
    context = list(chunk.context or ())
    found: list[Outcome] = []
    for record in jsonl_records(decoded_lines(chunk.lines, chunk.first_line)):
        if record.data is None:
            found.append(
                (record.line, None, None, [("record", record.error or "unreadable")], None)
            )
            continue
        checked = check_claim(record.data)
        if isinstance(checked, list):
            found.append((record.line, None, None, plain_problems(checked), record.data))
            continue
        player = player_name(checked)
        if chunk.context is None and is_context_name(player) and len(context) < CONTEXT_SIZE:
            context.append(player)
        answer, event = resolver.resolve_checked(checked, context)
        if isinstance(event, list):
            found.append((record.line, player, answer, plain_problems(event), record.data))
        else:
            found.append((record.line, player, answer, row_body(event), None))
    return found


def player_name(checked: dict[str, object]) -> str | None:
    """The player's name of checked claim values (`check_claim` makes it text or None)."""
    name = checked.get("player")
    return name if isinstance(name, str) else None


def is_context_name(player: str | None) -> TypeGuard[str]:
    """Whether a claim's player name joins the surname context: a name of two words or more."""
    return player is not None and len(player.split()) > 1


def plain_problems(problems: Sequence[FieldProblem]) -> Problems:
    """Problems as (field, reason) pairs: what crosses from a worker to the ingest."""
    return [(problem.field, problem.reason) for problem in problems]


assert CHUNK_BYTES >= LINE_LIMIT, "a chunk holds at least one line of the longest kind"
