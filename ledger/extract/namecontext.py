"""What the words around a name say about it: a player known by one name, a reporter, a place.

No dictionary lists every player, and many are known by one name (`Jorginho`, `Pepê`, `Neymar`,
`midfielder Arthur`). A single capitalised word is a player when the article writes it where
only a player goes: after a position (`Gremio forward Pepe`, `midfielder Arthur`), or before a
club it moves to or from (`Jorginho to Arsenal`, `Neymar from Barcelona`), or with a transfer
noun of its own (`Jorginho's medical`), as the object of a pursuit (`an offer for Rodrygo`,
`keen on Vitinha`), or opening a sentence as the subject of his own move (`Savinho has joined`).
One such mention makes every mention of the word that player.

People who report the news are never its subject: a name followed by a reporting verb
(`Charles Watts revealed`, `Romano just tweeted`) or written as an outlet's person (`The
Athletic's David Ornstein has claimed`, `journalist Fabrice Hawkins`) is a reporter. A name ending in a place
word (`Hotspur Way`, `Elland Road`) is a place, and a name holding an office word (`Gremio
Vice-President`) is a title. Someone who watches, wants or judges the story's player (`X has
personally watched the 21-year-old`, `X considers him a rotation option`) is a manager, scout or
director looking at him, never the player himself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ledger.extract.lexicon import alternation, words

_REPORTING = re.compile(
    r"^(?:'s?\s+)?(?:\s+(?:has|had|have|just|also|earlier|exclusively|recently|now|then)){0,2}\s+"
    r"(?:revealed|reveals|tweeted|tweets|posted|reported|reports|reporting|claimed|claims|"
    r"understands|understood|has learned|learned|learnt|wrote|writes|broke the news|"
    r"can reveal|is reporting|declared|declares|added on (?:X|Twitter))\b"
)
_OUTLET_PERSON = re.compile(
    r"\b(?:journalist|reporter|correspondent|insider|pundit|expert|columnist|writer|"
    r"according to|per|via|told)\s+$"
    # `according to the Telegraph's Matt Law`: an outlet's person is its reporter.
    r"|\b(?:according to|per|via|reports?|writes|says)\s+(?:the\s+)?[A-Z][\w.&-]*"
    r"(?:\s+[A-Z][\w.&-]*){0,3}'s?\s+$"
)
_TRANSFER_NOUN = re.compile(
    r"^'s?\s+(?:\S+\s+)?(?:medical|move|transfer|signature|switch|arrival|exit|departure|"
    r"deal|future|representatives|camp|entourage|release clause|buyout clause)\b"
)
_TO_OR_FROM = re.compile(r"^,?\s+(?:to|from|joins|joined|for)\s+(?:the\s+)?")
# `an offer for Rodrygo`, `keen on Vitinha`, `the signing of Savinho`: the object of a pursuit.
_PURSUED = re.compile(
    r"\b(?:bids?|offers?|move|swoop|approach|enquiry|interest|deal|pursuit|signing|capture|"
    r"chase|race|keen|interested|admirers?)\s+(?:for|in|on|of)\s+$"
    # `to sign Neymar`, `bringing Neymar back`, `landed Rodrygo`: the object of a signing verb.
    r"|\b(?:sign|signing|re-sign|re-signing|land|landing|landed|bring|bringing|brought|lure|"
    r"luring|lured|capture|capturing|captured|prise|prising|prised)\s+$"
)
# `Savinho has joined City`: a name opening a sentence as the subject of a move of his own.
_MOVES = re.compile(
    r"^\s+(?:has|have|had)\s+(?:now\s+|officially\s+|already\s+)?(?:joined|signed for|"
    r"completed (?:a|his) (?:move|switch)|agreed personal terms|undergone|passed (?:a|his) medical)"
    r"\b|^\s+is\s+(?:set|poised|close|closing in|due|expected)\s+(?:to|on)\s+(?:join|sign|"
    r"complete|undergo)\b"
)

# `X has personally watched the 21-year-old`, `X likes him`: the subject of a verb of judging or
# wanting whose object refers back to a player is someone looking at that player.
_JUDGES_PLAYER = re.compile(
    r"^(?:\s+(?:has|had|have|is|was|also|already|personally|reportedly|clearly|really|long)){0,3}"
    r"\s+(?:watched|watches|scouted|scouts|considers|considered|rates|rated|wants|wanted|sees|saw|"
    r"likes|liked|admires|admired|trusts|trusted|views|viewed|regards|regarded|knows|knew|"
    r"described|describes|praised|praises|tracked|identified|is a (?:big )?fan of)\s+"
    r"(?:him|the (?:\d+|[a-z]+-year-old)|the (?:\d+)-year-old|the player|the youngster)\b"
)


@cache
def _after_position() -> re.Pattern[str]:
    positions = alternation(words("position"))
    return re.compile(rf"\b(?:{positions})\s+$", re.IGNORECASE)


def is_place(tokens: Sequence[str]) -> bool:
    """`Hotspur Way`, `Elland Road`, `Celtic Park`: the last word names a place; `Ivory Coast`,
    `South Korea` (`Ivory Coast striker X`): a nation of several words (one-word nations are
    stop words)."""
    if len(tokens) < 2:
        return False
    return tokens[-1].casefold() in words("venue") or " ".join(tokens).casefold() in words(
        "country"
    )


def is_title(tokens: Sequence[str]) -> bool:
    """`Gremio Vice-President`, `Sporting Director`: an office, not a person."""
    roles = words("role")
    return any(part.casefold() in roles for token in tokens for part in token.split("-"))


def is_reporter(body: str, start: int, end: int) -> bool:
    """`Charles Watts revealed`, `The Athletic's David Ornstein`, `journalist Fabrice Hawkins`."""
    ahead = body[max(0, start - 40) : start]
    return bool(_REPORTING.match(body[end : end + 60]) or _OUTLET_PERSON.search(ahead))


def judges_the_player(body: str, end: int) -> bool:
    """`Lucien Favre wants the 24-year-old`: the name ending at `end` is someone judging him."""
    return _JUDGES_PLAYER.match(body[end : end + 80]) is not None


def single_name_player(
    body: str, start: int, end: int, club_starts: frozenset[int], club_ends: frozenset[int]
) -> bool:
    """Whether the one word at body[start:end] is written where only a player can stand."""
    word = body[start:end]
    if len(word) < 3 or word.isupper():
        return False
    ahead = body[max(0, start - 40) : start]
    if _after_position().search(ahead):
        return True
    # `interest in the Ecuadorian`: a word after `the` is a description, never a name.
    # Nor is one before a position (`a move for Ecuadorian full-back X`).
    following = body[end : end + 30].split()[:1]
    described = ahead.endswith(("the ", "The ")) or (
        bool(following) and following[0].casefold().strip(",.") in words("position")
    )
    if _TRANSFER_NOUN.match(body, end) or (_PURSUED.search(ahead) and not described):
        return True
    if (start == 0 or body[start - 2 : start] in (". ", "\n", "\n\n")) and _MOVES.match(
        body[end : end + 60]
    ):
        return True
    gap = _TO_OR_FROM.match(body[end : end + 20])
    if gap is not None and end + gap.end() in club_starts:
        return True
    # `Chelsea's Jorginho`: a club's possessive right before the name (not `Chelsea's Cobham
    # training ground`).
    after = body[end : end + 30].split()
    place = bool(after) and after[0].casefold() in words("place_noun")
    return body[start - 3 : start] == "'s " and (start - 3) in club_ends and not place
