"""Which clubs buy and which sell, each player's current club, and the article's main club.

A club reference gets a role from the words around it (`extract_roles.csv`): `offer from X`,
`X's pursuit`, `signed by X` make a buyer; `rejected by X`, `talks with X`, `X are unwilling to
sell` make a seller. A club written right before a player as his club (`RC Lens defender
Abdukodir Khusanov`, `Borussia Monchengladbach's Ko Itakura`) or right after (`Ko Itakura of
Bundesliga outfit Borussia Monchengladbach`, `Danso, arriving from Lens`) is that player's current
club; so is the one selling club of a clause that names one player. The main club — what `they`
and `the capital club` fall back to — is the club most often referred to as a possible buyer.
"""

from __future__ import annotations

import bisect
import itertools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ledger.entities.clubs import Club
from ledger.extract.clubrefs import ClubRef, coordinated_pairs, described_refs
from ledger.extract.entries import entry_starts
from ledger.extract.lexicon import alternation, role_cues, words
from ledger.extract.people import PersonRef
from ledger.extract.text import Sentence, clause_bounds

Role = Literal["buyer", "seller", "former", ""]
_NEAR = 80
_COORDINATION = re.compile(r",\s*|\s+(?:and|or)\s+|,\s+(?:and|or)\s+")
_PERSON_OF_CLUB = re.compile(
    r"^(?:'s)?,?\s+(?:(?:currently|now)\s+)?(?:of|at|arriving from|signed from|joining from|from)"
    r"\s+(?:[\w-]+\s+){0,2}?$"
)


@dataclass(frozen=True, slots=True)
class ClubContext:
    """Everything the claim assembler needs to know about the clubs of one article."""

    refs: tuple[ClubRef, ...]
    roles: dict[int, Role]  # keyed by ClubRef.start
    memory: dict[str, Club]  # player name → the club he plays for, as the article says
    main: Club | None
    pairs: tuple[tuple[int, Club, Club], ...]
    starts: tuple[int, ...]  # refs' start offsets, for bisection
    entries: tuple[int, ...]  # where the article's stories (live-blog entries) begin

    def role(self, ref: ClubRef) -> Role:
        return self.roles.get(ref.start, "")

    def refs_in(self, start: int, end: int) -> tuple[ClubRef, ...]:
        """The refs that start in [start, end). A bisection, not a scan: the assembler asks once
        per trigger, so scanning every ref of a long article made it quadratic."""
        return self.refs[bisect_left(self.starts, start) : bisect_left(self.starts, end)]


_JOINING = "that|which|who|whom|whose|while|when|if|but|because|after|before|since|than|so|or"
# Words that link a club to something other than the player that follows (`an offer from
# Leverkusen for winger X`): never an adjective between the club and his position.
_LINKS = f"for|to|with|from|by|and|of|on|in|over|{_JOINING}"
_TO_BE = "incoming|prospective|would-be|soon-to-be|future|targeted"


# A word describing a player between his club's possessive and his position: lower-case
# (`highly-rated`), an age (`22-year-old`) or a capitalised nationality (`Anderlecht's Ivorian
# midfielder`). Without the possessive a nationality is not allowed: in `Al-Nassr sign Brazilian
# defender X` the club signs him.
@cache
def _possessive_adjective() -> str:
    demonyms = alternation(words("demonym"))
    return rf"(?:[a-z][\w-]*|\d+-year-old|(?i:{demonyms}))"


@cache
def _club_before_person() -> re.Pattern[str]:
    positions = alternation(words("position"))
    # Adjectives may sit between (`Lens' highly-rated defender`); words like `for` may not: in
    # `an offer from Leverkusen for winger X` Leverkusen is the bidder, not X's club.
    # Nor may a conjunction: `told Liverpool that centre-back X` does not make X Liverpool's.
    adjective = rf"(?:(?!(?:{_LINKS})\s)[a-z][\w-]*\s+)"
    # `Aston Villa's incoming winger X`: a club's player-to-be is not yet its player.
    described = (
        rf"(?:(?!(?:{_LINKS}|{_TO_BE})\s)"
        rf"{_possessive_adjective()}\s+)"
    )
    # `his Manchester City team-mate - and fellow loanee - Tommy Doyle`: a team-mate of the
    # club's, with an aside between dashes or commas.
    mate = r"\s+team-?mates?\s+(?:[-,]\s+[^-,]{1,60}?\s+[-,]\s+)?"
    return re.compile(
        rf"^(?:'s?\s+(?:{described}{{0,2}}?(?:{positions})\s+)?"
        rf"|\s+{adjective}{{0,2}}?(?:{positions})\s+|{mate})$"
    )


def build_club_context(
    body: str, sentences: Sequence[Sentence], people: Sequence[PersonRef], named: Sequence[ClubRef]
) -> ClubContext:
    """Give the named clubs roles, find current clubs and the main club, resolve descriptions."""
    roles = {ref.start: _cue_role(body, ref, sentences) for ref in named}
    found = _adjacent_clubs(body, named, people, roles)
    found.extend(_clause_clubs(sentences, named, people, roles))
    memory: dict[str, Club] = {}
    for _, name, club in sorted(found, key=lambda item: item[0]):
        memory.setdefault(name, club)
    main = _main_club(named, roles, memory)
    eligible = [p.start for p in people if p.eligible]
    entries = entry_starts(body, sentences, eligible, [r.start for r in named])
    starts = (entries, [sentence.start for sentence in sentences])
    described = described_refs(body, named, people, main, starts)
    roles.update({ref.start: _cue_role(body, ref, sentences) for ref in described})
    refs = tuple(sorted([*named, *described], key=lambda r: r.start))
    _share_roles(body, refs, roles)
    pairs = tuple(coordinated_pairs(body, refs))
    return ClubContext(refs, roles, memory, main, pairs, tuple(r.start for r in refs), entries)


def _cue_role(body: str, ref: ClubRef, sentences: Sequence[Sentence]) -> Role:
    at = bisect.bisect_right(sentences, ref.start, key=lambda s: s.start) - 1
    sentence = sentences[at] if at >= 0 and ref.start < sentences[at].end else None
    low, high = (sentence.start, sentence.end) if sentence else (0, len(body))
    ahead = body[max(low, ref.start - 60) : ref.start]
    behind = body[ref.end : min(high, ref.end + 80)]
    for cue in role_cues():
        if cue.regex.search(ahead if cue.side == "before" else behind):
            return cue.role
    # `the 26-year-old Barcelona midfielder`: a club written as someone's employer sells.
    return "seller" if _club_of_player().match(behind) else ""


def written_as_employer(body: str, ref: ClubRef) -> bool:
    """`Lyon winger Yanis Berrada`: the club is written as a player's employer."""
    return _club_of_player().match(body[ref.end : ref.end + 80]) is not None


@cache
def _club_of_player() -> re.Pattern[str]:
    positions = alternation(words("position") - {"international", "captain", "star"})
    adjective = rf"(?:(?!(?:{_LINKS}|as|at)\s)[a-z][\w-]*\s+)"
    return re.compile(rf"^\s+{adjective}{{0,2}}?(?:{positions})\b(?!\s+(?:of|for|to)\b)")


def _share_roles(body: str, refs: Sequence[ClubRef], roles: dict[int, Role]) -> None:
    """`interest from Benfica and Olympiacos`: a coordinated club shares its neighbour's role."""
    for left, right in itertools.pairwise(refs):
        if roles.get(right.start) == "" and _COORDINATION.fullmatch(body[left.end : right.start]):
            roles[right.start] = roles.get(left.start, "")


Found = list[tuple[int, str, Club]]  # (offset of the player mention, player, his club)


def _adjacent_clubs(
    body: str, refs: Sequence[ClubRef], people: Sequence[PersonRef], roles: dict[int, Role]
) -> Found:
    found: Found = []
    starts = [ref.start for ref in refs]
    for person in people:
        # Only clubs within a few words can be written as the player's own.
        low = bisect.bisect_left(starts, person.start - _NEAR)
        high = bisect.bisect_right(starts, person.end + _NEAR)
        for ref in refs[low:high]:
            before = ref.end <= person.start and _club_before_person().match(
                body[ref.end : person.start]
            )
            after = person.end <= ref.start and (
                _PERSON_OF_CLUB.match(body[person.end : ref.start])
                or _apposition(body, person.end, ref)
            )
            if before or after:
                roles[ref.start] = "seller"
                found.append((person.start, person.name, ref.club))
    return found


def _apposition(body: str, person_end: int, ref: ClubRef) -> bool:
    """`Maximilian Roos, Freiburg's 23-year-old left-back`: the club in an apposition that
    describes the player is his."""
    if not re.fullmatch(r",\s+(?:the\s+)?", body[person_end : ref.start]):
        return False
    return _club_described_player().match(body[ref.end : ref.end + 60]) is not None


@cache
def _club_described_player() -> re.Pattern[str]:
    positions = alternation(words("position"))
    described = rf"(?:(?!(?:{_TO_BE})\s){_possessive_adjective()}\s+)"
    return re.compile(rf"^'s?\s+{described}{{0,2}}?(?:{positions})\b")


_PAST_MOVE = re.compile(
    r"(?<!\bto )(?<!\bhas )(?<!\bhave )\b(?:moved|joined|signed|arrived|switched|came)\s+"
    r"(?:\S+\s+){0,4}?from\b"
)


def _clause_clubs(
    sentences: Sequence[Sentence],
    refs: Sequence[ClubRef],
    people: Sequence[PersonRef],
    roles: dict[int, Role],
) -> Found:
    """In a clause naming one player and one selling club, that club is the player's."""
    found: Found = []
    people_starts = [p.start for p in people]
    ref_starts = [r.start for r in refs]
    for sentence in sentences:
        for start, end in clause_bounds(sentence.text):
            low, high = sentence.start + start, sentence.start + end
            # Bisection: scanning every person and club per clause made long articles quadratic.
            span = slice(bisect_left(people_starts, low), bisect_left(people_starts, high))
            named = [p for p in people[span] if p.eligible]
            clubs = refs[bisect_left(ref_starts, low) : bisect_left(ref_starts, high)]
            sellers = {r.club.id: r.club for r in clubs if roles.get(r.start) == "seller"}
            # `X moved to Berlin from Slavia Prague in 2015`: where he came from, not his club.
            past = _PAST_MOVE.search(sentence.text, start, end)
            if len({p.name for p in named}) == 1 and len(sellers) == 1 and not past:
                found.append((named[0].start, named[0].name, next(iter(sellers.values()))))
    return found


def _main_club(
    refs: Sequence[ClubRef], roles: dict[int, Role], memory: dict[str, Club]
) -> Club | None:
    selling = {club.id for club in memory.values()}
    counts: Counter[str] = Counter()
    first: dict[str, Club] = {}
    for ref in refs:
        role = roles.get(ref.start, "")
        # A club that is some player's own counts only where the words make it a buyer: a
        # buyer of one player can sell another (`Newcastle forward Harvey Stott`).
        if role in ("seller", "former") or (ref.club.id in selling and role != "buyer"):
            continue
        counts[ref.club.id] += 2 if role == "buyer" else 1
        first.setdefault(ref.club.id, ref.club)
    if not counts:
        return None
    best = max(counts.values())
    return next(club for cid, club in first.items() if counts[cid] == best)
