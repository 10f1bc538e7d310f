"""Reading an article sentence by sentence and turning each trigger phrase into claims.

For every claim trigger: find the player(s) (`targets`), then for each the buying club(s), the
selling club, the fee and the deal type (`parties`), and score the claim. The confidence is the
pattern's own (how clearly its words say that kind) times a factor for every inference made on
the way: a surname or misspelling (0.9), a reference back instead of a name (0.85) or no mention
at all (0.75; 0.6 for interest), a nickname (0.95), a short form (0.9), a description (0.85), a
club from elsewhere in the sentence (0.9), a pronoun or manager → main club (0.8), a club
continued from earlier in the article (0.8), a related-article teaser line (0.8), and the
strongest hedge of its clause (`could` 0.85, `understood to` 0.9, `rumoured` 0.75 …,
`extract_hedges.csv`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ledger.entities.clubs import Club
from ledger.events import DatePrecision, DealType
from ledger.extract.claims import ExtractedClaim
from ledger.extract.document import Document, speaks
from ledger.extract.lexicon import hedge_factor
from ledger.extract.parties import (
    Buyer,
    find_buyers,
    find_deal,
    find_fee,
    find_seller,
    player_is_subject,
    player_rejects,
    subject_seller,
)
from ledger.extract.site import (
    DEFERRED_KINDS,
    FACT_KINDS,
    FEE_KINDS,
    LOAN_TERMS,
    PRICED_DEALS,
    Pending,
    Site,
    State,
    Target,
    inside,
)
from ledger.extract.targets import find_targets
from ledger.extract.terms import carry_terms
from ledger.extract.text import Sentence, clause_bounds, is_heading
from ledger.extract.triggers import find_triggers, stated_date
from ledger.money import Fee

# `Meanwhile, Olympiacos have agreed a fee for X`: a sentence that turns to another story; the
# player it names is who `the 25-year-old` means next.
_NEW_STORY = re.compile(
    r"^(?:Meanwhile|Elsewhere|Separately|In other news|In other business|Away from)\b"
)
_TEASER = re.compile(r"^(?:Related|Read more|Also read|More:)\b", re.IGNORECASE)


def read_sentence(doc: Document, index: int, state: State) -> None:
    """Append the claims of sentence `index` to `state.claims`."""
    before = len(state.claims)
    sentence = doc.sentences[index]
    if is_heading(doc.article.body, sentence):
        state.entry_start = before
        # A new live-blog entry or round-up item (`ledger.extract.entries`): `he` and `the
        # winger` no longer mean the previous one's player.
        if sentence.start in doc.clubs.entries:
            state.focus = None
    sites = _sites(doc, index)
    _note_owners(doc, sites, state)
    for site in sites:
        if "fee_note" in site.trigger.pattern.kinds:
            _attach_fee(doc, site, state)
        elif site.trigger.is_claim:
            for target in find_targets(doc, site, state):
                for kind in site.trigger.claim_kinds:
                    state.claims.extend(_build(doc, site, state, kind, target))
    if len(state.claims) == before:
        carry_terms(doc, index, state)
        _introduce(doc, sentence, state)


def _note_owners(doc: Document, sites: list[Site], state: State) -> None:
    """`Ajax have not held talks with Barcelona about X and have no intention of selling him`:
    the club the sentence makes the seller is X's, before any of its claims is built, so the
    talks earlier in the sentence are Barcelona's, not Ajax's."""
    for site in sites:
        if not (site.trigger.is_claim and site.trigger.pattern.subject_sells):
            continue
        if (subject := subject_seller(doc, site)) is not None:
            for target in find_targets(doc, site, state):
                state.owners.setdefault(target.name, subject.club)


def _sites(doc: Document, index: int) -> list[Site]:
    sentence = doc.sentences[index]
    triggers = find_triggers(sentence.text)
    headline = is_heading(doc.article.body, sentence)
    bounds = clause_bounds(sentence.text, headline=headline)
    clauses = [(sentence.start + s, sentence.start + e) for s, e in bounds]

    def clause_of(offset: int) -> tuple[int, int]:
        return next((c for c in clauses if inside(c, offset)), (sentence.start, sentence.end))

    claimed = {clause_of(sentence.start + t.start) for t in triggers if t.is_claim}
    bare = tuple(c for c in clauses if c not in claimed)
    return [Site(index, sentence, clause_of(sentence.start + t.start), bare, t) for t in triggers]


def _introduce(doc: Document, sentence: Sentence, state: State) -> None:
    """A sentence with no claim that names one player makes him the focus: `he` in the next
    sentence is him (live-blog entries open with the name, then say `he`)."""
    people = doc.people_in(sentence.start, sentence.end)
    named = {p.name for p in people}
    # `Bielsa has identified Norwich City's Marek Šimůnek as the alternative`: of several
    # people, the one written with his club is the player; the others are managers, agents.
    with_club = {name for name in named if name in doc.clubs.memory}
    if len(named) > 1 and len(with_club) == 1:
        named = with_club
        people = [p for p in people if p.name in named]
    # `Régis Le Bris said …`: whoever speaks about the deal is seldom its subject.
    speaking = any(speaks(doc.article.body, p.end) for p in people)
    # Mid-story, a player merely mentioned (`with Cash's fitness record leaving Villa short`)
    # does not take the story over; before the entry's first claim, he is what it is about.
    fresh = len(state.claims) == state.entry_start or _NEW_STORY.match(sentence.text) is not None
    if len(named) == 1 and not speaking and (fresh or next(iter(named)) in doc.clubs.memory):
        state.focus = named.pop()


def _build(
    doc: Document, site: Site, state: State, kind: str, target: Target
) -> list[ExtractedClaim]:
    # Interest that states its terms (`on loan with a £25m option to buy`) names their price.
    priced = kind in FEE_KINDS or (kind == "interest" and find_deal(doc, site) is not None)
    fee = find_fee(doc, site) if priced else None
    needs = site.trigger.pattern.needs
    if needs == "fee" and (fee is None or fee.amount is None):
        return []
    if needs == "fee_or_player" and fee is None and not target.named:
        return []
    buyers: list[Buyer] = (
        [(None, 1.0)] if kind in FACT_KINDS else find_buyers(doc, site, state, kind, target.name)
    )
    # `X rebuffed their advances` is the player's refusal; `Southampton rebuffed …` the club's.
    if (kind == "bid_rejected" and player_rejects(doc, site, target.name)) or (
        kind == "blocked" and player_is_subject(doc, site, target.name)
    ):
        kind = "player_rejected"
    if not buyers and kind in DEFERRED_KINDS:
        earlier = tuple(state.pursuers.get(target.name, {}).values())
        state.pending.append(Pending(site, kind, target, fee, earlier))
        return []
    built = []
    for club, factor in buyers:
        seller = find_seller(doc, site, state, target.name, club, kind)
        built.append(_claim(doc, site, kind, target, (club, seller), fee, factor))
        _remember(state, target.name, club, seller, kind)
    return built


def read_pending(doc: Document, state: State) -> None:
    """Claims whose buyer the sentence left unsaid (`Dortmund claim they have had no approaches
    for Sancho`): once the whole article is read, the club it shows pursuing the player, else its
    main club, provided that is not the player's own."""
    for item in state.pending:
        buyer = _pending_buyer(doc, state, item)
        seller = find_seller(doc, item.site, state, item.target.name, buyer, item.kind)
        # A past move was to his club now; any other step must be some other club's.
        own = (
            seller
            if item.kind == "deal_done"
            else (state.owners.get(item.target.name) or doc.clubs.memory.get(item.target.name))
        )
        # The club the words make the seller (`Dortmund … no intention of parting with him`)
        # is never the buyer, whoever pursues the player.
        subject = subject_seller(doc, item.site)
        sides = [c for c in (own or seller, None if subject is None else subject.club) if c]
        if buyer is None or any(side.id == buyer.id for side in sides):
            continue
        claim = _claim(doc, item.site, item.kind, item.target, (buyer, seller), item.fee, 0.7)
        state.claims.append(claim)


_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$")


def _pending_buyer(doc: Document, state: State, item: Pending) -> Club | None:
    # A past move (`he arrived from Hertha in 2022`) was to the club he plays for now; any
    # other step is the pursuing club's.
    if item.kind == "deal_done":
        # `X, signed from Werder Bremen last month, …`: the club he came from is not where he
        # plays now, even where the article wrote him as its player; then it is the club the
        # article is about.
        body = doc.article.body
        origin = {
            ref.club.id
            for ref in doc.clubs.refs_in(*item.site.clause)
            if _FROM.search(body, max(0, ref.start - 12), ref.start)
        }
        name = item.target.name
        now = (doc.clubs.memory.get(name), state.sellers.get(name), doc.clubs.main)
        return next((club for club in now if club is not None and club.id not in origin), None)
    # The club pursuing him when the sentence was written, else the first one named after it.
    pursuing = item.earlier or tuple(state.pursuers.get(item.target.name, {}).values())[:1]
    return pursuing[-1] if pursuing else doc.clubs.main


def _remember(state: State, player: str, club: Club | None, seller: Club | None, kind: str) -> None:
    state.focus = player
    # A completed move says where he came from, not where he plays now.
    if seller is not None and kind != "deal_done":
        state.sellers.setdefault(player, seller)
    if club is not None:
        state.pursuers.setdefault(player, {})[club.id] = club


def _claim(
    doc: Document,
    site: Site,
    kind: str,
    target: Target,
    clubs: tuple[Club | None, Club | None],
    fee: Fee | None,
    factor: float,
) -> ExtractedClaim:
    article = doc.article
    club, seller = clubs
    teaser = 0.8 if _TEASER.match(site.sentence.text) else 1.0
    hedge = hedge_factor(article.body[site.clause[0] : site.clause[1]])
    confidence = site.trigger.pattern.confidence * target.factor * factor * teaser * hedge
    stated = stated_date(article.body[slice(*site.clause)], article.published_on)
    return ExtractedClaim(
        article_id=article.article_id,
        reported_on=article.published_on,
        kind=kind,
        player=target.name,
        club=None if club is None else club.name,
        from_club=None if seller is None else seller.name,
        fee=fee,
        deal=find_deal(doc, site),
        source=doc.source_of(site.index, site.clause),
        renewed=site.trigger.pattern.renewed,
        effective_on=None if stated is None else stated[0],
        sentence=site.sentence.text,
        span=(site.sentence.start, site.sentence.end),
        confidence=round(min(1.0, confidence), 3),
        rule=site.trigger.pattern.family,
        effective_precision=DatePrecision.DAY if stated is None else stated[1],
    )


def _attach_fee(doc: Document, site: Site, state: State) -> None:
    """`The fee is £45m`, `he leaves for a £5m fee`, `with the option to buy him for £30m`: the
    fee of the latest priced claim, if it had none, and the option or obligation of its loan."""
    fees = doc.fees_in(*site.clause)
    if not fees:
        return
    stated = find_deal(doc, site)
    for position in range(len(state.claims) - 1, -1, -1):
        claim = state.claims[position]
        if claim.kind in PRICED_DEALS:
            deal = stated if claim.deal is DealType.LOAN and stated in LOAN_TERMS else claim.deal
            state.claims[position] = replace(claim, fee=claim.fee or fees[0].fee, deal=deal)
            return
