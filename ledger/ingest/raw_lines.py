"""Raw records and the physical lines they are read from, under the limits every reader shares.

A `RawRecord` is one claim as read from a file (its fields, or the one line that says why they
could not be read). Lines are read at most `LINE_LIMIT` bytes at a time, so memory stays flat
however long a line is; an input past a limit is not read any further.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

LINE_LIMIT = 1 << 20  # bytes in one line, characters in one JSON array element
# An input that breaks a limit of size is not read any further: it is not a file of claims.
STOPPED = "; nothing after it was read"
TOO_LONG_LINE = f"line too long (over the limit of {LINE_LIMIT} bytes){STOPPED}"
TOO_LONG_CLAIM = f"claim too long (over the limit of {LINE_LIMIT} characters){STOPPED}"
TOO_LONG_BLANK = f"blank space too long (over the limit of {LINE_LIMIT} characters){STOPPED}"
TOO_LONG_ROW = f"CSV row too long (over the limit of {LINE_LIMIT} characters){STOPPED}"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One claim as read from a file: its fields, or why they could not be read."""

    line: int  # 1-based line of the record's start in the file
    data: dict[str, object] | None  # None when the record could not be parsed
    error: str | None  # one-line reason when data is None


class Rejoined:
    """The stream again, whole, after its first bytes were read to sniff for binary content."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = io.BytesIO(head), rest

    def readline(self, limit: int) -> bytes:
        line = self._head.readline(limit)
        if line.endswith(b"\n") or len(line) == limit:
            return line
        return line + self._rest.readline(limit - len(line))


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str | None  # decoded, without its line ending
    error: str | None


def physical_lines(stream: Rejoined) -> Iterator[Line]:
    """Physical lines, decoded; a line that cannot be read becomes an error for that line."""
    return decoded_lines(raw_lines(stream))


def raw_lines(stream: Rejoined) -> Iterator[bytes]:
    """Physical lines as read, at most LINE_LIMIT + 1 bytes each; the first line longer than
    the limit is the last one read (`decoded_lines` reports it)."""
    while raw := stream.readline(LINE_LIMIT + 1):
        yield raw
        if len(raw) > LINE_LIMIT and not raw.endswith(b"\n"):
            # Reading stops here rather than skipping to the line's end: on standard input or
            # a pipe (`cat /dev/zero | tr ...`) that end may never come.
            return


def decoded_lines(raws: Iterable[bytes], first: int = 1) -> Iterator[Line]:
    """`raw_lines` decoded and numbered from `first`; a line that cannot be read becomes an
    error for that line (the ingest's workers decode a chunk of a file's lines at a time)."""
    for number, raw in enumerate(raws, first):
        if len(raw) > LINE_LIMIT and not raw.endswith(b"\n"):
            yield Line(number, None, TOO_LONG_LINE)
            return
        if b"\x00" in raw:
            yield Line(number, None, "binary data (a NUL byte) on this line")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Line(number, None, f"not valid UTF-8 (byte {exc.start + 1} of the line)")
            continue
        yield Line(number, text.rstrip("\r\n"), None)
