"""Whatever bytes or values arrive, reading and validating never raise (SPEC §7 bad input).

Every record ends as either a `ClaimInput` or problems that are single lines; nothing else, and no
exception, may come out of `read_records` + `validate_claim`.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.ingest.claim_input import CLAIM_FIELDS, ClaimInput, format_problem, validate_claim
from ledger.ingest.raw_lines import RawRecord
from ledger.ingest.readers import Format, read_records

FORMATS: tuple[Format, ...] = ("jsonl", "json", "csv")
FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NASTY = [
    "--help", "-h", "'; DROP TABLE events; --", "Robert'); DELETE FROM events;--", "%s %(x)s",
    "\x00", "a\nb", "a\r\nb", "\u2028", "\x1b[31m", "\\", '"', "{{7*7}}", "../../etc/passwd",
    "x" * 5000, "é" * 300, "", "   ", "null", "true", "£70m", "€25m plus €5m add-ons", "-£5m",
    "£1e999m", "2025-02-30", "2025-02-03", "0000-00-00", "9999-12-31", "bid", "retraction",
    "loan with obligation", "GIVEMESPORT", "https://example.com/x", "yes",
]  # fmt: skip
JARGON = ("pydantic", "Input should be", "Traceback", "NoneType")

texts = st.sampled_from(NASTY) | st.text(max_size=50)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
field_names = st.sampled_from(CLAIM_FIELDS) | st.sampled_from(NASTY) | st.text(max_size=15)
fee_values = st.fixed_dictionaries(
    {"amount": json_values, "currency": json_values},
    optional={"add_ons": json_values, "qualifier": json_values, "text": json_values},
)
claims = st.dictionaries(field_names, json_values | fee_values, max_size=16)
punctuation_text = st.text(alphabet='{}[],:"\\ \n\r\t\x00abé01-.eE;', max_size=300)


def single_line(message: str) -> bool:
    return "\n" not in message and len(message.splitlines()) == 1


def check(records: list[RawRecord]) -> None:
    for record in records:
        assert record.line >= 1
        assert (record.data is None) != (record.error is None)
        if record.error is not None:
            assert single_line(record.error), record.error
        else:
            assert record.data is not None
            check_claim(record.data, record.line)


def check_claim(data: dict[str, object], line: int = 1) -> None:
    outcome = validate_claim(data)
    if isinstance(outcome, ClaimInput):
        return
    assert outcome, "a rejected claim must say why"
    for problem in outcome:
        message = format_problem("claims.jsonl", line, problem)
        assert single_line(message), message
        assert not any(word in message for word in JARGON), message


def read(content: bytes, fmt: Format) -> list[RawRecord]:
    return list(read_records(io.BytesIO(content), fmt))


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    names = sorted({str(name) for row in rows for name in row})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(names)
    for row in rows:
        writer.writerow([str(row.get(name, "")) for name in names])
    return out.getvalue().encode("utf-8", "surrogatepass")


@FUZZ
@given(content=st.binary(max_size=3000), fmt=st.sampled_from(FORMATS))
def test_arbitrary_bytes_never_raise(content: bytes, fmt: Format) -> None:
    check(read(content, fmt))


@FUZZ
@given(text=punctuation_text, fmt=st.sampled_from(FORMATS))
def test_broken_json_and_csv_punctuation_never_raise(text: str, fmt: Format) -> None:
    check(read(text.encode(), fmt))


@FUZZ
@given(data=claims)
def test_any_claim_shaped_value_validates_or_gives_one_line_problems(
    data: dict[str, object],
) -> None:
    check_claim(data)


@FUZZ
@given(rows=st.lists(claims, min_size=1, max_size=4), fmt=st.sampled_from(FORMATS))
def test_claims_written_in_each_format_read_back_as_records_or_one_line_errors(
    rows: list[dict[str, Any]], fmt: Format
) -> None:
    if fmt == "csv":
        content = as_csv(rows)
    else:
        texts_ = [json.dumps(row, ensure_ascii=False) for row in rows]
        joined = "\n".join(texts_) if fmt == "jsonl" else "[" + ",\n".join(texts_) + "]"
        content = joined.encode("utf-8", "surrogatepass")
    records = read(content, fmt)
    check(records)
    if fmt != "csv":
        assert len(records) == len(rows)


@FUZZ
@given(
    depth=st.integers(min_value=1, max_value=3000),
    opener=st.sampled_from(["[", '{"a":']),
    fmt=st.sampled_from(FORMATS),
)
def test_deeply_nested_json_is_an_error_never_a_crash(depth: int, opener: str, fmt: Format) -> None:
    closer = "]" if opener == "[" else "}"
    nested = '{"fee": ' + opener * depth + "1" + closer * depth + "}"
    check(read((nested if fmt != "json" else f"[{nested}]").encode(), fmt))
