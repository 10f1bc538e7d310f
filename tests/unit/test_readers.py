"""Structured-claim files are read record by record, and every unreadable record says why."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Iterator

import pytest

from ledger.errors import InputError
from ledger.ingest.claim_input import ClaimInput, validate_claim
from ledger.ingest.json_records import DEPTH_LIMIT
from ledger.ingest.raw_lines import LINE_LIMIT, RawRecord
from ledger.ingest.readers import Format, detect_format, read_records

GUEHI = {
    "reported_on": "2025-02-03",
    "kind": "bid_rejected",
    "player": "Marc Guehi",
    "club": "Tottenham Hotspur",
    "from_club": "Crystal Palace",
    "fee": "£70m",
    "deal": "permanent",
    "source": "GIVEMESPORT",
}


def read(content: bytes, fmt: Format) -> list[RawRecord]:
    return list(read_records(io.BytesIO(content), fmt))


def lines_of(records: list[RawRecord]) -> list[int]:
    return [record.line for record in records]


def errors_of(records: list[RawRecord]) -> list[str]:
    return [record.error for record in records if record.error is not None]


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    header = list(rows[0])
    body = [",".join(header)] + [",".join(row.get(name, "") for name in header) for row in rows]
    return ("\n".join(body) + "\n").encode()


# --- detect_format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [("claims.jsonl", "jsonl"), ("x.NDJSON", "jsonl"), ("a/b.json", "json"), ("c.CSV", "csv")],
)
def test_format_is_told_by_the_file_extension(path: str, expected: str) -> None:
    assert detect_format(path, None) == expected


def test_an_explicit_format_wins_over_the_extension() -> None:
    assert detect_format("claims.txt", "CSV") == "csv"


def test_standard_input_is_read_as_json_lines() -> None:
    assert detect_format("-", None) == "jsonl"


def test_an_unknown_extension_is_an_input_error_naming_the_file() -> None:
    with pytest.raises(InputError, match=r"claims\.txt"):
        detect_format("claims.txt", None)


def test_an_unknown_explicit_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="jsonl, json or csv"):
        detect_format("claims.jsonl", "xml")


# --- good claims in every format ----------------------------------------------------------


def test_the_same_claim_reads_and_validates_alike_in_all_three_formats() -> None:
    sources = {
        "jsonl": (json.dumps(GUEHI) + "\n").encode(),
        "json": json.dumps([GUEHI], indent=2).encode(),
        "csv": csv_bytes([GUEHI]),
    }
    claims = []
    for fmt, content in sources.items():
        records = read(content, fmt)  # type: ignore[arg-type]
        assert [record.error for record in records] == [None]
        claim = validate_claim(records[0].data or {})
        assert isinstance(claim, ClaimInput), (fmt, claim)
        claims.append(claim)
    assert claims[0] == claims[1] == claims[2]
    assert claims[0].fee is not None
    assert claims[0].fee.currency == "GBP"


# --- JSON Lines ----------------------------------------------------------------------------


def test_json_lines_keep_file_line_numbers_across_blank_lines_bom_and_crlf() -> None:
    content = b'\xef\xbb\xbf{"kind": "bid"}\r\n\r\n   \n{"kind": "talks"}\r\n'
    records = read(content, "jsonl")
    assert lines_of(records) == [1, 4]
    assert [record.data for record in records] == [{"kind": "bid"}, {"kind": "talks"}]


def test_a_line_crossing_the_sniffed_head_of_the_file_is_read_whole() -> None:
    first = {"kind": "bid", "evidence": "é" * 6000}
    records = read(json.dumps(first, ensure_ascii=False).encode() + b'\n{"kind": "talks"}', "jsonl")
    assert [record.data for record in records] == [first, {"kind": "talks"}]


def test_a_malformed_json_line_is_reported_and_the_next_line_still_read() -> None:
    records = read(b'{"kind": \n{"kind": "bid"}\n', "jsonl")
    assert records[0].data is None
    assert records[0].error is not None
    assert records[0].error.startswith("malformed JSON")
    assert records[1].data == {"kind": "bid"}


def test_invalid_utf8_is_reported_for_its_line_only() -> None:
    records = read(b'{"player": "Gu\xe9hi"}\n{"kind": "bid"}\n', "jsonl")
    assert records[0].error is not None
    assert "not valid UTF-8" in records[0].error
    assert records[1].data == {"kind": "bid"}


def test_a_binary_file_gives_one_error_and_no_records() -> None:
    records = read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "jsonl")
    assert len(records) == 1
    assert records[0].error is not None
    assert "binary data" in records[0].error


def test_a_nul_byte_deep_into_a_text_file_is_an_error_for_its_line_only() -> None:
    text = b'{"kind": "bid"}\n' * 1000
    records = read(text + b'{"kind": "b\x00id"}\n{"kind": "talks"}\n', "jsonl")
    assert [record.line for record in records if record.error] == [1001]
    assert "binary data" in (records[1000].error or "")
    assert records[1001].data == {"kind": "talks"}


def test_an_overlong_line_is_reported_and_nothing_after_it_is_read() -> None:
    huge = b'{"evidence": "' + b"x" * (LINE_LIMIT + 10) + b'"}'
    records = read(b'{"kind": "talks"}\n' + huge + b'\n{"kind": "bid"}\n', "jsonl")
    assert records == [
        RawRecord(1, {"kind": "talks"}, None),
        RawRecord(2, None, f"line too long (over the limit of {LINE_LIMIT} bytes); nothing after it was read"),
    ]  # fmt: skip


class EndlessStream(io.RawIOBase):
    """`cat /dev/zero | tr '\\0' x`: bytes without a line break for ever, after `head`.

    Fails the test when read far past the line limit, instead of hanging it.
    """

    def __init__(self, head: bytes = b"", fill: bytes = b"x") -> None:
        self.head, self.fill, self.served = head, fill, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        assert self.served < 4 * LINE_LIMIT, "read far past the line limit: it would never stop"
        size = len(buffer)
        chunk = (self.head + self.fill * size)[:size]
        self.head = self.head[len(chunk) :]
        buffer[:size] = chunk
        self.served += size
        return size


@pytest.mark.parametrize(
    ("fmt", "head", "fill", "error"),
    [
        ("jsonl", b"", b"x", "line too long"),
        ("csv", b"", b"x", "line too long"),
        ("csv", b'kind,evidence\nbid,"', b"x", "line too long"),
        ("csv", b'kind,evidence\nbid,"', b"x\n", "a cell longer than"),
        ("json", b'[{"evidence": "', b"x", "claim too long"),
        ("json", b"[", b" ", "blank space too long"),
        ("json", b"", b" ", "blank space too long"),
    ],
)
def test_an_endless_input_without_line_breaks_stops_at_the_limit(
    fmt: Format, head: bytes, fill: bytes, error: str
) -> None:
    records = list(read_records(io.BufferedReader(EndlessStream(head, fill)), fmt))
    assert len(records) == 1
    assert error in (records[0].error or "")
    assert (records[0].error or "").endswith("nothing after it was read")


@pytest.mark.parametrize(
    ("line", "expected"),
    [(b"[1, 2]", "a list"), (b'"bid"', "text"), (b"42", "a number"), (b"null", "null")],
)
def test_a_json_value_that_is_not_an_object_is_an_error(line: bytes, expected: str) -> None:
    (record,) = read(line + b"\n", "jsonl")
    assert record.error is not None
    assert record.error.endswith(f"got {expected}")


def test_deep_nesting_is_an_error_not_a_recursion_crash() -> None:
    deep = b'{"fee": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    (record,) = read(deep, "jsonl")
    assert record.error == f"JSON nested more than {DEPTH_LIMIT} levels deep"


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    (record,) = read(b'{"evidence": "[[[[[[[[[[[[{{{{{{{{{{"}', "jsonl")
    assert record.data == {"evidence": "[[[[[[[[[[[[{{{{{{{{{{"}


def test_a_duplicate_key_is_an_error_naming_the_key() -> None:
    (record,) = read(b'{"player": "A", "player": "B"}', "jsonl")
    assert record.error == "malformed JSON: duplicate key 'player'"


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"1" * 500, b"1e999999999"])
def test_numbers_json_does_not_allow_or_cannot_hold_are_errors(number: bytes) -> None:
    (record,) = read(b'{"id": ' + number + b"}", "jsonl")
    assert record.error is not None
    assert record.error.startswith("malformed JSON")


def test_decimal_numbers_are_read_exactly() -> None:
    (record,) = read(b'{"fee": {"amount": 20.9, "currency": "GBP"}}', "jsonl")
    assert record.data == {
        "fee": {"amount": __import__("decimal").Decimal("20.9"), "currency": "GBP"}
    }


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_an_empty_file_has_no_records(fmt: Format) -> None:
    assert read(b"", fmt) == []
    assert read(b"\xef\xbb\xbf\n  \r\n", fmt) == []


# --- JSON arrays ---------------------------------------------------------------------------


def test_json_array_elements_carry_the_line_they_start_on() -> None:
    content = (
        b'[\n  {"kind": "bid",\n   "fee": {"amount": "1", "currency": "GBP"}},\n'
        b'  {"kind": "talks"}\n]\n'
    )
    records = read(content, "json")
    assert lines_of(records) == [2, 4]
    assert records[1].data == {"kind": "talks"}


def test_commas_and_brackets_inside_strings_do_not_split_an_element() -> None:
    (record,) = read(b'[{"evidence": "a, b] c} \\"d\\", [e"}]', "json")
    assert record.data == {"evidence": 'a, b] c} "d", [e'}


def test_a_minified_array_longer_than_a_line_limit_is_still_read_element_by_element() -> None:
    claims = [{"kind": "bid", "evidence": f'claim {n} \\ \u00e9 "quoted"'} for n in range(40_000)]
    content = json.dumps(claims, ensure_ascii=False).encode()
    assert len(content) > 2 * LINE_LIMIT
    records = read(content, "json")
    assert [record.data for record in records] == claims


def test_a_bad_element_is_reported_and_the_following_elements_still_read() -> None:
    content = b'[\n{"kind": "bid"},\n{"kind": bid},\n[1],\n{"kind": "talks"}\n]'
    records = read(content, "json")
    assert lines_of(records) == [2, 3, 4, 5]
    assert [record.data is None for record in records] == [False, True, True, False]


def test_invalid_utf8_inside_an_array_element_is_that_elements_error() -> None:
    records = read(b'[{"player": "Gu\xe9hi"}, {"kind": "bid"}]', "json")
    assert records[0].error == "not valid UTF-8"
    assert records[1].data == {"kind": "bid"}


def test_a_deeply_nested_array_element_is_an_error_not_a_crash() -> None:
    content = b"[" + b"[" * 50_000 + b"]" * 50_000 + b', {"kind": "bid"}]'
    records = read(content, "json")
    assert records[0].error == f"JSON nested more than {DEPTH_LIMIT} levels deep"
    assert records[1].data == {"kind": "bid"}


def test_an_overlong_array_element_is_reported_and_nothing_after_it_is_read() -> None:
    content = (
        b'[{"kind": "talks"}, {"evidence": "' + b"x" * (LINE_LIMIT + 1) + b'"}, {"kind": "bid"}]'
    )
    records = read(content, "json")
    assert records[0].data == {"kind": "talks"}
    assert (records[1].error or "").startswith("claim too long")
    assert len(records) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"kind": "bid"}', "must hold one array"),
        (b'[{"kind": "bid"},]', "no claim before ']'"),
        (b'[{"kind": "bid"}] {}', "after the closing ]"),
        (b'[\n{"kind": "bid"}', "never closed"),
    ],
)
def test_a_broken_array_says_what_is_wrong(content: bytes, message: str) -> None:
    assert any(message in error for error in errors_of(read(content, "json")))


def test_an_empty_array_has_no_records() -> None:
    assert read(b"[ ]", "json") == []


# --- CSV -----------------------------------------------------------------------------------


def test_csv_rows_map_header_names_to_cells_and_empty_cells_are_absent() -> None:
    content = (
        b"\xef\xbb\xbfReported_On,kind,player,club,fee\r\n"
        b"2025-02-03,bid,Marc Guehi,,\xc2\xa370m\r\n"
    )
    (record,) = read(content, "csv")
    assert record == RawRecord(
        2, {"reported_on": "2025-02-03", "kind": "bid", "player": "Marc Guehi", "fee": "£70m"}, None
    )


def test_a_quoted_multiline_cell_keeps_its_newline_and_the_next_row_its_line_number() -> None:
    content = (
        b"reported_on,kind,evidence\n"
        b'2025-02-03,bid,"first line\nsecond, line"\n'
        b"2025-02-04,talks,x\n"
    )
    records = read(content, "csv")
    assert lines_of(records) == [2, 4]
    assert records[0].data is not None
    assert records[0].data["evidence"] == "first line\nsecond, line"


def test_blank_lines_and_rows_of_empty_cells_are_skipped() -> None:
    records = read(b"kind,player\n\nbid,A\n,\n  ,  \ntalks,B\n", "csv")
    assert lines_of(records) == [3, 6]


def test_unknown_header_names_are_listed_on_line_one_with_suggestions() -> None:
    (record,) = read(b"reported_on,kindd,colour\n2025-02-03,bid,red\n", "csv")
    assert record.line == 1
    assert record.error == (
        "CSV header: unknown column names: 'kindd' (did you mean 'kind'?), 'colour'"
    )


def test_a_header_naming_a_column_twice_or_not_at_all_is_an_error() -> None:
    assert "more than once" in errors_of(read(b"kind,player,kind\n", "csv"))[0]
    assert "column 3 has no name" in errors_of(read(b"kind,player,\n", "csv"))[0]


def test_a_row_with_the_wrong_number_of_cells_is_an_error() -> None:
    records = read(b"kind,player\nbid\nbid,A,extra\ntalks,B\n", "csv")
    assert errors_of(records) == [
        "expected 2 cells as in the header, found 1",
        "expected 2 cells as in the header, found 3",
    ]
    assert records[2].data == {"kind": "talks", "player": "B"}


def test_bad_quoting_and_bad_bytes_in_csv_are_errors_for_their_rows() -> None:
    records = read(b'kind,player\nbid,"A"x\ntalks,\xff\nbid,C\n', "csv")
    assert lines_of(records) == [2, 3, 4]
    assert (records[0].error or "").startswith("malformed CSV")
    assert "not valid UTF-8" in (records[1].error or "")
    assert records[2].data == {"kind": "bid", "player": "C"}


def test_an_unclosed_quote_and_a_huge_cell_are_named_as_such() -> None:
    (unclosed,) = read(b'kind,evidence\nbid,"never closed\n', "csv")
    assert unclosed.error == "malformed CSV: a quoted cell is never closed"
    huge = read(b"kind,evidence\nbid," + b"x" * 200_000 + b"\ntalks,ok\n", "csv")
    assert "a cell longer than" in (huge[0].error or "")
    assert len(huge) == 1  # a cell past the limit ends the reading, as a line past it does


def test_a_header_alone_has_no_records() -> None:
    assert read(b"reported_on,kind\n", "csv") == []


# --- memory ----------------------------------------------------------------------------------


def _peak_bytes_while_reading(records: Iterator[RawRecord]) -> int:
    tracemalloc.start()
    try:
        for _ in records:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_reading_a_long_file_holds_one_record_at_a_time(fmt: Format) -> None:
    count = 6_000
    if fmt == "jsonl":
        content = b"".join(json.dumps(GUEHI).encode() + b"\n" for _ in range(count))
    elif fmt == "json":
        content = json.dumps([GUEHI] * count, indent=1).encode()
    else:
        content = csv_bytes([GUEHI] * count)
    peak = _peak_bytes_while_reading(read_records(io.BytesIO(content), fmt))
    assert len(content) > 500_000
    assert peak < 200_000
