"""Article files: the `date YYYY-MM-DD` header, normalisation, hashing and format errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ledger.errors import ArticleFormatError
from ledger.extract import parse_article, read_article


def test_header_date_and_body_are_read_after_leading_space_and_bom() -> None:
    article = parse_article("\ufeff  date 2025-02-03 Spurs are keen on a defender.", "a.txt")
    assert article.published_on == date(2025, 2, 3)
    assert article.body == "Spurs are keen on a defender."


def test_article_id_is_the_first_sixteen_hex_digits_of_the_content_hash() -> None:
    article = parse_article("date 2024-01-17 Body text.", "a.txt")
    assert len(article.content_hash) == 64
    assert article.article_id == article.content_hash[:16]


def test_curly_quotes_dashes_and_crlf_do_not_change_the_hash() -> None:
    plain = parse_article("date 2024-01-17 It's a 'deal' - done.\nNext line.", "a.txt")
    fancy = parse_article(
        "date 2024-01-17 It\u2019s a \u2018deal\u2019 \u2013 done.\r\nNext line.", "b.txt"
    )
    assert plain.content_hash == fancy.content_hash
    assert fancy.body == "It's a 'deal' - done.\nNext line."


def test_different_text_gives_a_different_hash() -> None:
    first = parse_article("date 2024-01-17 One story.", "a.txt")
    second = parse_article("date 2024-01-17 Another story.", "a.txt")
    assert first.content_hash != second.content_hash


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("published 2024-01-17 Body", "expected the word 'date'"),
        ("date", "not followed by a date"),
        ("date 17/01/2024 Body", "not an ISO date"),
        ("date 2024-02-30 Body", "not a real calendar date"),
        ("date 2024-01-17", "no body"),
    ],
)
def test_a_bad_header_names_the_file_and_the_problem(text: str, complaint: str) -> None:
    with pytest.raises(ArticleFormatError, match=complaint) as caught:
        parse_article(text, "broken.txt")
    assert str(caught.value).startswith("broken.txt: ")


def test_read_article_names_the_article_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "07_story.txt"
    path.write_bytes("\ufeffdate 2024-05-30 Barcelona are monitoring him.".encode())
    article = read_article(path)
    assert article.name == "07_story.txt"
    assert article.published_on == date(2024, 5, 30)


def test_a_binary_file_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"date 2024-05-30 \x00\x01\x02")
    with pytest.raises(ArticleFormatError, match=r"image\.txt: is a binary file"):
        read_article(path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("date 2024-05-30 M\u00f6nchengladbach".encode("latin-1"))
    with pytest.raises(ArticleFormatError, match="not UTF-8"):
        read_article(path)
