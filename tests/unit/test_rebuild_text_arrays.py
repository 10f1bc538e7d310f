"""The rebuild's own `text[]` encoder for COPY gives the bytes psycopg's dumper gives."""

from __future__ import annotations

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from psycopg import pq
from psycopg.adapt import Transformer

from projections.rebuild_worker import TextArrays

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


def test_it_is_the_dumper_a_copy_connection_uses_for_text_arrays() -> None:
    assert TextArrays.oid == psycopg.postgres.types["text"].array_oid
    assert TextArrays.format == pq.Format.BINARY
