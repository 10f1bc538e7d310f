"""`extract_claims`: an article in, dated structured claims out (SPEC §4.2).

Rules and dictionaries only — no network, no model. The pipeline: normalise and split the text
(`text`), find people, clubs, fees and cited sources (`document`), find trigger phrases
(`triggers`), assemble claims around each (`assemble`), then merge repeats (`claims`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ledger.entities.players import KnownPlayer
from ledger.extract.article import Article
from ledger.extract.assemble import read_pending, read_sentence
from ledger.extract.claims import ExtractedClaim, merge_claims
from ledger.extract.document import analyse
from ledger.extract.site import State
from ledger.extract.terms import settle_terms


def extract_claims(
    article: Article,
    *,
    publisher: str | None = None,
    known_players: Iterable[KnownPlayer] = (),
) -> list[ExtractedClaim]:
    """Every claim the article makes, each with its sentence, span, confidence and rule.

    `publisher` is the source of claims the text attributes to nobody; `known_players` lets a
    name in the text resolve to a player the ledger already holds.
    """
    doc = analyse(article, publisher, known_players)
    state = State()
    for index in range(len(doc.sentences)):
        read_sentence(doc, index, state)
    read_pending(doc, state)
    return settle_terms(merge_claims(state.claims))
