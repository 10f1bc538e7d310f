"""Display names by id for clubs and sources, read from the shipped CSV files alone.

Showing a board needs only id -> name. The full registries also index every alias (for clubs a
400 kB file, each alias normalised) and bring rapidfuzz, which together cost more than a whole
warm `rumours status`; they are built only when a typed name must be resolved.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources


def _names(file: str) -> dict[str, str]:
    text = (resources.files("ledger") / "data" / file).read_text(encoding="utf-8")
    rows = csv.reader(io.StringIO(text))
    header = next(rows)
    # A plain reader, not DictReader: every board pays for this read, and building a dict per
    # row of the 3,500 clubs tripled its cost.
    at_id, at_name = header.index("id"), header.index("name")
    return {row[at_id]: row[at_name] for row in rows if row}


@cache
def club_names_by_id() -> dict[str, str]:
    return _names("clubs.csv")


@cache
def source_names_by_id() -> dict[str, str]:
    return _names("sources.csv")
