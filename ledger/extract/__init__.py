"""Claim extraction from transfer-news articles (SPEC §4.2), and its evaluation (SPEC §8).

article = read_article("seeds/000_2877da4359cdf4e6.txt")
for claim in extract_claims(article, publisher="GIVEMESPORT"):
    if claim.confidence >= 0.6:
        print(claim.to_claim_dict())

report = run_evaluation(paths, "tests/labels/seeds.jsonl")
print(format_report(report))
"""

from ledger.extract.article import Article, parse_article, read_article
from ledger.extract.claims import ExtractedClaim
from ledger.extract.evaluation import Report, Score, evaluate, format_report, run_evaluation
from ledger.extract.extractor import extract_claims
from ledger.extract.labels import Label, load_labels

__all__ = [
    "Article",
    "ExtractedClaim",
    "Label",
    "Report",
    "Score",
    "evaluate",
    "extract_claims",
    "format_report",
    "load_labels",
    "parse_article",
    "read_article",
    "run_evaluation",
]
