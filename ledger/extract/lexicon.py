"""The extractor's dictionaries, read once from `ledger/data/extract_*.csv`.

* `extract_patterns.csv` — trigger phrases (regular expressions) mapped to claim kinds, in
  priority order: where two phrases overlap, the row nearer the top wins. Kind `none` rows are
  suppressors (intentions, hypotheticals, a player's own wishes) that exist only to stop a weaker
  row from firing on the same words; `fee_note` rows attach a fee stated on its own.
* `extract_deal_types.csv` — phrases that say what kind of deal (loan with option, free, …).
* `extract_words.csv` — small word lists by category (stop words, positions, roles, …).
* `extract_people.csv` — people who are never transfer targets (managers, directors).
* `extract_club_groups.csv` — descriptions such as "the capital club" or "the Spanish side".
* `extract_roles.csv` — words around a club that make it the buyer or the seller.
* `extract_lexicon.csv` — the verbs and nouns of transfer journalism as lemmas, by group
  (`reject`, `complete`, `bid_noun` …). A pattern writes `{reject}` for every form of every
  lemma of the group, `{reject.ed}` for the past and participle only (passives, `saw a bid
  rejected`), `{reject.ing}`, `{reject.now}` (base and third person); `ledger.extract.inflect`
  writes the forms, so no pattern lists `rejects|rejected|rejecting` by hand.
* `extract_grounds.csv` — stadiums and the clubs that play there (`Portman Road`).
* `extract_hedges.csv` — hedges (`could`, `understood to`, `monitoring`) and the confidence
  factor each applies to a claim whose clause carries it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal, cast

from ledger.entities.names import name_key
from ledger.errors import LedgerError
from ledger.events import CLAIM_KINDS, DealType
from ledger.extract.inflect import noun_forms, verb_forms

Target = Literal["after", "before", "any"]
Need = Literal["", "fee", "player_after", "fee_or_player"]
_EXTRA_KINDS = frozenset({"none", "fee_note"})


@dataclass(frozen=True, slots=True)
class TriggerPattern:
    """One row of the pattern dictionary; `priority` is its row number (lower wins overlaps)."""

    priority: int
    family: str
    kinds: tuple[str, ...]
    regex: re.Pattern[str]
    confidence: float
    target: Target
    renewed: bool
    needs: Need
    # `seller` when the clause's subject is the selling club (`Dortmund insist Sancho is not for
    # sale`, `Celtic rejected a bid`): that club is never the claim's buyer.
    subject_sells: bool
    # The same pattern without IGNORECASE, for lower-cased text: three times faster, since the
    # matcher can skip ahead by first character. None for a pattern that tests for capitals.
    lowered: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class ClubGroup:
    """Clubs a description can mean: by country code, league, explicit names, or a mix."""

    country: str | None
    league: str | None
    names: frozenset[str]

    def fits(self, name: str, country: str, league: str | None) -> bool:
        return (
            name in self.names
            or (self.country is not None and country == self.country)
            or (self.league is not None and league == self.league)
        )


def _rows(filename: str) -> list[dict[str, str]]:
    data = resources.files("ledger") / "data" / filename
    return list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"), newline="")))


def _compile(text: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(expand_lexicon(text, where), re.IGNORECASE)
    except re.error as exc:
        raise LedgerError(f"{where}: bad pattern {text!r}: {exc}") from exc


def _kinds(text: str, where: str) -> tuple[str, ...]:
    kinds = tuple(kind.strip() for kind in text.split("+"))
    unknown = [kind for kind in kinds if kind not in CLAIM_KINDS and kind not in _EXTRA_KINDS]
    if unknown:
        raise LedgerError(f"{where}: unknown kind {unknown[0]!r}")
    return kinds


def _lowered(text: str, where: str) -> re.Pattern[str] | None:
    if "(?-i:" in text:
        return None
    try:
        return re.compile(expand_lexicon(text, where))
    except re.error as exc:
        raise LedgerError(f"{where}: bad pattern {text!r}: {exc}") from exc


@cache
def trigger_patterns() -> tuple[TriggerPattern, ...]:
    """Every trigger row, in priority order."""
    found = []
    for number, row in enumerate(_rows("extract_patterns.csv"), start=2):
        where = f"extract_patterns.csv:{number}"
        found.append(
            TriggerPattern(
                priority=number,
                family=row["family"],
                kinds=_kinds(row["kind"], where),
                regex=_compile(row["pattern"], where),
                confidence=float(row["confidence"]),
                target=cast(Target, row["target"] or "any"),
                renewed=row["renewed"] == "true",
                needs=cast(Need, row["needs"]),
                subject_sells=row["subject"] == "seller",
                lowered=_lowered(row["pattern"], where),
            )
        )
    return tuple(found)


@cache
def deal_patterns() -> tuple[tuple[re.Pattern[str], DealType], ...]:
    """Deal-type phrases, most specific first (an obligation before a plain loan)."""
    rows = _rows("extract_deal_types.csv")
    return tuple(
        (_compile(row["pattern"], "extract_deal_types.csv"), DealType(row["deal"])) for row in rows
    )


@cache
def words(category: str) -> frozenset[str]:
    """The lower-cased words of one category of `extract_words.csv`."""
    table: dict[str, set[str]] = {}
    for row in _rows("extract_words.csv"):
        table.setdefault(row["category"], set()).add(row["word"].casefold())
    if category not in table:
        raise LedgerError(f"extract_words.csv has no category {category!r}")
    return frozenset(table[category])


@cache
def non_players() -> frozenset[str]:
    """Folded names of people who are not transfer targets (managers, directors, …)."""
    return frozenset(name_key(row["name"]) for row in _rows("extract_people.csv"))


@cache
def non_player_surnames() -> frozenset[str]:
    """Their surnames too, since articles often give a manager's surname alone."""
    return frozenset(key.split()[-1] for key in non_players())


@cache
def club_groups() -> dict[str, ClubGroup]:
    """Folded description (`capital`, `spanish`, `catalan`) → the clubs it can mean."""
    groups = {}
    for row in _rows("extract_club_groups.csv"):
        names = frozenset(name for name in row["clubs"].split("|") if name)
        group = ClubGroup(row["country"] or None, row["league"] or None, names)
        groups[name_key(row["phrase"])] = group
    return groups


@dataclass(frozen=True, slots=True)
class RoleCue:
    """Words next to a club that say it buys (`offer from X`), sells (`rejected by X`) or is
    only a player's past (`his former club X`)."""

    role: Literal["buyer", "seller", "former"]
    side: Literal["before", "after"]
    regex: re.Pattern[str]


@cache
def grounds() -> dict[str, str]:
    """Stadium name → club name (`extract_grounds.csv`): `a move to Stamford Bridge`."""
    return {row["ground"]: row["club"] for row in _rows("extract_grounds.csv")}


@cache
def role_cues() -> tuple[RoleCue, ...]:
    """Role cues in priority order: buyer rows first, so `signed by X` is not read as `by X`."""
    cues = []
    for number, row in enumerate(_rows("extract_roles.csv"), start=2):
        regex = _compile(row["pattern"], f"extract_roles.csv:{number}")
        role = cast(Literal["buyer", "seller", "former"], row["role"])
        cues.append(RoleCue(role, cast(Literal["before", "after"], row["side"]), regex))
    return tuple(cues)


@cache
def hedges() -> tuple[tuple[re.Pattern[str], float], ...]:
    """Hedge phrases (`could`, `understood to`, `are monitoring`) and their confidence factors."""
    return tuple(
        (re.compile(rf"\b{re.escape(row['phrase'])}\b", re.IGNORECASE), float(row["factor"]))
        for row in _rows("extract_hedges.csv")
    )


@lru_cache(maxsize=1024)
def hedge_factor(text: str) -> float:
    """The lowest factor of the hedges `text` carries (1.0 when it states things plainly)."""
    return min((factor for regex, factor in hedges() if regex.search(text)), default=1.0)


_MACRO = re.compile(r"\{(?P<group>[a-z_]+)(?:\.(?P<form>ed|ing|now))?\}")


@cache
def lexicon_forms() -> dict[tuple[str, str], frozenset[str]]:
    """(group, form selector) → the surface forms: `("reject", "ed")` → `rejected`, …"""
    table: dict[tuple[str, str], set[str]] = {}
    for row in _rows("extract_lexicon.csv"):
        group = row["group"]
        if row["pos"] == "noun":
            forms = {"": set(noun_forms(row["lemma"]))}
        else:
            verb = verb_forms(row["lemma"], row["past"], row["participle"])
            forms = {
                "": set(verb.all()),
                "ed": {verb.past, verb.participle},
                "ing": {verb.gerund},
                "now": {verb.base, verb.third},
            }
        for selector, found in forms.items():
            table.setdefault((group, selector), set()).update(found)
    return {key: frozenset(value) for key, value in table.items()}


def expand_lexicon(pattern: str, where: str = "pattern") -> str:
    """Replace every `{group}` / `{group.form}` of a pattern with a group of its forms."""

    def replace(match: re.Match[str]) -> str:
        key = (match["group"], match["form"] or "")
        forms = lexicon_forms().get(key)
        if forms is None:
            raise LedgerError(f"{where}: no lexicon group {match.group()!r}")
        return "(?:" + alternation(forms).replace("\\ ", " ") + ")"

    return _MACRO.sub(replace, pattern)


def alternation(items: frozenset[str]) -> str:
    """A regex alternation of `items`, longest first, each escaped."""
    return "|".join(re.escape(item) for item in sorted(items, key=len, reverse=True))
