"""Trigger phrases: the words that say what kind of claim a sentence makes.

Rows of `extract_patterns.csv` are tried in priority order against the sentence's matching view
(quotation marks blanked); a match that overlaps an earlier, higher-priority match is dropped, so
`bid … rejected` is not also a plain `bid`, and `ready to make an opening proposal` (a suppressor)
is not a bid at all. A denial takes the rest of its clause and what follows it: the phrases there
are what is being denied. Deal types and stated dates are read from the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ledger.events import DatePrecision, DealType
from ledger.extract.lexicon import TriggerPattern, deal_patterns, trigger_patterns
from ledger.extract.text import match_view

_YEAR = re.compile(r"\b(?:back )?in (?:the (?:summer|winter) of )?(?P<year>(?:19|20)\d{2})\b")
_RELATIVE = re.compile(r"\b(?P<when>last week|yesterday|last month|a week ago)\b", re.IGNORECASE)
_MONEY = re.compile(
    r"[£€$]|\b\d+(?:[.,]\d+)?\s*(?:m|bn|k|million|billion|euros?|pounds|dollars)\b|\bundisclosed\b",
    re.IGNORECASE,
)
_DAYS_AGO = {"last week": 7, "yesterday": 1, "last month": 30, "a week ago": 7}


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger phrase found in a sentence; offsets are relative to the sentence text."""

    start: int
    end: int
    pattern: TriggerPattern

    @property
    def claim_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in self.pattern.kinds if k not in ("none", "fee_note"))

    @property
    def is_claim(self) -> bool:
        return bool(self.claim_kinds)


@lru_cache(maxsize=4096)
def find_triggers(sentence: str) -> tuple[Trigger, ...]:
    """The non-overlapping trigger phrases of one sentence, in text order."""
    view = match_view(sentence)
    lowered = view.lower()
    same_length = len(lowered) == len(view)  # a few letters lower-case to two characters
    priced = _MONEY.search(view) is not None
    chosen: list[Trigger] = []
    for pattern in trigger_patterns():
        # A row that needs a fee (`X want at least £50m`) must not take the words of another
        # (`Spurs want to sign X`) from a sentence that names no money at all.
        if pattern.needs == "fee" and not priced:
            continue
        fast = pattern.lowered if same_length else None
        regex, text = (fast, lowered) if fast is not None else (pattern.regex, view)
        chosen.extend(_free_matches(regex, text, pattern, chosen))
    denials = [t for t in chosen if "denied" in t.pattern.kinds]
    if denials:
        chosen = [t for t in chosen if not t.is_claim or _outside_denials(t, denials, view)]
    return tuple(sorted(chosen, key=lambda t: t.start))


# What a denial denies runs from its verb to the end of the sentence, unless a new clause begins:
# a headline's other stories sit before it behind a comma (`Forest go again for X, Juventus deny
# Villarreal bid`), and a quoted reply after a colon or semicolon is a claim of its own (`Norwich
# deny £12m agreement: "He is not for sale"`). A comma after the verb does not end it: `denied
# reports, first printed in Spain, that they had agreed a fee` still denies the fee.
_CLAUSE_BEFORE = re.compile(r"[,;:]|\s[-\u2013\u2014]\s")
_CLAUSE_AFTER = re.compile(r"[;:]|\s[-\u2013\u2014]\s")


def _outside_denials(trigger: Trigger, denials: list[Trigger], view: str) -> bool:
    """Whether a claim trigger lies in a clause no denial of the sentence covers."""
    for denial in denials:
        if trigger is denial:
            return True
        if trigger.end <= denial.start:
            if not _CLAUSE_BEFORE.search(view, trigger.end, denial.start):
                return False
        elif not _CLAUSE_AFTER.search(view, denial.end, trigger.start):
            return False
    return True


def _free_matches(
    regex: re.Pattern[str], text: str, pattern: TriggerPattern, chosen: list[Trigger]
) -> list[Trigger]:
    """The row's matches that overlap no earlier row's. A match that does overlap one is tried
    again from the end of the phrase it overlaps, so `pulled out of his move …, and the deal is
    off` still finds `the deal is off` after the player's rejection took `his move` (and the
    search always moves forward: one pass over the sentence per row)."""
    found: list[Trigger] = []
    position = 0
    while (match := regex.search(text, position)) is not None:
        taken = [t for t in (*chosen, *found) if t.start < match.end() and match.start() < t.end]
        if match.end() > match.start() and not taken:
            found.append(Trigger(match.start(), match.end(), pattern))
        position = max(t.end for t in taken) if taken else max(match.end(), match.start() + 1)
    return found


@lru_cache(maxsize=1024)
def deal_type(text: str) -> DealType | None:
    """The most specific deal type `text` states, if any."""
    view = match_view(text)
    for regex, deal in deal_patterns():
        if regex.search(view):
            return deal
    return None


@lru_cache(maxsize=1024)
def stated_date(text: str, reported_on: date) -> tuple[date, DatePrecision] | None:
    """When the text says the thing happened, and how precisely: `last week`, or `back in 2022`.

    A bare year gives 1 January of it with the precision `year`, so the claim sorts before
    everything reported later without anyone inventing a day; a year that is not in the past is
    not a date of something done.
    """
    year = _YEAR.search(text)
    if year is not None and int(year["year"]) < reported_on.year:
        return date(int(year["year"]), 1, 1), DatePrecision.YEAR
    relative = _RELATIVE.search(text)
    if relative is not None:
        return reported_on - timedelta(
            days=_DAYS_AGO[relative["when"].casefold()]
        ), DatePrecision.DAY
    return None
