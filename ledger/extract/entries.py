"""Where the stories of an article begin: live-blog entries and round-up items.

A live blog or a round-up is many stories in one text. Each begins at a timestamp (`09:05`) or at
a heading line that names a club or a player (`Torino dig their heels in`); a heading naming
nobody (`Not going anywhere`) is a section of the same story. Within a story, `he`, `the winger`
and `the London club` mean what that story has named; across stories they do not.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from ledger.extract.text import Sentence, is_heading, is_timestamp


def entry_starts(
    body: str,
    sentences: Sequence[Sentence],
    person_starts: Sequence[int],
    club_starts: Sequence[int],
) -> tuple[int, ...]:
    """The offsets where the article's stories begin, the first always 0, given the sorted
    offsets of the players and the clubs the article names."""
    starts = [0]
    for sentence in sentences:
        if sentence.start == 0 or not is_heading(body, sentence):
            continue
        if is_timestamp(sentence.text) or any(
            _any_in(offsets, sentence.start, sentence.end)
            for offsets in (person_starts, club_starts)
        ):
            starts.append(sentence.start)
    return tuple(starts)


def entry_of(starts: Sequence[int], offset: int) -> int:
    """The start of the story `offset` is in."""
    return starts[max(0, bisect_right(starts, offset) - 1)]


def _any_in(offsets: Sequence[int], low: int, high: int) -> bool:
    return bisect_left(offsets, low) < bisect_left(offsets, high)
