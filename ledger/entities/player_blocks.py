"""Blocking for the fuzzy player matcher: which known spellings a mention is scored against.

Scoring a mention against every known spelling costs O(players) per new name, so a file that
introduces many players was quadratic. Instead each spelling is filed under keys built from its
deletion neighbourhood (the text with up to k characters removed), and a mention is scored only
against the spellings sharing a key with it. A block holds spellings that agree on almost a whole
half of the name, so its size follows how common that half is, not how many players are known.

Why a close misspelling always shares a key. Call a slip one letter (or space) changed, added or
dropped; two neighbours swapped are two slips. Strings one slip apart have a common string made
by deleting at most one character from each: delete the changed letter from both, or the added
one from the longer. A known spelling K is filed under its head K[:h] (h = len(K) // 2) and its
tail K[h:], each with up to one deletion. A mention within `MAX_SLIPS` slips of K has at most one
slip in the head or at most one in the tail; that part of K then lines up with a prefix (or
suffix) of the mention one character longer, shorter or as long, which the lookup tries for every
length K can have (the mention's length ± `MAX_SLIPS`). So every spelling within three slips is a
candidate. A pair the blocks can miss is four or more edits of `fuzz.ratio` apart, which clears
the matcher's cutoff of 83 only when the two names total 24+ characters.

The split into halves is by position, not by given name and surname, on purpose: a slip in a
space or a particle (`Van Dijk` → `Vao Dijk`) moves the word split, never the position split.

Bare surnames are compared more loosely (ratio 70 admits two swapped letters in a 7-letter
surname), so `SurnameIndex` files each distinct surname under up to two deletions and finds every
surname within two slips of the mention — including a swap, which one deletion from each side
undoes. A surname three or more slips away that still scores 70 (3 dropped letters from a long
surname) is no longer suggested.
"""

from __future__ import annotations

MAX_SLIPS = 3


def deletions(text: str, depth: int) -> set[str]:
    """`text` and every string made from it by deleting up to `depth` characters."""
    found = {text}
    frontier = {text}
    for _ in range(depth):
        frontier = {word[:i] + word[i + 1 :] for word in frontier for i in range(len(word))}
        found |= frontier
    return found


def _near_sizes(size: int) -> tuple[list[int], list[int]]:
    """The head and tail sizes, ± 1, of every spelling length within `MAX_SLIPS` of `size`."""
    heads: set[int] = set()
    tails: set[int] = set()
    for known_size in range(max(size - MAX_SLIPS, 1), size + MAX_SLIPS + 1):
        half = known_size // 2
        heads.update(range(half - 1, half + 2))
        tails.update(range(known_size - half - 1, known_size - half + 2))
    return sorted(n for n in heads if 0 <= n <= size), sorted(n for n in tails if 0 <= n <= size)


class SpellingBlocks:
    """Spelling numbers filed by the head and the tail of their folded key (see the module)."""

    def __init__(self) -> None:
        # Keyed by the variant's hash, not the variant, and a block of one holds the bare number:
        # most variants belong to one spelling, and strings and one-item lists took 4x the memory
        # of the old blocks. Two variants sharing a hash only add a spelling scoring rejects.
        self._heads: dict[int, int | list[int]] = {}
        self._tails: dict[int, int | list[int]] = {}

    def add(self, key: str, number: int) -> None:
        half = len(key) // 2
        for blocks, part in ((self._heads, key[:half]), (self._tails, key[half:])):
            for variant in deletions(part, 1):
                _file(blocks, hash(variant), number)

    def candidates(self, key: str) -> list[int]:
        """The numbers of every spelling within `MAX_SLIPS` slips of `key` (and a few more)."""
        head_sizes, tail_sizes = _near_sizes(len(key))
        heads = set().union(*(deletions(key[:n], 1) for n in head_sizes))
        tails = set().union(*(deletions(key[len(key) - n :], 1) for n in tail_sizes))
        found: set[int] = set()
        for blocks, variants in ((self._heads, heads), (self._tails, tails)):
            for variant in variants:
                block = blocks.get(hash(variant))
                if isinstance(block, int):
                    found.add(block)
                elif block is not None:
                    found.update(block)
        return sorted(found)


def _file(blocks: dict[int, int | list[int]], slot: int, number: int) -> None:
    block = blocks.get(slot)
    if block is None:
        blocks[slot] = number
    elif isinstance(block, int):
        blocks[slot] = [block, number]
    else:
        block.append(number)


class SurnameIndex:
    """The player ids behind each distinct surname, findable from a surname two slips away.

    The deletion blocks are built on the first lookup: a batch that never meets a bare surname
    never pays for them.
    """

    def __init__(self) -> None:
        self._owners: dict[str, set[str]] = {}
        self._blocks: dict[str, set[str]] | None = None

    def add(self, surname: str, player_id: str) -> None:
        owners = self._owners.setdefault(surname, set())
        if not owners and self._blocks is not None:
            self._file(self._blocks, surname)
        owners.add(player_id)

    def near(self, surname: str) -> set[str]:
        """Ids of the players with a surname at most two slips from `surname`."""
        if self._blocks is None:
            self._blocks = {}
            for known in self._owners:
                self._file(self._blocks, known)
        blocks = self._blocks
        close = set().union(*(blocks.get(variant, ()) for variant in deletions(surname, 2)))
        return {player_id for known in close for player_id in self._owners[known]}

    @staticmethod
    def _file(blocks: dict[str, set[str]], surname: str) -> None:
        for variant in deletions(surname, 2):
            blocks.setdefault(variant, set()).add(surname)
