"""Which rules a likelihood book was fitted by: a digest of the code and data that decide it.

A book is a function of the events up to its book position, of the quiet period and of the rules
that turn events into predictions and predictions into counts: the fold, the track record, the
source names, the fit itself. Events never change, but the rules do, with the code. A book
stored by one release and read (or grown from) by the next would give the boards the old rules'
likelihood, and a book grown from it would take the old rules' counts out of it and put the new
rules' counts in, mixing the two (or failing as an unbalanced tally). So every stored book
records the digest of the files below as they were when it was fitted (migration 0015), and a
process uses only the books fitted by its own rules; a book of other rules is fitted again.

A digest, not a version number someone must remember to raise: a rule changed without that
would be the very bug this guards against. Any edit of these files, a comment's included, costs
one fit of the head's book; a release that changes none of them keeps every stored book.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Final

_PROJECTIONS = Path(__file__).resolve().parent
_LEDGER = _PROJECTIONS.parent / "ledger"
# What a book's counts depend on, besides the events: how they are read and cut at a position,
# folded, judged as predictions, credited to sources (by the source list and its aliases) and
# counted.
RULE_FILES: Final = (
    *sorted((_PROJECTIONS / "fold").glob("*.py")),
    _PROJECTIONS / "inputs.py",
    _PROJECTIONS / "record_reads.py",
    _PROJECTIONS / "track_record.py",
    _PROJECTIONS / "likelihood.py",
    _PROJECTIONS / "book_fit.py",
    _PROJECTIONS / "book_tally.py",
    _LEDGER / "claim_kinds.py",
    _LEDGER / "codec.py",
    _LEDGER / "reading.py",
    _LEDGER / "entities" / "sources.py",
    _LEDGER / "data" / "sources.csv",
    _LEDGER / "data" / "source_aliases.csv",
)


@functools.cache
def book_rules() -> str:
    """The digest of the rules in force in this process (16 hex digits)."""
    digest = hashlib.sha256()
    for path in RULE_FILES:
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
        digest.update(b"\0")
    return digest.hexdigest()[:16]
