"""Build the shipped club reference data from openfootball plus the newsroom additions.

Run by a person when the inputs change, never at run time:

    python scripts/build_club_data.py PATH/TO/openfootball_club_aliases.csv

Reads the openfootball CSV (CC0; columns region,country_dir,canonical,alias,lang,source_file) and
`ledger/data/newsroom_club_aliases.csv` (hand-written: display names, league membership, newsroom
forms and nicknames), and writes `ledger/data/clubs.csv` and `ledger/data/club_aliases.csv`.
How the data is derived is described in docs/club-data.md.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ledger.entities.names import name_key, slugify

DATA_DIR = Path(__file__).resolve().parents[1] / "ledger" / "data"
UNRECORDED_RANK = 9
DEFUNCT_RANK = 10
KIND_ORDER = ("name", "newsroom", "nickname")
# Words that name no club on their own; "City" for Manchester City would be a guess.
GENERIC_KEYS = frozenset({"city", "united", "real", "town", "county", "club", "fc", "afc", "cf"})
_DEFUNCT = re.compile(r"\(-\d{4}\)")
_SPONSOR = re.compile(r"\$\$(.*?)\$\$")
_LEGAL_SUFFIX = re.compile(r"\s+(?:A\.?F\.?C\.?|F\.?C\.?|C\.?F\.?)$")


@dataclass
class SourceClub:
    """One club as openfootball knows it: country code, canonical name and written forms."""

    country: str
    canonical: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class NewsroomEntry:
    """One row of the hand-written file: what openfootball lacks about a club."""

    country: str
    openfootball: str
    name: str
    league: str
    league_rank: int
    newsroom: list[str]
    nicknames: list[str]


@dataclass
class BuiltClub:
    """A club on its way into clubs.csv, with its aliases by kind."""

    source: SourceClub
    name: str = ""
    league: str = ""
    league_rank: int = UNRECORDED_RANK
    extra: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def id(self) -> str:
        return slugify(self.name)


def alias_variants(alias: str) -> list[str]:
    """openfootball marks sponsor words `$$Like This$$`; keep the form with and without them."""
    if "$$" not in alias:
        return [alias]
    with_sponsor = _SPONSOR.sub(r"\1", alias)
    without = " ".join(_SPONSOR.sub(" ", alias).split())
    return [form for form in (with_sponsor, without) if form]


def read_openfootball(path: Path) -> dict[tuple[str, str], SourceClub]:
    """Clubs keyed by (country code, canonical); the code is the prefix of the source file."""
    clubs: dict[tuple[str, str], SourceClub] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            source_file = row["source_file"] or row["country_dir"]
            country = source_file.rsplit("/", 1)[-1].split(".")[0].upper()
            canonical = " ".join(row["canonical"].split())
            club = clubs.setdefault((country, canonical), SourceClub(country, canonical))
            club.aliases.extend(alias_variants(row["alias"].strip()))
    return clubs


def read_newsroom(path: Path) -> list[NewsroomEntry]:
    """The hand-written additions; list cells are separated by `|`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            NewsroomEntry(
                country=row["country"],
                openfootball=row["openfootball"],
                name=row["name"],
                league=row["league"],
                league_rank=int(row["league_rank"] or UNRECORDED_RANK),
                newsroom=_split(row["newsroom"]),
                nicknames=_split(row["nicknames"]),
            )
            for row in csv.DictReader(handle)
        ]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def merge(
    sources: dict[tuple[str, str], SourceClub], entries: list[NewsroomEntry]
) -> list[BuiltClub]:
    """Every openfootball club, with the newsroom facts laid over the ones the file names."""
    built = {key: BuiltClub(src, league_rank=_default_rank(src)) for key, src in sources.items()}
    for entry in entries:
        key = (entry.country, entry.openfootball or entry.name)
        if key not in built:
            if entry.openfootball:
                raise SystemExit(f"newsroom row names an unknown openfootball club: {key}")
            built[key] = BuiltClub(SourceClub(entry.country, entry.name, [entry.name]))
        club = built[key]
        club.name, club.league, club.league_rank = entry.name, entry.league, entry.league_rank
        club.extra["newsroom"].extend(entry.newsroom)
        club.extra["nickname"].extend(entry.nicknames)
    return sorted(
        built.values(), key=lambda c: (c.league_rank, c.source.country, c.source.canonical)
    )


def _default_rank(source: SourceClub) -> int:
    return DEFUNCT_RANK if _DEFUNCT.search(source.canonical) else UNRECORDED_RANK


def short_name(source: SourceClub) -> str:
    """`Arsenal FC` → `Arsenal`, but only when openfootball itself lists the short form."""
    short = _LEGAL_SUFFIX.sub("", source.canonical)
    known = {name_key(alias) for alias in source.aliases}
    return short if short and name_key(short) in known else source.canonical


def assign_names(clubs: list[BuiltClub]) -> None:
    """Give every club a unique display name; the id is its slug, so ids are unique too.

    Clubs come best-ranked first, so a big club keeps the plain name and a smaller namesake gets
    its country appended. A name is also qualified when it is an alias of a better-ranked club,
    because the resolver lets a club's own name win over aliases.
    """
    alias_rank: dict[str, int] = {}
    for club in clubs:
        for alias in club.source.aliases + club.extra["newsroom"]:
            key = name_key(alias)
            alias_rank[key] = min(alias_rank.get(key, DEFUNCT_RANK + 1), club.league_rank)
    taken: set[str] = set()
    for club in clubs:
        base = club.name or short_name(club.source)
        name = base
        if name_key(name) in taken or alias_rank.get(name_key(name), 99) < club.league_rank:
            name = f"{base} ({club.source.country})"
        counter = 2
        while name_key(name) in taken:
            name, counter = f"{base} ({club.source.country} {counter})", counter + 1
        taken.add(name_key(name))
        club.name = name


def alias_rows(club: BuiltClub) -> list[tuple[str, str, str]]:
    """(club_id, alias, kind) rows, one per distinct folded key; earlier kinds win."""
    forms = {
        "name": [club.name, club.source.canonical, *club.source.aliases],
        "newsroom": club.extra["newsroom"],
        "nickname": club.extra["nickname"],
    }
    seen: set[str] = set()
    rows = []
    for kind in KIND_ORDER:
        for alias in forms[kind]:
            key = name_key(alias)
            if not key or key in seen or key in GENERIC_KEYS:
                continue
            seen.add(key)
            rows.append((club.id, alias, kind))
    return rows


def write_outputs(clubs: list[BuiltClub], data_dir: Path) -> tuple[int, int]:
    """Write both CSVs sorted by id so a rebuild gives a readable diff."""
    ordered = sorted(clubs, key=lambda c: c.id)
    with (data_dir / "clubs.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "country", "league", "league_rank"])
        for club in ordered:
            writer.writerow(
                [club.id, club.name, club.source.country, club.league, club.league_rank]
            )
    count = 0
    with (data_dir / "club_aliases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["club_id", "alias", "kind"])
        for club in ordered:
            rows = alias_rows(club)
            writer.writerows(rows)
            count += len(rows)
    return len(ordered), count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("openfootball_csv", type=Path)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    sources = read_openfootball(args.openfootball_csv)
    entries = read_newsroom(args.data_dir / "newsroom_club_aliases.csv")
    clubs = merge(sources, entries)
    assign_names(clubs)
    n_clubs, n_aliases = write_outputs(clubs, args.data_dir)
    ranked = sum(1 for club in clubs if club.league)
    print(f"wrote {n_clubs} clubs ({ranked} with a league) and {n_aliases} aliases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
