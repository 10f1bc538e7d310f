"""Whatever an article file holds, reading and extracting never raise and never hang (SPEC §7).

A file is either an `Article` or one `ArticleFormatError` line naming it; the extractor turns any
body into claims whose spans point into that body and whose claim dicts the ingest validator
either accepts or rejects with single-line problems (never an exception).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import ArticleFormatError
from ledger.extract import extract_claims
from ledger.extract.article import parse_article, read_article
from ledger.ingest.claim_input import ClaimInput, validate_claim

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Well past any honest article, far short of what catastrophic regex backtracking would take.
NO_HANG_SECONDS = 20.0

# Words the rules look for, so generated bodies reach deep into the pattern families rather than
# stopping at the first sentence that names no club.
FOOTBALL = [
    "Tottenham", "Spurs", "Crystal Palace", "Liverpool", "Arsenal", "Newcastle", "PSG", "Wolves",
    "Gladbach", "Marseille", "Lens", "Sporting", "Marc Guehi", "Ko Itakura", "Ikatura", "Danso",
    "Kevin Danso", "bid", "rejected", "accepted", "£70m", "€25m", "€5million", "around £8m",
    "£100m plus £5m add-ons", "undisclosed", "free", "loan", "obligation to buy", "option to buy",
    "release clause", "at least £12m", "interest", "re-emerged", "put out feelers", "enquiry",
    "according to", "per", "Fabrizio Romano", "GIVEMESPORT", "Sky Sports", "understands",
    "has joined", "deal", "fallen through", "collapsed", "poised to join", "denied", "extension",
    "signed a new contract", "and", ",", ".", "'", '"', "the Lilywhites", "the capital club",
    "he", "they", "are also in this race", "—", "–", "\u00a0", "\u2019", "\n", "\n\n",
]  # fmt: skip
NASTY = [
    "\x00", "\x1b[31m", "\u2028", "\ufeff", "'; DROP TABLE events; --", "%s", "{{7*7}}",
    "x" * 3000, "é" * 500, "(" * 200, "Mr. " * 200, "£" * 300, "€1e999m", "-£5m", "2025-02-30",
]  # fmt: skip

bodies = st.lists(
    st.sampled_from(FOOTBALL) | st.sampled_from(NASTY) | st.text(max_size=30),
    max_size=80,
).map(" ".join)
headers = st.sampled_from(
    ["date 2025-02-03\n", "date: 2025-02-03\n", "DATE 2025-02-03 ", "date 2025-02-30\n",
     "date 2025-2-3\n", "data 2025-02-03\n", "date\n", "", "\ufeffdate 2025-02-03\n"]
)  # fmt: skip


def _assert_one_line(error: ArticleFormatError, name: str) -> None:
    message = str(error)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message and "Traceback" not in message


@FUZZ
@given(st.binary(max_size=2000) | st.builds(lambda h, b: (h + b).encode("utf-8"), headers, bodies))
def test_any_file_is_an_article_or_one_line_naming_it(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("articles") / "fuzzed.txt"
    path.write_bytes(raw)
    try:
        article = read_article(path)
    except ArticleFormatError as error:
        _assert_one_line(error, "fuzzed.txt")
    else:
        assert article.body and article.name == "fuzzed.txt"


@FUZZ
@given(bodies, st.sampled_from([None, "GIVEMESPORT", "'; DROP TABLE x; --", ""]))
def test_any_body_gives_claims_the_ingest_validator_can_judge(
    body: str, publisher: str | None
) -> None:
    try:
        article = parse_article("date 2025-02-03\n" + body, "fuzzed.txt")
    except ArticleFormatError as error:
        _assert_one_line(error, "fuzzed.txt")
        return
    started = time.monotonic()
    claims = extract_claims(article, publisher=publisher or None)
    assert time.monotonic() - started < NO_HANG_SECONDS
    for claim in claims:
        start, end = claim.span
        assert 0 <= start <= end <= len(article.body)
        assert 0.0 <= claim.confidence <= 1.0
        checked = validate_claim(claim.to_claim_dict())
        if isinstance(checked, list):
            assert all("\n" not in f"{p.field}: {p.reason}" for p in checked)
        else:
            assert isinstance(checked, ClaimInput)


def test_a_huge_article_of_one_endless_sentence_is_read_in_bounded_time() -> None:
    body = ("Tottenham are keen on Marc Guehi and " * 4000) + "a £70m bid was rejected."
    article = parse_article("date 2025-02-03\n" + body, "huge.txt")
    started = time.monotonic()
    extract_claims(article, publisher="GIVEMESPORT")
    assert time.monotonic() - started < NO_HANG_SECONDS


# Live blogs and round-ups: timestamps, headline lines, bracketed sources, one-word names, quotes
# and colons, in any order, so entry splitting and attribution meet every shape they can.
LIVE_PIECES = [
    "09:05", "14.30pm", "12:00 BST", "Done deal: Jorginho to Arsenal", "LIVE", "BREAKING:",
    "(The Sun)", "(Telegraph)", "(", ")", "(Le Parisien)", "Jorginho", "midfielder Arthur",
    "here we go!", "per Sky Sports", "reports Fabrizio Romano", "Charles Watts revealed",
    "Hotspur Way", "the Gunners", "les Sang et Or", "the Toffees", "he", "the 23-year-old",
    "Lens defender Kevin Danso", "flew to Munich for his medical", "have been rebuffed",
    "saw an offer knocked back", "are yet to submit a bid", "talks have stalled", "is off",
    "arrived from Lens in 2022", "lost Danso to Tottenham", "no approaches for", '"', ":",
]  # fmt: skip
live_lines = st.lists(
    st.lists(st.sampled_from(LIVE_PIECES) | st.sampled_from(FOOTBALL), max_size=25).map(" ".join),
    max_size=40,
).map("\n".join)


@FUZZ
@given(live_lines)
def test_any_live_blog_shape_gives_claims_without_an_error(body: str) -> None:
    try:
        article = parse_article("date 2025-02-03\n" + body, "live.txt")
    except ArticleFormatError as error:
        _assert_one_line(error, "live.txt")
        return
    started = time.monotonic()
    claims = extract_claims(article)
    assert time.monotonic() - started < NO_HANG_SECONDS
    for claim in claims:
        assert article.body[claim.span[0] : claim.span[1]] == claim.sentence
        assert not isinstance(validate_claim(claim.to_claim_dict()), Exception)


def test_a_long_live_blog_of_short_entries_is_read_in_bounded_time() -> None:
    entry = "10:15\nDone deal: Jorginho to Arsenal\nArsenal have had a bid rejected. (Sun)\n"
    article = parse_article("date 2025-02-03\n" + entry * 1000, "long_live.txt")
    started = time.monotonic()
    extract_claims(article)
    assert time.monotonic() - started < NO_HANG_SECONDS
