"""Who buys, who sells, for how much and on what terms, for one trigger and one player.

Buyers are the non-selling clubs of the clause — every one of them, for `Liverpool and Tottenham
have put out feelers`, but only the cued ones when words single some out (`a move to City`) —
else `both clubs` (the last pair named together), else the sentence's subject, else `they` / a
manager → the article's main club, else (for a medical, personal terms, a collapse…) the one club
already pursuing the player in this article. The seller is a club the clause casts as one, else
the player's current club as the article states it, else a club merely named beside the buyer.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ledger.entities.clubs import Club
from ledger.events import DealType
from ledger.extract.clubrefs import ClubRef
from ledger.extract.counterparts import TWO_SIDED_KINDS, other_side, pair_buyer
from ledger.extract.document import Document, mentions_pair, pronoun_at, refers_to_player
from ledger.extract.entries import entry_of
from ledger.extract.roles import written_as_employer
from ledger.extract.site import CONTINUATION_KINDS, FACT_KINDS, Site, State, inside
from ledger.extract.text import is_heading
from ledger.extract.triggers import deal_type
from ledger.money import Fee

Buyer = tuple[Club | None, float]  # the club (None for facts) and its confidence factor
_HOW_FACTOR = {"name": 1.0, "nickname": 0.95, "short": 0.9, "descriptor": 0.85,
               "manager_side": 0.8, "ground": 0.85}  # fmt: skip


def owner_of(doc: Document, state: State, player: str) -> Club | None:
    """The player's club: one a sentence says refuses to sell him, else the one the article
    writes him with, else the seller of his earlier claims."""
    return state.owners.get(player) or doc.clubs.memory.get(player) or state.sellers.get(player)


def subject_seller(doc: Document, site: Site) -> ClubRef | None:
    """The selling club a row's words make the subject (`Dortmund insist … not for sale`,
    `Celtic have rejected a bid`): the last unmarked club before the trigger in its clause."""
    if not site.trigger.pattern.subject_sells:
        return None
    ahead = [r for r in doc.clubs.refs_in(site.clause[0], site.at) if doc.clubs.role(r) == ""]
    before = doc.article.body[site.clause[0] : site.at]
    if not ahead and (pronoun_at(before) is not None or _ELLIPTICAL.match(before)):
        # `Dortmund, though, have made it clear that they …`: `they` is the club the sentence
        # opens with.
        opening = doc.clubs.refs_in(site.sentence.start, site.clause[0])[:1]
        ahead = [r for r in opening if doc.clubs.role(r) in ("", "seller")]
    # `Sporting have told Wolves that he is not for sale`: the club that tells is the subject,
    # the one told is its listener.
    for teller, told in pairwise(ahead):
        if _TELLS.fullmatch(doc.article.body, teller.end, told.start):
            return teller
    return ahead[-1] if ahead else None


# `… talks with Barcelona, and have no intention of selling him`: a clause whose subject is
# left out is the sentence's.
_ELLIPTICAL = re.compile(
    r"^(?:and|but)\s+(?:also\s+)?(?:have|has|had|are|is|were|was|will|would|do|does|did)\b",
    re.IGNORECASE,
)
_TELLS = re.compile(
    r"\s+(?:have\s+|has\s+|had\s+)?(?:now\s+|already\s+|reportedly\s+)?(?:told|informed|warned|"
    r"assured|reminded|notified|made it clear to|let)\s+(?:the\s+)?",
    re.IGNORECASE,
)


def find_buyers(doc: Document, site: Site, state: State, kind: str, player: str) -> list[Buyer]:
    """The interested clubs of the claim, each with a confidence factor; empty if none is safe."""
    own = owner_of(doc, state, player)
    if kind == "personal_terms" and (signing := _terms_with(doc, site)):
        return _distinct(signing, 1.0)
    subject = subject_seller(doc, site)
    refs = [r for r in doc.clubs.refs_in(*site.sentence_span) if _usable(doc, r, own)]
    if subject is not None:
        # The subject sells, so the others of the sentence are its counterparts, even one the
        # words put after `with` (`no contact with Chelsea`).
        refs = [
            r
            for r in doc.clubs.refs_in(*site.sentence_span)
            if r.club.id != subject.club.id and (own is None or r.club.id != own.id)
        ]
    in_clause = [r for r in refs if inside(site.clause, r.start)]
    if in_clause:
        # `Palace chairman X dismissed talk of a move to City`: a club the words make the
        # buyer outranks one that is merely named.
        cued = _opposite_player(site, [r for r in in_clause if doc.clubs.role(r) == "buyer"])
        if not cued and (one := pair_buyer(doc, state, (kind, player), in_clause)):
            return _distinct([one], 1.0)
        return _distinct(cued or in_clause, 1.0)
    text = doc.article.body[site.clause[0] : site.clause[1]]
    entry = entry_of(doc.clubs.entries, site.at)
    pairs = [p for p in doc.clubs.pairs if entry <= p[0] < site.at]
    if mentions_pair(text) and pairs:
        # `the two clubs are still £4m apart`: the pair named last in this entry, both buyers
        # unless the kind has two sides.
        paired = doc.clubs.refs_in(pairs[-1][0], site.at)[:2]
        if one := pair_buyer(doc, state, (kind, player), paired):
            return _distinct([one], 0.85)
        return [(pairs[-1][1], 0.85), (pairs[-1][2], 0.85)]
    sentence = [r for r in refs if inside(site.sentence_span, r.start)]
    # A headline's comma-separated items are separate stories: no club crosses between them.
    if sentence and not is_heading(doc.article.body, site.sentence):
        earlier = [r for r in sentence if r.start < site.clause[0]]
        if one := pair_buyer(doc, state, (kind, player), earlier[-2:]):
            return _distinct([one], 0.9)
        return _distinct([earlier[-1] if earlier else sentence[0]], 0.9)
    return _implicit_buyer(doc, site, state, kind, player, subject.club if subject else own)


_TERMS_WITH = re.compile(
    r"\b(?:terms|contract|deal)\s+(?:\S+\s+){0,3}?with\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$",
    re.IGNORECASE,
)


def _terms_with(doc: Document, site: Site) -> list[ClubRef]:
    """`he has agreed personal terms on a five-year contract with the German champions`: the
    player's terms are with the club signing him (elsewhere `talks with X` names the seller)."""
    body = doc.article.body
    return [
        r
        for r in doc.clubs.refs_in(*site.clause)
        if _TERMS_WITH.search(body, max(site.clause[0], r.start - 60), r.start)
        # `terms with Lyon winger X`, `terms with Lyon's teenage winger X`: X's club
        and not written_as_employer(body, r)
        and not body.startswith("'", r.end)
    ]


def _opposite_player(site: Site, cued: list[ClubRef]) -> list[ClubRef]:
    """`Leeds confirmed that X has joined Doncaster`: when clubs on both sides of the verb are
    cued as buyers, the one across the verb from the player (his row says which side he is on)
    is the buyer, the other only reports it."""
    side = site.trigger.pattern.target
    after = [r for r in cued if r.start >= site.end]
    before = [r for r in cued if r.start < site.at]
    if after and before:
        return after if side == "before" else before if side == "after" else cued
    return cued


def _usable(doc: Document, ref: ClubRef, own: Club | None) -> bool:
    """Not a seller, and not the player's own club unless the words make it the buyer."""
    role = doc.clubs.role(ref)
    return role not in ("seller", "former") and (
        own is None or ref.club.id != own.id or role == "buyer"
    )


def _implicit_buyer(
    doc: Document, site: Site, state: State, kind: str, player: str, own: Club | None
) -> list[Buyer]:
    """`they`, a manager or a continued step: the main club or the one pursuer, never `own`
    (the player's club, or the club the words make the seller)."""
    main = doc.clubs.main
    if kind == "deal_done" and _BACKGROUND.search(doc.article.body, *site.clause):
        return []  # a past move: its buyer is his club now, decided when the article is read
    refers = pronoun_at(site.sentence.text) is not None or doc.officials_in(*site.sentence_span)
    # `they have no intention of selling`, `the coach considers him untouchable`: where the
    # words make the subject the seller, the club the pronoun or the manager stands for sells.
    sells = site.trigger.pattern.subject_sells
    if refers and not sells and main is not None and (own is None or main.id != own.id):
        return [(main, 0.8)]
    pursuing = state.pursuers.get(player, {})
    if kind in CONTINUATION_KINDS and len(pursuing) == 1:
        club = next(iter(pursuing.values()))
        return [] if own is not None and club.id == own.id else [(club, 0.8)]
    return []


def _distinct(refs: list[ClubRef], factor: float) -> list[Buyer]:
    best: dict[str, Buyer] = {}
    for ref in refs:
        score = factor * _HOW_FACTOR[ref.how]
        if ref.club.id not in best or score > best[ref.club.id][1]:
            best[ref.club.id] = (ref.club, score)
    return list(best.values())


def find_seller(
    doc: Document, site: Site, state: State, player: str, buyer: Club | None, kind: str
) -> Club | None:
    """The player's current (selling) club for this claim, never the buyer itself."""

    def other(club: Club) -> bool:
        return buyer is None or club.id != buyer.id

    subject = subject_seller(doc, site)
    if subject is not None and other(subject.club):
        return subject.club
    clause = [r for r in doc.clubs.refs_in(*site.clause) if other(r.club)]
    sellers = [r.club for r in clause if doc.clubs.role(r) == "seller"]
    if sellers:
        return sellers[0]
    own = owner_of(doc, state, player)
    if own is not None and other(own):
        return own
    named = [r.club for r in clause if doc.clubs.role(r) == ""]
    if named and (kind in FACT_KINDS or buyer is not None):
        return named[0]
    if buyer is not None and kind in TWO_SIDED_KINDS and (side := other_side(doc, site, buyer)):
        return side
    rest = [
        r.club
        for r in doc.clubs.refs_in(*site.sentence_span)
        if other(r.club) and doc.clubs.role(r) == "seller"
    ]
    return rest[0] if rest else None


def find_fee(doc: Document, site: Site) -> Fee | None:
    """The first fee from the trigger on in its clause, else the last before it, else the first
    in a trigger-less clause: `a €28m bid`, `valuation of around £20m`, `for €15m, due to a
    clause`."""
    fees = [f for f in doc.fees_in(*site.clause) if not _aside(doc.article.body, f.start, site)]
    ahead = [f for f in fees if f.end > site.at]
    if fees:
        return (ahead[0] if ahead else fees[-1]).fee
    for low, high in site.bare:
        if found := doc.fees_in(low, high):
            return found[0].fee
    return None


_RELATIVE = re.compile(r",\s+(?:who|which|whose)\s+[^,;]*$")


def _aside(body: str, offset: int, site: Site) -> bool:
    """`Saints value the 26-year-old, who cost £6m from Twente in 2014, at £30m`: an amount in
    a relative clause the trigger is not in describes something else."""
    opened = _RELATIVE.search(body, site.clause[0], offset)
    if opened is None:
        return False
    closing = body.find(",", offset, site.clause[1])
    end = closing if closing >= 0 else site.clause[1]
    return not opened.start() <= site.at < end


def find_deal(doc: Document, site: Site) -> DealType | None:
    """The most specific deal type in the trigger's clause or the sentence's trigger-less ones."""
    text = " | ".join(doc.article.body[low:high] for low, high in (site.clause, *site.bare))
    return deal_type(text)


_OFFER_TO_PLAYER = re.compile(
    r"\b(?:contract|wage|salary|personal|pay)\s+(?:offer|proposal|terms|package)s?\b", re.IGNORECASE
)
_BACKGROUND = re.compile(
    r"\b(?:in (?:19|20)\d{2}|last (?:summer|season|year|january|window|term)|back in|previously|"
    r"\w+ years? ago|at the start of the (?:month|season|window))\b",
    re.IGNORECASE,
)
_BY = re.compile(r"\bby\s+", re.IGNORECASE)
_HE = re.compile(r"\b(?:he|he's|she|she's)\s+(?:\S+\s+){0,3}$", re.IGNORECASE)
# Rows whose subject may be the player (`Kovač turned down an offer`, `Kovač snubbed Lazio`).
_PLAYER_MAY_REJECT = frozenset(
    {"bid_rejected.verb_first", "bid_rejected.club_object", "blocked.advances"}
)


def player_rejects(doc: Document, site: Site, player: str) -> bool:
    """The player, not a club, turned the offer down: he is the subject (`Kovač turned down a
    lucrative offer`), the agent (`rejected by the Nigerian forward`), or the offer was a
    contract offer to him (`a contract offer … rejected`)."""
    clause = doc.article.body[site.clause[0] : site.clause[1]]
    if _OFFER_TO_PLAYER.search(clause):
        return True
    agent = _BY.search(doc.article.body, site.end, min(site.clause[1], site.end + 6))
    if agent is not None and not doc.clubs.refs_in(agent.end(), agent.end() + 1):
        by_player = refers_to_player(doc.article.body[agent.end() : agent.end() + 40])
        return by_player or player_is_subject(doc, site, player)
    return player_is_subject(doc, site, player)


def player_is_subject(doc: Document, site: Site, player: str) -> bool:
    """`Kovač … turned down a lucrative offer`: the player, not a club, did the rejecting."""
    if site.trigger.pattern.family not in _PLAYER_MAY_REJECT:
        return False
    mentions = [p for p in doc.people_in(site.clause[0], site.at) if p.name == player]
    if not mentions:
        # `… but he's already turned down an offer from the Blues`: `he` is the subject.
        ahead = doc.article.body[site.clause[0] : site.at]
        return _HE.search(ahead) is not None and not doc.clubs.refs_in(site.clause[0], site.at)
    # `Southampton have told Liverpool that X will not be sold, rejecting …`: a club that opens
    # the clause is its subject, whoever is named nearer the verb.
    opening = doc.clubs.refs_in(site.clause[0], mentions[-1].start)
    if any(doc.clubs.role(r) in ("", "buyer") for r in opening):
        return False
    return not doc.clubs.refs_in(mentions[-1].end, site.at)
