"""Who a reference means: live-blog entries start afresh, and descriptions, nicknames and
coordinated clubs resolve against what the text has just been talking about."""

from __future__ import annotations

from ledger.extract import ExtractedClaim, extract_claims, parse_article


def claims(text: str) -> list[ExtractedClaim]:
    return extract_claims(parse_article(f"date 2021-01-20 {text}", "salience.txt"))


def keys(text: str) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.player, c.club) for c in claims(text)}


def test_a_new_live_blog_entry_does_not_carry_the_previous_entrys_player() -> None:
    text = (
        "Transfer deadline day, live\n\n"
        "10:02\nBurnley move for Dean Marsh\n\n"
        "Burnley have made a £2m bid for Dean Marsh.\n\n"
        "11:40\nSunderland stand firm\n\n"
        "Sunderland insist he is not for sale."
    )
    found = keys(text)
    assert ("bid", "Dean Marsh", "Burnley") in found
    assert not {k for k in found if k[0] == "blocked"}


def test_a_section_heading_naming_nobody_keeps_the_story_player() -> None:
    text = (
        "Burnley make move for striker\n\n"
        "Burnley have made a £2m bid for Sunderland striker Dean Marsh.\n\n"
        "Staying put\n\n"
        "Sunderland insist he is not for sale."
    )
    assert ("blocked", "Dean Marsh", "Burnley") in keys(text)
