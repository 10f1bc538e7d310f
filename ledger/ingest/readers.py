"""Read structured-claim files (JSON Lines, a JSON array, CSV) into raw records, one per claim.

Readers never raise on bad content: each record carries either its parsed fields or a one-line
reason, with the 1-based line it starts on, so every problem of a file can be reported at once
(SPEC §4.1, §7). JSON Lines and CSV are read a line at a time and a JSON array an element at a
time, with every line and element capped, so memory stays flat however long the file is.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO, Literal

from ledger.errors import InputError
from ledger.ingest.csv_records import read_csv
from ledger.ingest.field_values import echo
from ledger.ingest.json_records import read_json_array, read_jsonl
from ledger.ingest.raw_lines import (
    RawRecord,
    Rejoined,
)

Format = Literal["jsonl", "json", "csv"]
_FORMATS: dict[str, Format] = {"jsonl": "jsonl", "json": "json", "csv": "csv"}
_EXTENSIONS: dict[str, Format] = {f".{name}": fmt for name, fmt in _FORMATS.items()}
_EXTENSIONS[".ndjson"] = "jsonl"
_ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md"})
_BOM = b"\xef\xbb\xbf"
_SNIFF_BYTES = 8192


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
    source = sniffed(stream, fmt)
    if isinstance(source, RawRecord):
        yield source
    else:
        yield from records_from(source, fmt)


def records_from(source: Rejoined, fmt: Format) -> Iterator[RawRecord]:
    """The records of a sniffed stream (`sniffed`)."""
    if fmt == "jsonl":
        yield from read_jsonl(source)
    elif fmt == "json":
        yield from read_json_array(source)
    else:
        yield from read_csv(source)


def sniffed(stream: BinaryIO, fmt: Format) -> Rejoined | RawRecord:
    """The stream to read records from, after a look at its first bytes; or the one record
    that says it holds no claims of this format at all (binary data, a CSV file as JSON)."""
    head = stream.read(_SNIFF_BYTES).removeprefix(_BOM)
    if b"\x00" in head:  # text never holds NUL bytes; binary formats nearly always do, early
        return RawRecord(1, None, "binary data (a NUL byte): this is not a text file")
    if fmt != "csv" and _csv_header(head):
        return RawRecord(1, None, "this is CSV (a header of claim fields): use --format csv")
    return Rejoined(head, stream)


def _csv_header(head: bytes) -> bool:
    """Whether the first line is a CSV header of claim fields (`reported_on,kind,...`)."""
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    names = [name.strip().strip('"') for name in first.split(",")]
    return len(names) > 1 and {"reported_on", "kind"} <= set(names)
