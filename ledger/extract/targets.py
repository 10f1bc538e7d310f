"""Which player a trigger is about.

The player named nearest the trigger in its clause (with anyone coordinated with him: `Mbeki and
his team-mate Carlos Baleba`), unless a reference back (`the Basque midfielder`) sits nearer;
else one named earlier in the sentence (`…Axel Disasi – who is poised to join…`); else, when the
text refers back (`the 26-year-old`, `him`), the player the story is about. A sentence that names
nobody and refers to nobody continues the story too, at lower confidence. `another central
defender` names a new, unnamed target: nobody is assumed then.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ledger.extract.document import (
    Document,
    definite_references,
    names_new_target,
    refers_to_player,
    speaks,
)
from ledger.extract.people import PersonRef
from ledger.extract.site import WEAK_KINDS, Site, State, Target
from ledger.extract.text import is_heading

_REPLACED = re.compile(
    r"\b(?:replacement for|successor to|replace|in place of|compete with|competition for|"
    r"alongside|partner|understudy to|back-up to|cover for)\s+(?:the\s+)?(?:[\w-]+\s+)?$"
)
_AND_GAP = re.compile(
    r"(?:,\s*|\s+(?:and|or|as well as|along with|plus)\s+|,\s+(?:and|or)\s+)"
    r"(?:his\s+|their\s+)?(?:team-?mate\s+|compatriot\s+)?"
)


def find_targets(doc: Document, site: Site, state: State) -> list[Target]:
    """The player(s) the trigger at `site` is about; empty when nobody safely fits."""
    after_only = site.trigger.pattern.needs == "player_after"
    low, high = (site.at, site.sentence.end) if after_only else site.clause
    body = doc.article.body
    people = [p for p in doc.people_in(low, high) if not _replaced(body, p.start)]
    if people and not (state.focus and _reference_nearer(doc, site, people)):
        return [
            Target(p.name, 1.0 if p.score >= 100 else 0.9, True) for p in _group(doc, people, site)
        ]
    if people:
        # `want the England midfielder as well as Brennan Johnson`: the reference, and the
        # names joined to it.
        joined = [p for p in people if p.start > site.end and _joined_to_reference(doc, site, p)]
        story = [Target(state.focus, 0.85, False)] if state.focus else []
        return story + [Target(p.name, 1.0 if p.score >= 100 else 0.9, True) for p in joined]
    text = body[site.clause[0] : site.clause[1]]
    if after_only or names_new_target(text):
        return []
    # A headline's comma-separated items are separate stories: no player crosses between them.
    heading = is_heading(body, site.sentence)
    earlier = [
        p
        for p in doc.people_in(site.sentence.start, site.clause[0])
        if not _replaced(body, p.start) and not heading and not speaks(body, p.end)
    ]
    if earlier:
        return [Target(earlier[-1].name, 0.9, True)]
    return _story_player(doc, site, state, text)


@lru_cache(maxsize=8192)
def _replaced(body: str, start: int) -> bool:
    """`the ideal replacement for Rodrigo Cano`, `a striker to compete with X`: Cano is the one
    leaving and X the one staying, neither is the target."""
    return _REPLACED.search(body[max(0, start - 60) : start]) is not None


def _story_player(doc: Document, site: Site, state: State, text: str) -> list[Target]:
    if state.focus is None:
        return []
    if refers_to_player(text) or refers_to_player(site.sentence.text):
        return [Target(state.focus, 0.85, False)]
    # A sentence naming someone else is about him; one naming only the story's player later on
    # (`the clubs had agreed a fee, and Ortuño was due …`) is still about the story's player.
    if {p.name for p in doc.people_in(*site.sentence_span)} - {state.focus}:
        return []
    # A bid or a medical rarely needs saying who for; mere interest might be about anyone.
    weak = bool(set(site.trigger.claim_kinds) & WEAK_KINDS)
    return [Target(state.focus, 0.6 if weak else 0.75, False)]


def _reference_nearer(doc: Document, site: Site, people: list[PersonRef]) -> bool:
    """`considers the Basque midfielder the ideal replacement for … Cano`: the reference is
    nearer the trigger than any name, so it, not the name, is the target."""
    low = site.clause[0]
    text = doc.article.body[low : site.clause[1]]
    spans = [(low + s, low + e) for s, e in definite_references(text)]
    # `Frenkie de Jong: … interested in the 26-year-old Barcelona midfielder`: a name the clause
    # opens with is who the description describes, unless he is only speaking (`the manager
    # had said that the Frenchman was never for sale`).
    body = doc.article.body
    if not spans or any(p.end <= site.at and not speaks(body, p.end) for p in people):
        return False

    def gap(start: int, end: int) -> int:
        return max(0, site.at - end, start - site.end)

    return min(gap(*span) for span in spans) < min(gap(p.start, p.end) for p in people)


def _joined_to_reference(doc: Document, site: Site, person: PersonRef) -> bool:
    body = doc.article.body
    spans = [
        (site.clause[0] + s, site.clause[0] + e)
        for s, e in definite_references(body[site.clause[0] : site.clause[1]])
    ]
    return any(e <= person.start and _AND_GAP.fullmatch(body[e : person.start]) for _, e in spans)


def _group(doc: Document, people: list[PersonRef], site: Site) -> list[PersonRef]:
    """The target nearest the trigger (on the side its pattern prefers), plus anyone
    coordinated right after him."""
    before = [p for p in people if p.end <= site.at]
    after = [p for p in people if p.end > site.at]
    mode = site.trigger.pattern.target
    if (mode == "after" and after) or not before:
        first = after[0]
    elif mode == "before" or not after:
        first = before[-1]
    else:
        first = min(before[-1], after[0], key=lambda p: abs(p.start - site.at))
    group = [first]
    for other in (p for p in people if p.start > first.start):
        gap = doc.article.body[group[-1].end : other.start]
        if not _AND_GAP.fullmatch(gap) or other.name in {g.name for g in group}:
            break
        group.append(other)
    return group
