"""Find club names in running text, for the article extractor.

The text is split into word tokens once; every token is folded with ``name_key`` and the longest
run of tokens whose folded form is a known alias wins, left to right, without overlaps. Prose is
full of words that are also club names, so a match must also look like a name:

- it starts with a capital or a digit (``inter``, ``nice``, ``forest`` in prose never match);
- an alias only ever written in capitals (``PSG``, ``OM``) matches only in capitals;
- tokens inside a match are joined by spaces or one of ``. ' ’ & / -`` (``Man. City``,
  ``Brighton & Hove``); a full stop only after an abbreviation, never across a sentence end;
- a place compound (``Yokohama-born``, ``Liverpool-based``) is a place, not a club;
- a lone one-word name glued to a following capitalised word belongs to another proper noun
  (``Celtic Park``, ``Sparta Prague``, ``Inter Miami`` when unknown), and ``The Athletic`` is a
  newspaper, so those are skipped; nicknames are exempt (``The Lilywhites``).

Nicknames are shared (``the Blues``: Chelsea, Everton, Manchester City, Birmingham), so once the
whole text is scanned a nickname goes to the one club it belongs to that the text names by name;
when several named clubs share it, it names none of them, and when none is named it stands only if
it belongs to one club at all. The same rule lets a named club's nickname beat another club's
name spelled the same (``the Magpies`` is Newcastle United where Newcastle is named, not a club
called ``FC Magpies``); a name whose own club is named elsewhere keeps it.

Which aliases are scanned at all (one-word names only for clubs of a recorded league, no
ambiguous names) is decided when the scanner is built, so a scan is dictionary lookups only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ledger.entities.club_model import Club, ClubMention, choose
from ledger.entities.names import name_key
from ledger.errors import AmbiguousNameError

_TOKEN = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"[^\S\n]*[.'’&/\-]?[^\S\n]*")
_GAP = re.compile(r"[^\S\n]+")
_OPENERS = frozenset(" \t\"'‘“([")
_SENTENCE_ENDS = frozenset(".!?:;\n—–")
_PLACE_COMPOUND = re.compile(r"[-‐–](?:born|based|bred|raised)\b")
_ABBREVIATION_MAX = 5
_NO_KEY = "\x00"

Token = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class MentionTarget:
    """What a folded alias points to: the club it names (if any) and the clubs it nicknames."""

    club: Club | None
    acronym: bool
    nicknamed: tuple[Club, ...] = ()


@dataclass(frozen=True, slots=True)
class _Found:
    """An alias found in the text before its club is settled; ``as_name`` if it reads as one."""

    start: int
    end: int
    target: MentionTarget
    as_name: bool


@lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    key = name_key(token)
    return key if key and " " not in key else _NO_KEY


class MentionScanner:
    """A precompiled index of folded aliases; ``scan`` finds them in a text."""

    def __init__(self, targets: Mapping[str, MentionTarget]) -> None:
        self._targets = dict(targets)
        spans: dict[str, int] = {}
        for key in self._targets:
            words = key.split(" ")
            spans[words[0]] = max(spans.get(words[0], 0), len(words))
        self._spans = spans

    def scan(self, text: str) -> list[ClubMention]:
        tokens = [(m.start(), m.end(), _token_key(m.group())) for m in _TOKEN.finditer(text)]
        found: list[_Found] = []
        index = 0
        while index < len(tokens):
            width = self._match_at(text, tokens, index, found)
            index += width or 1
        return _settle(text, found)

    def _match_at(self, text: str, tokens: Sequence[Token], index: int, found: list[_Found]) -> int:
        """Append the longest acceptable alias starting at ``index``; return its width."""
        longest = min(self._spans.get(tokens[index][2], 0), len(tokens) - index)
        for width in range(longest, 0, -1):
            window = tokens[index : index + width]
            target = self._targets.get(" ".join(token[2] for token in window))
            if target is None or not _joined(text, window):
                continue
            after_club = bool(found) and index > 0 and found[-1].end == tokens[index - 1][1]
            check = (text, tokens, index, width)
            as_name = target.club is not None and self._acceptable(
                *check, acronym=target.acronym, nickname=False, after_club=after_club
            )
            if as_name or (
                target.nicknamed
                and self._acceptable(*check, acronym=False, nickname=True, after_club=after_club)
            ):
                found.append(_Found(window[0][0], window[-1][1], target, as_name))
                return width
        return 0

    def _acceptable(
        self,
        text: str,
        tokens: Sequence[Token],
        index: int,
        width: int,
        *,
        acronym: bool,
        nickname: bool,
        after_club: bool,
    ) -> bool:
        start, end = tokens[index][0], tokens[index + width - 1][1]
        surface = text[start:end]
        if not (surface[0].isupper() or surface[0].isdigit()):
            return False
        if acronym and not surface.isupper():
            return False
        if _PLACE_COMPOUND.match(text, end):
            return False
        if width == 1 and not nickname:
            if _after_the(text, tokens, index) or self._glued(text, tokens, index):
                return False
            return after_club or not _after_proper_noun(text, tokens, index)
        return True

    def _glued(self, text: str, tokens: Sequence[Token], index: int) -> bool:
        """True when the next word is capitalised, follows after spaces only, and is no club."""
        if index + 1 >= len(tokens):
            return False
        end, (next_start, _, next_key) = tokens[index][1], tokens[index + 1]
        if not _GAP.fullmatch(text, end, next_start):
            return False
        return text[next_start].isupper() and next_key not in self._spans


def _settle(text: str, found: Sequence[_Found]) -> list[ClubMention]:
    """Give every alias found its club, now that the clubs the text names are known."""
    named = {
        item.target.club.id
        for item in found
        if item.as_name and item.target.club is not None and not item.target.nicknamed
    }
    mentions = []
    for item in found:
        club = _club_of(item, named)
        if club is not None:
            mentions.append(ClubMention(item.start, item.end, text[item.start : item.end], club))
    return mentions


def _club_of(item: _Found, named: set[str]) -> Club | None:
    """The module docstring's nickname rule for one alias; None when it names no one club."""
    own = item.target.club if item.as_name else None
    if own is not None and (own.id in named or not item.target.nicknamed):
        return own
    owners = [club for club in item.target.nicknamed if club.id in named]
    if owners:
        return owners[0] if len(owners) == 1 else None
    if own is not None:
        return own
    return item.target.nicknamed[0] if len(item.target.nicknamed) == 1 else None


def _after_the(text: str, tokens: Sequence[Token], index: int) -> bool:
    if index == 0:
        return False
    before_start, before_end, _ = tokens[index - 1]
    return text[before_start:before_end] == "The" and bool(
        _GAP.fullmatch(text, before_end, tokens[index][0])
    )


def _after_proper_noun(text: str, tokens: Sequence[Token], index: int) -> bool:
    """True for ``European Union``, ``Bobby Charlton``: a capitalised word mid-sentence before."""
    if index == 0:
        return False
    before_start, before_end, _ = tokens[index - 1]
    if not text[before_start].isupper() or not _GAP.fullmatch(text, before_end, tokens[index][0]):
        return False
    return not _starts_sentence(text, before_start)


def _starts_sentence(text: str, position: int) -> bool:
    """Whether the word at ``position`` is capitalised only because a sentence starts there."""
    cursor = position
    while cursor > 0 and text[cursor - 1] in _OPENERS:
        cursor -= 1
    return cursor == 0 or text[cursor - 1] in _SENTENCE_ENDS


def _joined(text: str, window: Sequence[Token]) -> bool:
    for (prev_start, prev_end, _), (next_start, _, _) in pairwise(window):
        gap = text[prev_end:next_start]
        if not _JOINER.fullmatch(gap):
            return False
        # "Man. City" is one name; "Manchester. City" is the end of one sentence and the next.
        if "." in gap and prev_end - prev_start > _ABBREVIATION_MAX:
            return False
    return True


def build_scanner(
    names: Mapping[str, Sequence[Club]],
    written: Mapping[str, Sequence[str]],
    nicknames: Mapping[str, Sequence[Club]] | None = None,
) -> MentionScanner:
    """Index the aliases worth scanning for; ``nicknames`` only when the caller allows them."""
    targets: dict[str, MentionTarget] = {}
    for key, clubs in names.items():
        club = _preferred(clubs, key)
        if club is None or len(key) < 2 or not any(ch.isalpha() for ch in key):
            continue
        # A bare one-word name of a club outside the recorded leagues is more often a word or a
        # person in English prose (Tom, Junior, Europa, Nelson) than that club.
        if " " not in key and club.league is None:
            continue
        acronym = all(form.isupper() for form in written.get(key, ()))
        targets[key] = MentionTarget(club, acronym)
    for key, clubs in (nicknames or {}).items():
        named = targets.get(key)
        targets[key] = MentionTarget(
            named.club if named else None, named.acronym if named else False, tuple(clubs)
        )
    return MentionScanner(targets)


def _preferred(clubs: Sequence[Club], key: str) -> Club | None:
    try:
        return choose(clubs, key)
    except AmbiguousNameError:
        return None
