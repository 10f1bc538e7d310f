"""Every hand-label file in `tests/labels` parses and names only articles that exist.

Each label file belongs to one folder of articles (tests/articles/README.md). A label that names
a missing article would be silently ignored by the evaluator, so a typo in a file name would
quietly shrink a set; these tests catch that. The seed labels point outside the repository
(`../shared/seeds`) and are skipped when that folder is absent. The untouched holdout
(`holdout2`) measures generalisation only if none of its players was ever seen in another set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.entities.names import name_key
from ledger.extract import load_labels

REPO = Path(__file__).resolve().parents[2]
LABELS = REPO / "tests" / "labels"
ARTICLES = REPO / "tests" / "articles"
ARTICLE_FOLDERS = {
    "own.jsonl": ARTICLES,
    "tuning2.jsonl": ARTICLES / "tuning2",
    "tuning3.jsonl": ARTICLES / "tuning3",
    "holdout.jsonl": ARTICLES / "holdout",
    "holdout2.jsonl": ARTICLES / "holdout2",
    "seeds.jsonl": REPO.parent / "shared" / "seeds",
}
TUNING_LABELS = ("own.jsonl", "tuning2.jsonl", "tuning3.jsonl", "seeds.jsonl")


def test_every_label_file_has_a_folder_of_articles() -> None:
    assert {path.name for path in LABELS.glob("*.jsonl")} == set(ARTICLE_FOLDERS)


@pytest.mark.parametrize("name", sorted(ARTICLE_FOLDERS))
def test_a_label_file_parses_and_names_only_articles_in_its_folder(name: str) -> None:
    folder = ARTICLE_FOLDERS[name]
    if not folder.is_dir():
        pytest.skip(f"{folder} is not available")
    labels = load_labels(LABELS / name)
    articles = {path.name for path in folder.glob("*.txt")}
    assert labels
    assert {label.article for label in labels} <= articles


@pytest.mark.parametrize(
    "name", ["tuning2.jsonl", "tuning3.jsonl", "holdout.jsonl", "holdout2.jsonl"]
)
def test_every_article_of_the_new_sets_has_at_least_one_label(name: str) -> None:
    labelled = {label.article for label in load_labels(LABELS / name)}
    assert {path.name for path in ARTICLE_FOLDERS[name].glob("*.txt")} == labelled


def test_the_holdout_shares_no_player_with_the_labels_used_for_tuning() -> None:
    holdout = {label.player for label in load_labels(LABELS / "holdout.jsonl")}
    tuning = {label.player for name in TUNING_LABELS for label in load_labels(LABELS / name)}
    assert holdout & tuning == set()


def test_the_untouched_holdout_shares_no_player_with_any_other_label_file() -> None:
    untouched = {name_key(label.player) for label in load_labels(LABELS / "holdout2.jsonl")}
    others = {
        name_key(label.player)
        for name in ARTICLE_FOLDERS
        if name != "holdout2.jsonl"
        for label in load_labels(LABELS / name)
    }
    assert untouched & others == set()
