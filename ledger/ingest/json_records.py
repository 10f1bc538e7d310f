"""Claims as JSON: one object a line (JSON Lines) or the elements of one JSON array.

Every way a claim's JSON can be unacceptable becomes a one-line reason on its record: malformed
text, nesting deeper than `DEPTH_LIMIT`, a duplicate key, numbers past `DIGIT_LIMIT` digits (money
never passes through a binary float). A JSON array is cut into its elements chunk by chunk, so a
file of any length is read an element at a time.
"""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Literal

from ledger.ingest.field_values import echo
from ledger.ingest.raw_lines import (
    LINE_LIMIT,
    TOO_LONG_BLANK,
    TOO_LONG_CLAIM,
    Line,
    RawRecord,
    Rejoined,
    physical_lines,
)

DEPTH_LIMIT = 8  # a claim nests three levels at most (claim → extraction → span)
DIGIT_LIMIT = 100
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


class _MalformedError(Exception):
    """The JSON text is well-formed for the parser but not acceptable as a claim."""


def read_jsonl(stream: Rejoined) -> Iterator[RawRecord]:
    return jsonl_records(physical_lines(stream))


def jsonl_records(lines: Iterable[Line]) -> Iterator[RawRecord]:
    """The claim of each non-blank line (a line is a claim in JSON Lines)."""
    for line in lines:
        if line.text is None:
            yield RawRecord(line.number, None, line.error)
        elif line.text.strip():
            yield parse_jsonl_line(line.text, line.number)


def parse_jsonl_line(text: str, line: int) -> RawRecord:
    """The claim of one decoded, non-blank JSON Lines line."""
    return _parse_object(text, line, single_line=True)


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


def read_json_array(stream: Rejoined) -> Iterator[RawRecord]:
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
