"""Distinct, made-up player names for the synthetic ledger, from two CSV lists.

The ledger matches player names fuzzily (`ledger.entities.players`), so two synthetic players whose names
differ by one short word would be merged, or reported as ambiguous, at ingest. Names are therefore
built as a code with distance two: any two names differ in at least two of their words, and the
lists are pruned so that two words of one list are at least four edits apart. Three-word names
(`given surname surname`) come first; when they run out, four-word ones (`given given surname
surname`). The last surname is a checksum of the other words modulo a prime `p`, which is what
guarantees the distance: change any one word and the last one changes too.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

_DATA = Path(__file__).with_name("data")
# Multipliers that scatter consecutive players over the name space (any value coprime with it).
_SCATTER = 7_919
_SCATTER_4 = 104_729


@functools.cache
def _read_names(filename: str) -> tuple[str, ...]:
    with (_DATA / filename).open(encoding="utf-8", newline="") as handle:
        return tuple(row["name"] for row in csv.DictReader(handle))


def _largest_prime_up_to(limit: int) -> int:
    for candidate in range(limit, 1, -1):
        if all(candidate % d for d in range(2, int(candidate**0.5) + 1)):
            return candidate
    raise ValueError("the name lists need at least two names each")


class NameBook:
    """Hands out player names in an order fixed by `offset`: the same offset, the same names."""

    def __init__(self, offset: int = 0) -> None:
        given, surnames = _read_names("first_names.csv"), _read_names("surnames.csv")
        self._p = p = _largest_prime_up_to(min(len(given), len(surnames)))
        self._given, self._surnames = given[:p], surnames[:p]
        self._three = (p - 1) * p
        self._four = p**3
        self._issued = 0
        self._offset = offset % self._three
        self._cursor = 0  # position in the four-word space, which skips unusable words

    def next_name(self) -> str:
        """The next unused name (after about 3 million names they start to repeat)."""
        issued = self._issued
        self._issued += 1
        if issued < self._three:
            return self._three_words((issued + self._offset) % self._three * _SCATTER % self._three)
        return self._four_words()

    def _three_words(self, code: int) -> str:
        p = self._p
        given, first = divmod(code, p)  # given < p - 1, so the checksum never repeats `first`
        last = (first + given + 1) % p
        return f"{self._given[given]} {self._surnames[first]} {self._surnames[last]}"

    def _four_words(self) -> str:
        p = self._p
        while True:
            code = self._cursor * _SCATTER_4 % self._four
            self._cursor += 1
            given, rest = divmod(code, p * p)
            middle, first = divmod(rest, p)
            # Zero words would make a four-word name a three-word one plus an inserted word.
            if given and middle and given != middle and (given + middle + 1) % p:
                last = (first + given + middle + 1) % p
                names = (self._given[given], self._given[middle])
                return f"{names[0]} {names[1]} {self._surnames[first]} {self._surnames[last]}"
