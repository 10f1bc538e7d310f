"""Sentence splitting, clause splitting and text normalisation for extraction."""

from __future__ import annotations

from ledger.extract.text import (
    MAX_SENTENCE_CHARS,
    clause_bounds,
    match_view,
    normalise,
    split_sentences,
)


def texts(body: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(body)]


def test_sentences_split_at_full_stops_followed_by_a_capital() -> None:
    assert texts("Spurs bid. Palace said no. Talks go on!") == [
        "Spurs bid.",
        "Palace said no.",
        "Talks go on!",
    ]


def test_a_decimal_fee_does_not_end_a_sentence() -> None:
    body = "He joined for €25m (£20.9m) on loan. The fee is 2.5 times his value."
    assert texts(body) == [
        "He joined for €25m (£20.9m) on loan.",
        "The fee is 2.5 times his value.",
    ]


def test_initials_and_abbreviations_do_not_end_a_sentence() -> None:
    body = "K. Itakura met Mr. Smith at St. James' Park. Then he left."
    assert texts(body) == ["K. Itakura met Mr. Smith at St. James' Park.", "Then he left."]


def test_every_line_break_ends_a_sentence_so_headlines_stand_alone() -> None:
    assert texts("Itakura has bargain exit clause\n\nSky reports he is keen") == [
        "Itakura has bargain exit clause",
        "Sky reports he is keen",
    ]


def test_sentence_spans_point_into_the_body() -> None:
    body = "  First one.  Second one."
    for sentence in split_sentences(body):
        assert body[sentence.start : sentence.end] == sentence.text


def test_clauses_break_at_dashes_but_not_inside_coordinated_names() -> None:
    text = "Liverpool and Tottenham want him - and their rivals do too, but Lens refuse"
    parts = [text[s:e] for s, e in clause_bounds(text)]
    assert parts == [
        "Liverpool and Tottenham want him",
        "and their rivals do too",
        "but Lens refuse",
    ]


def test_a_relative_clause_is_its_own_clause() -> None:
    text = "Chelsea failed to sign Axel Disasi who is poised to join Aston Villa"
    parts = [text[s:e] for s, e in clause_bounds(text)]
    assert parts == ["Chelsea failed to sign Axel Disasi", "who is poised to join Aston Villa"]


def test_normalise_makes_quotes_dashes_and_spaces_plain_without_moving_offsets() -> None:
    raw = "\u2018feelers\u2019 \u2013 \u201cyes\u201d\u00a0now"
    assert normalise(raw) == "'feelers' - \"yes\" now"
    assert len(normalise(raw)) == len(raw)


def test_the_match_view_blanks_quotation_marks_but_keeps_apostrophes() -> None:
    assert match_view("Lens' view: they 'put out feelers' for Guehi's team-mate") == (
        "Lens  view: they  put out feelers  for Guehi's team-mate"
    )


def test_a_run_on_sentence_is_cut_at_word_boundaries_into_bounded_pieces() -> None:
    body = "Tottenham are keen on Marc Guehi and " * 100 + "a bid was rejected."
    pieces = split_sentences(body)
    assert len(pieces) > 1
    assert all(len(piece.text) <= MAX_SENTENCE_CHARS for piece in pieces)
    assert all(piece.text == body[piece.start : piece.end] for piece in pieces)
    assert " ".join(piece.text for piece in pieces) == body.strip()
