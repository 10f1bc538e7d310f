"""Club names as people write them → canonical clubs (SPEC §3.3).

The reference data ships in ``ledger/data/clubs.csv`` and ``ledger/data/club_aliases.csv``
(built by ``scripts/build_club_data.py``; see docs/club-data.md) and is loaded once.

    registry = club_registry()
    registry.resolve("Monchengladbach")           # Borussia Mönchengladbach
    registry.resolve("Arsenal", country="AR")     # Arsenal de Sarandí, not Arsenal
    registry.resolve("Lilywhites", allow_nicknames=True)
    registry.find_mentions("Spurs had a £70m bid rejected by Crystal Palace.")

Matching is on ``name_key`` (accents, case and punctuation folded). A name several clubs share is
decided by the preference rule of ``ledger.entities.club_model``, or reported as ambiguous.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable

from rapidfuzz import fuzz, process

from ledger.entities.club_mentions import MentionScanner, build_scanner
from ledger.entities.club_model import Club, ClubMention, ambiguous, choose, preference_key
from ledger.entities.names import name_key
from ledger.errors import UnknownNameError

__all__ = ["Club", "ClubMention", "ClubRegistry", "club_registry"]

ALIAS_KINDS = frozenset({"name", "newsroom", "nickname"})
_SUGGEST_CUTOFF = 72.0
_SUGGEST_SPREAD = 12.0
# Legal-form words people add or leave out: "Lens FC", "The Gunners", "F.C. Porto".
_AFFIXES = re.compile(r"^(?:the|a ?f ?c|f ?c|c ?f) |(?: a ?f ?c| f ?c| c ?f)$")


class ClubRegistry:
    """Every known club with its aliases, indexed by folded name."""

    def __init__(self, clubs: Iterable[Club], aliases: Iterable[tuple[str, str, str]]) -> None:
        self._by_id = {club.id: club for club in clubs}
        names: dict[str, list[Club]] = defaultdict(list)
        nicknames: dict[str, list[Club]] = defaultdict(list)
        written: dict[str, list[str]] = defaultdict(list)
        for club in self._by_id.values():
            names[name_key(club.name)].append(club)
            written[name_key(club.name)].append(club.name)
        for club_id, alias, kind in aliases:
            club = self._club_for_alias(club_id, alias, kind)
            key = name_key(alias)
            index = nicknames if kind == "nickname" else names
            if key and club not in index[key]:
                index[key].append(club)
                written[key].append(alias)
        self._names = {key: tuple(clubs) for key, clubs in names.items()}
        self._nicknames = {key: tuple(clubs) for key, clubs in nicknames.items()}
        self._written = {key: tuple(forms) for key, forms in written.items()}
        self._name_keys = list(self._names)

    def _club_for_alias(self, club_id: str, alias: str, kind: str) -> Club:
        if kind not in ALIAS_KINDS:
            raise ValueError(f"alias {alias!r} has unknown kind {kind!r}")
        if club_id not in self._by_id:
            raise ValueError(f"alias {alias!r} names unknown club id {club_id!r}")
        return self._by_id[club_id]

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Club]:
        return iter(self._by_id.values())

    def get(self, club_id: str) -> Club:
        """The club with this id; ``UnknownNameError`` (with close ids) when there is none."""
        club = self._by_id.get(club_id)
        if club is not None:
            return club
        close = process.extract(
            club_id, list(self._by_id), scorer=fuzz.WRatio, limit=5, score_cutoff=_SUGGEST_CUTOFF
        )
        raise UnknownNameError(f"no club has id {club_id!r}", club_id, [m[0] for m in close])

    def resolve(
        self,
        name: str,
        *,
        country: str | None = None,
        league: str | None = None,
        allow_nicknames: bool = False,
        named: Collection[str] = (),
    ) -> Club:
        """The one club ``name`` means, using ``country``/``league`` context when given.

        Raises ``UnknownNameError`` (with suggestions) when nothing is called that, and
        ``AmbiguousNameError`` (with the candidates) when neither context nor the preference
        rule decides. Nicknames (``Lilywhites``) count only with ``allow_nicknames=True``;
        ``named`` holds the ids of the clubs the surrounding text names, and a nickname of one
        of them beats another club's name spelled the same (``Magpies`` with Newcastle named).
        """
        if allow_nicknames and named and (club := self._named_nickname(name, named)):
            return club
        clubs = self.candidates(name, allow_nicknames=allow_nicknames)
        if not clubs:
            raise self._unknown(name)
        return choose(clubs, name, country=country, league=league)

    def candidates(self, name: str, *, allow_nicknames: bool = False) -> tuple[Club, ...]:
        """Every club ``name`` fits, before any preference is applied."""
        for key in _key_variants(name_key(name)):
            if clubs := self._names.get(key):
                return clubs
            if allow_nicknames and (clubs := self._nicknames.get(key)):
                return clubs
        return ()

    def _named_nickname(self, name: str, named: Collection[str]) -> Club | None:
        """The named club ``name`` is a nickname of, unless a club so called is named itself."""
        for key in _key_variants(name_key(name)):
            if any(club.id in named for club in self._names.get(key, ())):
                return None
            owners = [club for club in self._nicknames.get(key, ()) if club.id in named]
            if len(owners) > 1:
                raise ambiguous(name, owners)
            if owners:
                return owners[0]
        return None

    def close_match(self, name: str, cutoff: float = 85.0) -> Club | None:
        """The one club whose name ``name`` misspells (`Tottenahm`), else None (none or several)."""
        found = process.extract(
            name_key(name), self._name_keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
        )
        clubs = {club.id: club for matched, _, _ in found for club in self._names[matched]}
        return next(iter(clubs.values())) if len(clubs) == 1 else None

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        """Up to ``limit`` display names of clubs whose names are close to ``name``.

        Best score first, bigger clubs first among equals; matches far weaker than the best
        are left out, so a near miss is not buried under noise.
        """
        key = name_key(name)
        if not key or limit <= 0:
            return []
        scored = [
            match
            for match in process.extract(
                key,
                self._name_keys,
                scorer=fuzz.WRatio,
                limit=limit * 8,
                score_cutoff=_SUGGEST_CUTOFF,
            )
            if 2 * len(match[0]) >= len(key)  # "mp" inside "wolverhamptn" is no suggestion
        ]
        if not scored:
            return []
        floor = scored[0][1] - _SUGGEST_SPREAD
        ranked = sorted(
            ((round(score), club) for matched, score, _ in scored if score >= floor
             for club in self._names[matched]),
            key=lambda pair: (-pair[0], *preference_key(pair[1])),
        )  # fmt: skip
        return list(dict.fromkeys(club.name for _, club in ranked))[:limit]

    def find_mentions(self, text: str, *, allow_nicknames: bool = False) -> list[ClubMention]:
        """Clubs named in ``text``, in order; see ``ledger.entities.club_mentions`` for what counts."""
        scanner = self._nickname_scanner if allow_nicknames else self._name_scanner
        return scanner.scan(text)

    @cached_property
    def _name_scanner(self) -> MentionScanner:
        return build_scanner(self._names, self._written)

    @cached_property
    def _nickname_scanner(self) -> MentionScanner:
        return build_scanner(self._names, self._written, self._nicknames)

    def _unknown(self, name: str) -> UnknownNameError:
        nicknamed = self.candidates(name, allow_nicknames=True)
        if nicknamed:
            owners = [club.name for club in nicknamed]
            return UnknownNameError(
                f"{name!r} is a nickname ({', '.join(owners)}); nicknames resolve only when "
                "allowed",
                name,
                owners,
            )
        suggestions = self.suggest(name)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        return UnknownNameError(f"unknown club {name!r}{hint}", name, suggestions)


def _key_variants(key: str) -> list[str]:
    bare = _AFFIXES.sub("", key).strip()
    return [key, bare] if bare and bare != key else [key]


@cache
def club_registry() -> ClubRegistry:
    """The registry built from the shipped reference data (loaded on first use, then kept)."""
    data = resources.files("ledger") / "data"
    clubs = [
        Club(
            id=row["id"],
            name=row["name"],
            country=row["country"],
            league=row["league"] or None,
            league_rank=int(row["league_rank"]),
        )
        for row in _rows(data / "clubs.csv")
    ]
    aliases = [
        (row["club_id"], row["alias"], row["kind"]) for row in _rows(data / "club_aliases.csv")
    ]
    return ClubRegistry(clubs, aliases)


def _rows(resource: Traversable) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8"))))
