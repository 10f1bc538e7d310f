"""Claims as CSV: a header of claim fields, then one claim a row (rows may span lines in quotes).

A header naming an unknown field is refused with a suggestion; a row that cannot be read, or is
longer than the line limit, becomes a one-line reason on its record instead of ending the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from ledger.ingest.claim_input import CSV_FIELDS
from ledger.ingest.field_values import did_you_mean, echo, one_line
from ledger.ingest.raw_lines import (
    LINE_LIMIT,
    STOPPED,
    TOO_LONG_LINE,
    TOO_LONG_ROW,
    Line,
    RawRecord,
    Rejoined,
    physical_lines,
)


class _BadLineError(Exception):
    def __init__(self, line: Line) -> None:
        super().__init__(line.error)
        self.line = line


class _CsvFeed:
    """Feeds `csv.reader` decoded lines. A bad line raises, and the feed can still go on after."""

    def __init__(self, stream: Rejoined) -> None:
        self._lines = physical_lines(stream)
        self.last = 0
        self.taken = 0  # characters given for the current row: quoted cells can span lines

    def __iter__(self) -> _CsvFeed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.last = line.number
        if line.text is None:
            raise _BadLineError(line)
        self.taken += len(line.text) + 1
        if self.taken > LINE_LIMIT:
            raise _BadLineError(Line(line.number, None, TOO_LONG_ROW))
        return line.text + "\n"


def read_csv(stream: Rejoined) -> Iterator[RawRecord]:
    feed = _CsvFeed(stream)
    reader = csv.reader(feed, strict=True)
    header: list[str] | None = None
    while True:
        start, feed.taken = feed.last + 1, 0
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _BadLineError as exc:
            yield RawRecord(exc.line.number, None, exc.line.error)
            if exc.line.error in (TOO_LONG_LINE, TOO_LONG_ROW):
                return  # a quoted cell may go on for ever on a pipe: read no further
            continue
        except csv.Error as exc:
            yield RawRecord(start, None, _csv_error(str(exc)))
            if "field limit" in str(exc):
                return  # the cell is still open, and on a pipe it may never close
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if header is not None:
            yield _csv_row(start, header, cells)
            continue
        header = [cell.strip().lower() for cell in cells]
        problem = _header_problem(header)
        if problem is not None:
            yield RawRecord(start, None, problem)
            return


def _csv_error(message: str) -> str:
    if "field limit" in message:
        return f"malformed CSV: a cell longer than {csv.field_size_limit()} characters{STOPPED}"
    if "unexpected end of data" in message:
        return "malformed CSV: a quoted cell is never closed"
    return one_line(f"malformed CSV: {message}")


def _header_problem(header: list[str]) -> str | None:
    if "" in header:
        return f"CSV header: column {header.index('') + 1} has no name"
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        return f"CSV header: columns named more than once: {', '.join(map(echo, repeated))}"
    unknown = [name for name in header if name not in CSV_FIELDS]
    if not unknown:
        return None
    described = []
    for name in unknown:
        suggestion = did_you_mean(name, CSV_FIELDS)
        described.append(echo(name) + (f" (did you mean {suggestion!r}?)" if suggestion else ""))
    return f"CSV header: unknown column names: {', '.join(described)}"


def _csv_row(line: int, header: list[str], cells: list[str]) -> RawRecord:
    if len(cells) != len(header):
        return RawRecord(
            line, None, f"expected {len(header)} cells as in the header, found {len(cells)}"
        )
    data: dict[str, object] = {
        name: cell for name, cell in zip(header, cells, strict=True) if cell.strip()
    }
    return RawRecord(line, data, None)
