"""Extraction quality: predicted claims against hand labels, per kind and overall (SPEC §8).

A prediction matches a label when article, kind, player (folded name) and club (canonical id)
are equal. Repeats of one key count once. Matched pairs whose fee, deal type, renewal flag or
current club differ are listed as field mismatches; they do not change precision or recall.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ledger.entities.clubs import club_registry
from ledger.entities.names import name_key
from ledger.errors import FeeError, NameResolutionError
from ledger.extract.article import Article, read_article
from ledger.extract.claims import ExtractedClaim
from ledger.extract.extractor import extract_claims
from ledger.extract.labels import Label, load_labels
from ledger.money.fee_parser import parse_fee

Extract = Callable[[Article], Sequence[ExtractedClaim]]
Key = tuple[str, str, str, str | None]


@dataclass(frozen=True, slots=True)
class Score:
    """Counts for one kind (or all): matched, predicted-only and labelled-only claims."""

    kind: str
    matched: int
    spurious: int
    missed: int

    @property
    def precision(self) -> float:
        predicted = self.matched + self.spurious
        return self.matched / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        labelled = self.matched + self.missed
        return self.matched / labelled if labelled else 1.0


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A matched claim whose `field` differs: what the label says, what was extracted."""

    key: Key
    field: str
    expected: str
    got: str


@dataclass(frozen=True, slots=True)
class Report:
    per_kind: tuple[Score, ...]
    overall: Score
    mismatches: tuple[Mismatch, ...]
    spurious: tuple[Key, ...]
    missed: tuple[Key, ...]
    articles: int
    min_confidence: float


def club_key(name: str | None) -> str | None:
    """The canonical id of a club name, or its folded text when the registry cannot say."""
    if name is None:
        return None
    try:
        return club_registry().resolve(name, allow_nicknames=True).id
    except NameResolutionError:
        return name_key(name)


def evaluate(
    articles: Mapping[str, Article],
    labels: Iterable[Label],
    extract: Extract = extract_claims,
    *,
    min_confidence: float = 0.0,
) -> Report:
    """Score `extract` on `articles` (by file name); labels of other articles are ignored."""
    expected = {_label_key(label): label for label in labels if label.article in articles}
    predicted = _predictions(articles, extract, min_confidence)
    kinds = sorted({key[1] for key in (*expected, *predicted)})
    per_kind = tuple(_score(kind, expected, predicted) for kind in kinds)
    both = sorted(set(expected) & set(predicted), key=str)
    return Report(
        per_kind=per_kind,
        overall=Score(
            "overall",
            sum(s.matched for s in per_kind),
            sum(s.spurious for s in per_kind),
            sum(s.missed for s in per_kind),
        ),
        mismatches=tuple(
            m for key in both for m in _mismatches(key, expected[key], predicted[key])
        ),
        spurious=tuple(sorted(set(predicted) - set(expected), key=str)),
        missed=tuple(sorted(set(expected) - set(predicted), key=str)),
        articles=len(articles),
        min_confidence=min_confidence,
    )


def _predictions(
    articles: Mapping[str, Article], extract: Extract, min_confidence: float
) -> dict[Key, ExtractedClaim]:
    predicted: dict[Key, ExtractedClaim] = {}
    for name, article in articles.items():
        for claim in extract(article):
            if claim.confidence >= min_confidence:
                predicted.setdefault(_claim_key(name, claim), claim)
    return predicted


def _label_key(label: Label) -> Key:
    return label.article, label.kind, name_key(label.player), club_key(label.club)


def _claim_key(article: str, claim: ExtractedClaim) -> Key:
    return article, claim.kind, name_key(claim.player), club_key(claim.club)


def _score(kind: str, expected: Mapping[Key, Label], predicted: Mapping[Key, object]) -> Score:
    labelled = {key for key in expected if key[1] == kind}
    found = {key for key in predicted if key[1] == kind}
    return Score(kind, len(labelled & found), len(found - labelled), len(labelled - found))


def _mismatches(key: Key, label: Label, claim: ExtractedClaim) -> list[Mismatch]:
    found = []
    if _fee_value(label.fee) != _fee_value(None if claim.fee is None else claim.fee.text):
        got = None if claim.fee is None else claim.fee.text
        found.append(Mismatch(key, "fee", str(label.fee), str(got)))
    deal = None if claim.deal is None else claim.deal.value
    if label.deal != deal:
        found.append(Mismatch(key, "deal", str(label.deal), str(deal)))
    if label.renewed != claim.renewed:
        found.append(Mismatch(key, "renewed", str(label.renewed), str(claim.renewed)))
    if club_key(label.from_club) != club_key(claim.from_club):
        found.append(Mismatch(key, "from_club", str(label.from_club), str(claim.from_club)))
    return found


def _fee_value(text: str | None) -> tuple[str, str] | str | None:
    """Fees compare by amount and currency (`£70 million` = `£70m`), else by folded text."""
    if text is None:
        return None
    try:
        fee = parse_fee(text)
    except FeeError:
        return name_key(text)
    return format(fee.amount.normalize(), "f") if fee.amount is not None else fee.nature, str(
        fee.currency
    )


def run_evaluation(
    article_paths: Iterable[str | Path],
    labels_path: str | Path,
    *,
    publisher: str | None = None,
    min_confidence: float = 0.0,
) -> Report:
    """Read the articles and the labels file, extract and score (`rumours eval-extract`)."""
    articles = {article.name: article for article in map(read_article, article_paths)}

    def extract(article: Article) -> list[ExtractedClaim]:
        return extract_claims(article, publisher=publisher)

    return evaluate(articles, load_labels(labels_path), extract, min_confidence=min_confidence)


def format_report(report: Report) -> str:
    """The report as a plain-text table, then mismatched fields, spurious and missed claims."""
    lines = [
        f"articles: {report.articles}   minimum confidence: {report.min_confidence:g}",
        f"{'kind':<20}{'labelled':>9}{'predicted':>10}{'matched':>9}{'precision':>11}{'recall':>8}",
    ]
    for score in (*report.per_kind, report.overall):
        if score is report.overall:
            lines.append("-" * 67)
        labelled, predicted = score.matched + score.missed, score.matched + score.spurious
        lines.append(
            f"{score.kind:<20}{labelled:>9}{predicted:>10}{score.matched:>9}"
            f"{score.precision:>11.3f}{score.recall:>8.3f}"
        )
    lines.extend(_section("field mismatches", [_mismatch_line(m) for m in report.mismatches]))
    lines.extend(_section("spurious (extracted, not labelled)", map(_key_line, report.spurious)))
    lines.extend(_section("missed (labelled, not extracted)", map(_key_line, report.missed)))
    return "\n".join(lines)


def _section(title: str, rows: Iterable[str]) -> list[str]:
    body = list(rows)
    return [f"\n{title}: {len(body)}", *(f"  {row}" for row in body)] if body else []


def _key_line(key: Key) -> str:
    article, kind, player, club = key
    return f"{article}: {kind} {player} / {club}"


def _mismatch_line(mismatch: Mismatch) -> str:
    return f"{_key_line(mismatch.key)}: {mismatch.field} expected {mismatch.expected}, got {mismatch.got}"
