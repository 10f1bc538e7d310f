"""The rebuild's own `text[]` encoder for COPY gives the bytes psycopg's dumper gives."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from psycopg import pq
from psycopg.adapt import AdaptersMap, PyFormat, Transformer

from projections.rebuild_worker import TextArrays, use_own_encoders

# Any text PostgreSQL stores (no NUL), short and long, ASCII or not, repeats included.
_TEXTS = st.text(
    st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40
)


def _psycopg_bytes(values: list[str]) -> bytes:
    dumper = psycopg.adapters.get_dumper_by_oid(TextArrays.oid, pq.Format.BINARY)
    return bytes(dumper(list, Transformer()).dump(values) or b"")


@given(st.lists(st.lists(_TEXTS, max_size=12), max_size=6))
def test_every_array_is_encoded_as_psycopg_encodes_it(arrays: list[list[str]]) -> None:
    mine = TextArrays(list, Transformer())
    for values in arrays + arrays:  # the second time from the kept element encodings
        assert bytes(mine.dump(values) or b"") == _psycopg_bytes(values)


def test_an_encoder_whose_memory_is_full_forgets_and_still_encodes_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(TextArrays, "KEEP", 2)
    mine = TextArrays(list, Transformer())
    for values in (["bbc", "sky"], ["marca", "kicker", "bbc"], ["l'équipe", "sky"], []):
        assert bytes(mine.dump(values) or b"") == _psycopg_bytes(values)
        assert len(mine._elements) <= 2  # the bound is what is tested


def _copy_dumps(context: Any, values: list[str]) -> bytes:
    """`values` dumped as a binary COPY whose column is `text[]` dumps it (`Copy.set_types`)."""
    row = Transformer(context)
    row.set_dumper_types([psycopg.postgres.types["text"].array_oid], pq.Format.BINARY)
    return bytes(row.dump_sequence([values], [PyFormat.BINARY])[0] or b"")


def test_it_is_the_dumper_a_copy_connection_uses_for_text_arrays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dumped: list[list[str]] = []
    dump = TextArrays.dump

    def counted(self: TextArrays, obj: list[str]) -> Any:
        dumped.append(obj)
        return dump(self, obj)

    monkeypatch.setattr(TextArrays, "dump", counted)
    plain: Any = SimpleNamespace(adapters=AdaptersMap(psycopg.adapters), connection=None)
    assert _copy_dumps(plain, ["bbc", "sky"]) == _psycopg_bytes(["bbc", "sky"])
    assert dumped == []  # a connection the rebuild did not set up keeps psycopg's own
    rebuilding: Any = SimpleNamespace(adapters=AdaptersMap(psycopg.adapters), connection=None)
    use_own_encoders(rebuilding)  # what the rebuild does to each COPY connection
    assert _copy_dumps(rebuilding, ["bbc", "sky"]) == _psycopg_bytes(["bbc", "sky"])
    assert dumped == [["bbc", "sky"]]
