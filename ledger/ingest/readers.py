"""Read structured-claim files (JSON Lines, a JSON array, CSV) into raw records, one per claim.

Readers never raise on bad content: each record carries either its parsed fields or a one-line
reason, with the 1-based line it starts on, so every problem of a file can be reported at once
(SPEC §4.1, §7). JSON Lines and CSV are read a line at a time and a JSON array an element at a
time, with every line and element capped, so memory stays flat however long the file is.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import BinaryIO, Literal

from ledger.errors import InputError
from ledger.ingest.claim_input import CSV_FIELDS
from ledger.ingest.field_values import did_you_mean, echo, one_line

Format = Literal["jsonl", "json", "csv"]
LINE_LIMIT = 1 << 20  # bytes in one line, characters in one JSON array element
DEPTH_LIMIT = 8  # a claim nests three levels at most (claim → extraction → span)
DIGIT_LIMIT = 100
# An input that breaks a limit of size is not read any further: it is not a file of claims.
_STOPPED = "; nothing after it was read"
TOO_LONG_LINE = f"line too long (over the limit of {LINE_LIMIT} bytes){_STOPPED}"
TOO_LONG_CLAIM = f"claim too long (over the limit of {LINE_LIMIT} characters){_STOPPED}"
TOO_LONG_BLANK = f"blank space too long (over the limit of {LINE_LIMIT} characters){_STOPPED}"
TOO_LONG_ROW = f"CSV row too long (over the limit of {LINE_LIMIT} characters){_STOPPED}"
_FORMATS: dict[str, Format] = {"jsonl": "jsonl", "json": "json", "csv": "csv"}
_EXTENSIONS: dict[str, Format] = {f".{name}": fmt for name, fmt in _FORMATS.items()}
_EXTENSIONS[".ndjson"] = "jsonl"
_ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md"})
_BOM = b"\xef\xbb\xbf"
_SNIFF_BYTES = 8192
# A string (its closing quote optional, so an unterminated one cannot cause backtracking) or a
# bracket: enough to measure nesting without parsing.
_DEPTH_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of invalid UTF-8
_NON_SPACE = re.compile(r"\S")
# A whole string on this chunk in one step, else a lone quote that starts one split by the chunk.
_STRUCTURE = re.compile(r'"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"|["\[\]{},]')
_BROKEN_ARRAY = {
    "before": "a .json file must hold one array of claims: [{...}, {...}]",
    "after": "malformed JSON: text after the closing ] of the array",
}
_STRING_BODY = re.compile(r'[^"\\\n]*(?:\\[^\n][^"\\\n]*)*')


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One claim as read from a file: its fields, or why they could not be read."""

    line: int  # 1-based line of the record's start in the file
    data: dict[str, object] | None  # None when the record could not be parsed
    error: str | None  # one-line reason when data is None


def detect_format(path: str, explicit: str | None) -> Format:
    """The format named explicitly, else the one the file extension says (`-` is JSON Lines)."""
    if explicit is not None:
        chosen = _FORMATS.get(explicit.strip().lower())
        if chosen is None:
            raise InputError(f"unknown format {echo(explicit)}: use jsonl, json or csv")
        return chosen
    if path == "-":
        return "jsonl"
    suffix = PurePath(path).suffix.lower()
    found = _EXTENSIONS.get(suffix)
    if found is None and suffix in _ARTICLE_SUFFIXES:
        raise InputError(
            f"{echo(path)} looks like an article, not a claims file: "
            f"use rumours ingest-articles {PurePath(path).name}"
        )
    if found is None:
        raise InputError(f"cannot tell the format of {echo(path)}: name it .jsonl, .json or .csv")
    return found


_NOT_A_FILE = (
    (stat.S_ISDIR, "is a directory, not a file of claims (name the files in it instead)"),
    (stat.S_ISCHR, "is a character device, not a file of claims"),
    (stat.S_ISBLK, "is a block device, not a file of claims"),
    (stat.S_ISSOCK, "is a socket, not a file of claims"),
)


def source_problem(path: str) -> str | None:
    """Why `path` cannot be read as claims (one line naming it), or None if it can.

    Regular files, named pipes (`<(...)` in a shell) and `-` (standard input) can: a pipe is
    streamed through the same readers and line limits as a file, never copied anywhere first.
    """
    if path == "-":
        return None
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"{path}: no such file"
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or type(exc).__name__})"
    for is_kind, what in _NOT_A_FILE:
        if is_kind(mode):
            return f"{path}: {what}"
    if not os.access(path, os.R_OK):
        return f"{path}: permission denied"
    return None


def read_records(stream: BinaryIO, fmt: Format) -> Iterator[RawRecord]:
    """Every record of the stream in order; bad ones carry an error instead of data."""
    head = stream.read(_SNIFF_BYTES).removeprefix(_BOM)
    if b"\x00" in head:  # text never holds NUL bytes; binary formats nearly always do, early
        yield RawRecord(1, None, "binary data (a NUL byte): this is not a text file")
        return
    source = _Rejoined(head, stream)
    if fmt != "csv" and _csv_header(head):
        yield RawRecord(1, None, "this is CSV (a header of claim fields): use --format csv")
        return
    if fmt == "jsonl":
        yield from _read_jsonl(source)
    elif fmt == "json":
        yield from _read_json_array(source)
    else:
        yield from _read_csv(source)


def _csv_header(head: bytes) -> bool:
    """Whether the first line is a CSV header of claim fields (`reported_on,kind,...`)."""
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    names = [name.strip().strip('"') for name in first.split(",")]
    return len(names) > 1 and {"reported_on", "kind"} <= set(names)


class _Rejoined:
    """The stream again, whole, after its first bytes were read to sniff for binary content."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = io.BytesIO(head), rest

    def readline(self, limit: int) -> bytes:
        line = self._head.readline(limit)
        if line.endswith(b"\n") or len(line) == limit:
            return line
        return line + self._rest.readline(limit - len(line))


class _MalformedError(Exception):
    """The JSON text is well-formed for the parser but not acceptable as a claim."""


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str | None  # decoded, without its line ending
    error: str | None


def _lines(stream: _Rejoined) -> Iterator[_Line]:
    """Physical lines, decoded; a line that cannot be read becomes an error for that line."""
    number = 0
    while raw := stream.readline(LINE_LIMIT + 1):
        number += 1
        if len(raw) > LINE_LIMIT and not raw.endswith(b"\n"):
            # Reading stops here rather than skipping to the line's end: on standard input or
            # a pipe (`cat /dev/zero | tr ...`) that end may never come.
            yield _Line(number, None, TOO_LONG_LINE)
            return
        if b"\x00" in raw:
            yield _Line(number, None, "binary data (a NUL byte) on this line")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield _Line(number, None, f"not valid UTF-8 (byte {exc.start + 1} of the line)")
            continue
        yield _Line(number, text.rstrip("\r\n"), None)


def _read_jsonl(stream: _Rejoined) -> Iterator[RawRecord]:
    for line in _lines(stream):
        if line.text is None:
            yield RawRecord(line.number, None, line.error)
        elif line.text.strip():
            yield _parse_object(line.text, line.number, single_line=True)


def _parse_object(text: str, line: int, *, single_line: bool) -> RawRecord:
    """One claim object from its JSON text; every way it can fail becomes a one-line error."""
    if _depth(text) > DEPTH_LIMIT:
        return RawRecord(line, None, f"JSON nested more than {DEPTH_LIMIT} levels deep")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_float=_bounded_decimal,  # money must not pass through binary floats
            parse_int=_bounded_int,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if single_line else f"line {line + exc.lineno - 1}"
        return RawRecord(line, None, f"malformed JSON: {exc.msg} ({where})")
    except _MalformedError as exc:
        return RawRecord(line, None, f"malformed JSON: {exc}")
    if not isinstance(value, dict):
        return RawRecord(line, None, f"expected a claim object {{...}}, got {_json_kind(value)}")
    return RawRecord(line, value, None)


def _depth(text: str) -> int:
    if text.count("[") + text.count("{") <= DEPTH_LIMIT:
        return 0  # cannot be too deep: skip the scan, as nearly every claim does
    depth = deepest = 0
    for match in _DEPTH_TOKEN.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > DEPTH_LIMIT:
                break
        elif char in "]}":
            depth -= 1
    return deepest


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) < len(pairs):
        counts = Counter(key for key, _ in pairs)
        first = next(key for key, count in counts.items() if count > 1)
        raise _MalformedError(f"duplicate key {echo(first)}")
    return result


def _bounded_int(text: str) -> int:
    if len(text) > DIGIT_LIMIT:
        raise _MalformedError(f"a number with more than {DIGIT_LIMIT} digits")
    return int(text)


def _bounded_decimal(text: str) -> Decimal:
    # `1e999999999` is a valid JSON number that would print as a billion digits downstream.
    number = Decimal(text)
    if len(text) > DIGIT_LIMIT or abs(number.adjusted()) > DIGIT_LIMIT:
        raise _MalformedError(f"a number out of range ({echo(text)})")
    return number


def _no_constant(name: str) -> object:
    raise _MalformedError(f"{name} is not a number JSON allows")


def _json_kind(value: object) -> str:
    if isinstance(value, list | str):
        return "a list" if isinstance(value, list) else "text"
    return json.dumps(value) if value is None or isinstance(value, bool) else "a number"


def _read_json_array(stream: _Rejoined) -> Iterator[RawRecord]:
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    splitter = _ArraySplitter()
    while raw := stream.readline(LINE_LIMIT):
        yield from splitter.feed(decoder.decode(raw))
        if splitter.stopped:
            return
    yield from splitter.feed(decoder.decode(b"", final=True))
    yield from splitter.finish()


class _ArraySplitter:
    """Cuts the text of one JSON array into its elements' texts, chunk by chunk.

    Chunks come from `readline`, so a chunk holds at most one line ending, at its end; a long
    line arrives in several chunks, which is why string state survives between chunks.
    """

    def __init__(self) -> None:
        self.state: Literal["before", "open", "after"] = "before"
        self.stopped = self.in_string = self.escaped = self.after_comma = False
        self.line = self.open_line = 1
        self.depth = self.start_line = self.size = self.blank = 0
        self.pieces: list[str] | None = None  # None while between elements

    def feed(self, text: str) -> Iterator[RawRecord]:
        pos, piece_start = 0, 0
        while pos < len(text) and not self.stopped:
            if self.pieces is None:
                start = pos
                pos, error = self._between(text, pos)
                if error is None and self.pieces is None:
                    error = self._blank(pos - start)
                if error is not None:
                    yield RawRecord(self.line, None, error)
                piece_start = pos
            else:
                pos, ended = self._inside(text, pos)
                if ended:
                    yield self._element(text[piece_start:pos])
                    pos += 1
                    piece_start = pos
        if self.pieces is not None:
            self._keep(text[piece_start:])
            if self.stopped:  # an element past the limit, its end perhaps never coming
                self.pieces = None
                yield RawRecord(self.start_line, None, TOO_LONG_CLAIM)
        self.line += text.count("\n")

    def _blank(self, skipped: int) -> str | None:
        """Why the space between elements ends the reading: past the limit (a pipe of spaces)."""
        self.blank += skipped
        if self.blank <= LINE_LIMIT:
            return None
        self.stopped = True
        return TOO_LONG_BLANK

    def finish(self) -> Iterator[RawRecord]:
        if self.pieces is not None:
            yield self._element("")
        if self.state == "open" and not self.stopped:
            reason = f"malformed JSON: the array opened on line {self.open_line} is never closed"
            yield RawRecord(self.open_line, None, reason)

    def _between(self, text: str, pos: int) -> tuple[int, str | None]:
        """Skips to the next element and returns where it starts, or why the array is broken."""
        match = _NON_SPACE.search(text, pos)
        if match is None:
            return len(text), None
        pos, char = match.start(), match.group()
        if self.state == "open" and char not in ",]":
            self.pieces, self.start_line, self.size, self.depth = [], self.line, 0, 1
            self.blank = 0
            self.after_comma = False
            return pos, None
        if self.state == "before" and char == "[":
            self.state, self.depth, self.open_line = "open", 1, self.line
        elif self.state == "open" and char == "]" and not self.after_comma:
            self.state = "after"
        else:
            self.stopped = True
            return pos, _BROKEN_ARRAY.get(self.state, f"malformed JSON: no claim before {char!r}")
        return pos + 1, None

    def _inside(self, text: str, pos: int) -> tuple[int, bool]:
        """Advances through an element; returns (position, whether the element ends there)."""
        while pos < len(text):
            if self.in_string:
                pos = self._through_string(text, pos)
                continue
            match = _STRUCTURE.search(text, pos)
            if match is None:
                return len(text), False
            found, pos = match.group(), match.end()
            if len(found) > 1:
                continue  # a whole string: nothing inside it is structure
            if found == '"':
                self.in_string = True
            elif found in "[{":
                self.depth += 1
            elif found in "]}":
                self.depth -= 1
                if self.depth == 0:
                    self.state = "after"
                    return pos - 1, True
            elif self.depth == 1:
                self.after_comma = True
                return pos - 1, True
        return pos, False

    def _through_string(self, text: str, pos: int) -> int:
        if self.escaped:
            self.escaped = False
            return pos + 1
        match = _STRING_BODY.match(text, pos)
        pos = match.end() if match is not None else pos
        if pos == len(text):
            return pos
        if text[pos] == "\\" and pos + 1 == len(text):
            self.escaped = True  # the escaped character comes in the next chunk
            return pos + 1
        # A closing quote, or a line break: JSON strings cannot span lines, and the parser
        # will report it; ending the string here keeps the element boundaries in sync.
        self.in_string = False
        return pos + 1 if text[pos] == '"' else pos

    def _keep(self, text: str) -> None:
        assert self.pieces is not None
        self.size += len(text)
        self.pieces.append(text)
        if self.size > LINE_LIMIT:
            self.stopped = True  # read no further: on a pipe the element may never end

    def _element(self, tail: str) -> RawRecord:
        self._keep(tail)
        text, self.pieces = "".join(self.pieces or ()), None
        line, size = self.start_line, self.size
        if size > LINE_LIMIT:
            return RawRecord(line, None, TOO_LONG_CLAIM)
        if "\x00" in text:
            return RawRecord(line, None, "binary data (a NUL byte) in this claim")
        if _ESCAPED_BYTES.search(text):
            return RawRecord(line, None, "not valid UTF-8")
        return _parse_object(text.rstrip(), line, single_line=False)


class _BadLineError(Exception):
    def __init__(self, line: _Line) -> None:
        super().__init__(line.error)
        self.line = line


class _CsvFeed:
    """Feeds `csv.reader` decoded lines. A bad line raises, and the feed can still go on after."""

    def __init__(self, stream: _Rejoined) -> None:
        self._lines = _lines(stream)
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
            raise _BadLineError(_Line(line.number, None, TOO_LONG_ROW))
        return line.text + "\n"


def _read_csv(stream: _Rejoined) -> Iterator[RawRecord]:
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
        return f"malformed CSV: a cell longer than {csv.field_size_limit()} characters{_STOPPED}"
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
