"""Name normalisation shared by every resolver (clubs, players, sources).

Newsrooms write the same name many ways: `Mönchengladbach`, `Monchengladbach`, `M'gladbach`,
`Guéhi`, `GUEHI`. Matching is done on a folded key: accents stripped, case folded, punctuation
turned into spaces, runs of spaces collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Letters that do not decompose into base + combining mark under NFKD.
_SPECIAL_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ð": "d",
    }
)


def strip_accents(text: str) -> str:
    """`Mönchengladbach` → `Monchengladbach`; keeps case and punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Bulk files repeat the same few thousand names millions of times.
@lru_cache(maxsize=65_536)
def name_key(text: str) -> str:
    """The folded key two spellings of a name share: `M'gladbach` → `m gladbach`."""
    folded = strip_accents(text).casefold()
    return _NOT_WORD.sub(" ", folded).strip()


def slugify(text: str) -> str:
    """A stable identifier made from a name: `Paris Saint-Germain` → `paris-saint-germain`."""
    return name_key(text).replace(" ", "-")
