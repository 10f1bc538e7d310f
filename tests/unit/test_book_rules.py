"""The rules digest a stored likelihood book records (`projections.book_rules`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projections import book_rules


def test_every_file_the_digest_covers_is_there() -> None:
    """A file renamed or moved away would drop out of the digest without a word."""
    assert [path for path in book_rules.RULE_FILES if not path.is_file()] == []
    assert any(path.parent.name == "fold" for path in book_rules.RULE_FILES)


def test_an_edit_of_any_rule_file_gives_another_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = [tmp_path / "pursuit.py", tmp_path / "track_record.py"]
    for path in rules:
        path.write_text("RULE = 1\n")
    monkeypatch.setattr(book_rules, "RULE_FILES", tuple(rules))
    digest = book_rules.book_rules.__wrapped__
    first = digest()
    assert digest() == first  # the same files, the same digest
    rules[1].write_text("RULE = 2\n")
    assert digest() != first
    rules[1].write_text("RULE = 1\n")
    assert digest() == first


def test_the_digest_is_computed_once_a_process() -> None:
    assert book_rules.book_rules() is book_rules.book_rules()
    assert len(book_rules.book_rules()) == 16
