"""The fee parser: newsroom money text → `Fee`, fees inside sentences, and structured fee values."""

from __future__ import annotations

import csv
import dataclasses
import time
from decimal import Decimal
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.errors import FeeError
from ledger.money import CURRENCIES, Fee
from ledger.money.fee_parser import FeeMention, find_fees, parse_fee
from ledger.money.fee_values import fee_from_value, format_fee

# text, amount, currency, add-ons, qualifier
AMOUNTS = [
    ("€25m", "25000000", "EUR", None, None),
    ("£20.9m", "20900000", "GBP", None, None),
    ("£70 million", "70000000", "GBP", None, None),
    ("£70m", "70000000", "GBP", None, None),
    ("£70M", "70000000", "GBP", None, None),
    ("€5million", "5000000", "EUR", None, None),
    ("€5 million", "5000000", "EUR", None, None),
    ("£3.25m", "3250000", "GBP", None, None),
    ("£12 mn", "12000000", "GBP", None, None),
    ("£12mln", "12000000", "GBP", None, None),
    ("around £8m", "8000000", "GBP", None, "around"),
    ("about £8m", "8000000", "GBP", None, "around"),
    ("roughly £8m", "8000000", "GBP", None, "around"),
    ("Around £8m", "8000000", "GBP", None, "around"),
    ("approximately €12.5m", "12500000", "EUR", None, "around"),
    ("in the region of £30m", "30000000", "GBP", None, "around"),
    ("c.£8m", "8000000", "GBP", None, "around"),
    ("circa €40m", "40000000", "EUR", None, "around"),
    ("£8m or so", "8000000", "GBP", None, "around"),
    ("at least £12m", "12000000", "GBP", None, "at least"),
    ("a minimum of €15m", "15000000", "EUR", None, "at least"),
    ("up to €40m", "40000000", "EUR", None, "up to"),
    ("as much as $50m", "50000000", "USD", None, "up to"),
    ("more than £50m", "50000000", "GBP", None, "more than"),
    ("over £50m", "50000000", "GBP", None, "more than"),
    ("in excess of £100m", "100000000", "GBP", None, "more than"),
    ("upwards of €20m", "20000000", "EUR", None, "more than"),
    ("£50m-plus", "50000000", "GBP", None, "more than"),
    ("£50m+", "50000000", "GBP", None, "more than"),
    ("€30m or more", "30000000", "EUR", None, "more than"),
    ("less than £5m", "5000000", "GBP", None, "less than"),
    ("just under £60m", "60000000", "GBP", None, "less than"),
    ("£100m plus £5m add-ons", "100000000", "GBP", "5000000", None),
    ("£75m + £15m in add-ons", "75000000", "GBP", "15000000", None),
    ("€60m plus €10m in bonuses", "60000000", "EUR", "10000000", None),
    ("€40m plus a further €5m in add-ons", "40000000", "EUR", "5000000", None),
    ("£30m with £5m in performance-related add-ons", "30000000", "GBP", "5000000", None),
    ("£50m and £10m in bonuses", "50000000", "GBP", "10000000", None),
    ("£100m plus 5m add-ons", "100000000", "GBP", "5000000", None),
    ("£40m rising to £50m", "40000000", "GBP", "10000000", None),
    ("€7m, rising to €10m with add-ons", "7000000", "EUR", "3000000", None),
    ("£40m plus add-ons", "40000000", "GBP", None, None),
    ("around £60m plus £5m add-ons", "60000000", "GBP", "5000000", "around"),
    ("€500k", "500000", "EUR", None, None),
    ("£750K", "750000", "GBP", None, None),
    ("£10 grand", "10000", "GBP", None, None),
    ("£500,000", "500000", "GBP", None, None),
    ("£500", "500", "GBP", None, None),
    ("£1,250,000.50", "1250000.50", "GBP", None, None),
    ("$30m", "30000000", "USD", None, None),
    ("US$30m", "30000000", "USD", None, None),
    ("25m euros", "25000000", "EUR", None, None),
    ("€25 million euros", "25000000", "EUR", None, None),
    ("30 million pounds", "30000000", "GBP", None, None),
    ("£20.9 million pounds sterling", "20900000", "GBP", None, None),
    ("EUR 25m", "25000000", "EUR", None, None),
    ("EUR25m", "25000000", "EUR", None, None),
    ("25m EUR", "25000000", "EUR", None, None),
    ("GBP 70,000,000", "70000000", "GBP", None, None),
    ("CHF 12m", "12000000", "CHF", None, None),
    ("30m Swiss francs", "30000000", "CHF", None, None),
    ("SEK 40m", "40000000", "SEK", None, None),
    ("R$50m", "50000000", "BRL", None, None),
    ("A$5m", "5000000", "AUD", None, None),
    ("₺300m", "300000000", "TRY", None, None),
    ("₩10bn", "10000000000", "KRW", None, None),
    ("2.5 billion yen", "2500000000", "JPY", None, None),
    ("100 million Saudi riyals", "100000000", "SAR", None, None),
    ("€0.5bn", "500000000", "EUR", None, None),
    ("€1bn", "1000000000", "EUR", None, None),
    ("£70 million-worth", "70000000", "GBP", None, None),
    ("£50m-rated", "50000000", "GBP", None, None),
    ("£25-30m", "25000000", "GBP", None, "at least"),
    ("£25m-£30m", "25000000", "GBP", None, "at least"),
    ("£25m to £30m", "25000000", "GBP", None, "at least"),
    ("between €20m and €25m", "20000000", "EUR", None, "at least"),
    ("up to £25-30m", "30000000", "GBP", None, "up to"),
    ("for £70m", "70000000", "GBP", None, None),
    ("a £70m fee", "70000000", "GBP", None, None),
    ("€25m (£20.9m)", "25000000", "EUR", None, None),
    ("£70\u00a0million", "70000000", "GBP", None, None),
    ("£15m\u202fplus\u2009£3m add-ons", "15000000", "GBP", "3000000", None),
    ("£25\u201330m", "25000000", "GBP", None, "at least"),
]


@pytest.mark.parametrize(("text", "amount", "currency", "add_ons", "qualifier"), AMOUNTS)
def test_fee_text_parses_to_exact_amount_currency_add_ons_and_qualifier(
    text: str, amount: str, currency: str, add_ons: str | None, qualifier: str | None
) -> None:
    fee = parse_fee(text)
    assert fee.nature == "amount"
    assert fee.amount == Decimal(amount)
    assert isinstance(fee.amount, Decimal)
    assert fee.currency == currency
    assert fee.add_ons == (None if add_ons is None else Decimal(add_ons))
    assert fee.qualifier == qualifier
    assert fee.text == text.strip()


def test_the_table_covers_at_least_sixty_distinct_fee_strings() -> None:
    assert len({row[0] for row in AMOUNTS}) >= 60


def test_amounts_are_stored_as_plain_whole_decimals_not_floats_or_exponents() -> None:
    fee = parse_fee("£20.9m")
    assert str(fee.amount) == "20900000"
    assert fee.as_json()["amount"] == "20900000"


def test_original_text_is_kept_stripped() -> None:
    assert parse_fee("  around £8m \n").text == "around £8m"


@pytest.mark.parametrize(
    "text",
    [
        "undisclosed",
        "Undisclosed",
        "an undisclosed fee",
        "undisclosed fee",
        "for an undisclosed fee",
        "an undisclosed sum",
    ],
)
def test_undisclosed_fees_have_no_amount(text: str) -> None:
    fee = parse_fee(text)
    assert (fee.nature, fee.amount, fee.currency) == ("undisclosed", None, None)


@pytest.mark.parametrize(
    "text",
    [
        "free",
        "Free",
        "free transfer",
        "a free transfer",
        "on a free transfer",
        "on a free",
        "for free",
    ],
)
def test_free_transfers_cost_zero_in_no_currency(text: str) -> None:
    fee = parse_fee(text)
    assert (fee.nature, fee.amount, fee.currency) == ("free", Decimal(0), None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-£5m", "negative"),
        ("£-5m", "negative"),
        ("\u2212£5m", "negative"),
        ("minus £5m", "negative"),
        ("EUR -5m", "negative"),
        ("₿5m", "unknown currency '₿'"),
        ("XYZ 5m", "unknown currency 'XYZ'"),
        ("£900bn", "absurd"),
        ("€1.2bn", "absurd"),
        ("£1bn", "absurd"),
        ("£800m plus £200m add-ons", "absurd"),
        ("£" + "9" * 30, "absurd"),
        ("", "empty"),
        ("   ", "empty"),
        ("lots of money", "not an amount of money"),
        ("£5m for a striker", "not an amount of money"),
        ("70m", "no currency"),
        ("70 million", "no currency"),
        ("£0", "zero"),
        ("€0m", "zero"),
        ("£0.001", "fractions of a cent"),
        ("£200,000 a week", "wage"),
        ("£5m-a-year", "wage"),
        ("€5m pounds", "two currencies"),
        ("€30m plus £5m add-ons", "mixes currencies"),
        ("£30m-£20m", "low end is above"),
        ("£40m rising to £30m", "does not rise above"),
        ("£40m rising to £40m", "does not rise above"),
        ("between £25m", "between"),
        ("€25m (lots)", "not an amount of money"),
        ("£5m " + "x" * 300, "too long"),
    ],
)
def test_unacceptable_money_raises_fee_error_saying_why(text: str, reason: str) -> None:
    with pytest.raises(FeeError, match=r"(?i)" + reason.replace("(", r"\(").replace("+", r"\+")):
        parse_fee(text)


def test_fee_error_is_one_sentence_on_one_line() -> None:
    with pytest.raises(FeeError) as caught:
        parse_fee("£\n900bn\x00")
    message = str(caught.value)
    assert "\n" not in message
    assert "\x00" not in message
    assert message.endswith(".")


def test_each_currency_ceiling_is_inclusive() -> None:
    assert parse_fee("CHF 1bn").amount == Decimal(1_000_000_000)
    with pytest.raises(FeeError, match="absurd"):
        parse_fee("CHF 1,000,000,001")


def test_shipped_currencies_match_the_money_module() -> None:
    text = files("ledger").joinpath("data", "currencies.csv").read_text(encoding="utf-8")
    codes = {row["code"] for row in csv.DictReader(text.splitlines())}
    assert codes == CURRENCIES


# sentence, [(span text, amount, currency, qualifier, add-ons)]
SENTENCES = [
    (
        "Tottenham made a £70 million-worth bid for Marc Guehi.",
        [("£70 million-worth", "70000000", "GBP", None, None)],
    ),
    (
        "He joined on an initial loan with an obligation to buy for €25m (£20.9m) last year.",
        [("€25m", "25000000", "EUR", None, None), ("£20.9m", "20900000", "GBP", None, None)],
    ),
    (
        "Chelsea are prepared to offer around £8m for the winger.",
        [("around £8m", "8000000", "GBP", "around", None)],
    ),
    (
        "Palace want at least £12m before they sell.",
        [("at least £12m", "12000000", "GBP", "at least", None)],
    ),
    (
        "The deal is worth £100m plus £5m add-ons, the biggest of the window.",
        [("£100m plus £5m add-ons", "100000000", "GBP", None, "5000000")],
    ),
    (
        "Leverkusen would accept €60m plus €10m in bonuses for the midfielder.",
        [("€60m plus €10m in bonuses", "60000000", "EUR", None, "10000000")],
    ),
    (
        "Roma paid 25m euros last summer and now want 30 million pounds.",
        [
            ("25m euros", "25000000", "EUR", None, None),
            ("30 million pounds", "30000000", "GBP", None, None),
        ],
    ),
    (
        "Valued at £25-30m, the 24-year-old has scored 12 goals in 20 games.",
        [("£25-30m", "25000000", "GBP", "at least", None)],
    ),
    (
        "The centre-back can be signed next summer for €15m, due to a release clause.",
        [("€15m", "15000000", "EUR", None, None)],
    ),
    (
        "Bayern bid EUR 25m in 2023 while Basel asked CHF 12m.",
        [("EUR 25m", "25000000", "EUR", None, None), ("CHF 12m", "12000000", "CHF", None, None)],
    ),
    (
        "He earns £200,000-a-week, and City paid £45m for him.",
        [("£45m", "45000000", "GBP", None, None)],
    ),
    (
        "They had a $30m offer rejected and a US$35m offer accepted.",
        [("$30m", "30000000", "USD", None, None), ("US$35m", "35000000", "USD", None, None)],
    ),
    (
        "Arsenal paid 1,250,000 euros, then Real Madrid paid €5m.",
        [("1,250,000 euros", "1250000", "EUR", None, None), ("€5m", "5000000", "EUR", None, None)],
    ),
    (
        "The fee is £40m rising to £50m, and more than £50m was once mooted.",
        [
            ("£40m rising to £50m", "40000000", "GBP", None, "10000000"),
            ("more than £50m", "50000000", "GBP", "more than", None),
        ],
    ),
    ("A bid of\u00a0€5\u00a0million arrived.", [("€5\u00a0million", "5000000", "EUR", None, None)]),
]


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_find_fees_locates_every_fee_with_its_qualifier_and_add_ons(
    sentence: str, expected: list[tuple[str, str, str, str | None, str | None]]
) -> None:
    found = [
        (
            sentence[m.start : m.end],
            str(m.fee.amount),
            m.fee.currency,
            m.fee.qualifier,
            None if m.fee.add_ons is None else str(m.fee.add_ons),
        )
        for m in find_fees(sentence)
    ]
    assert found == expected


def test_find_fees_reports_free_and_undisclosed_deals() -> None:
    free = find_fees("He left Gladbach on a free transfer in 2023.")
    secret = find_fees("Brighton signed him for an undisclosed fee in January.")
    assert [(m.fee.nature, m.fee.text) for m in free] == [("free", "on a free transfer")]
    assert [(m.fee.nature, m.fee.text) for m in secret] == [("undisclosed", "an undisclosed fee")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Spurs have 24 points from 20 games this season.",
        "The 28-year-old is 6ft 2in and weighs 180 pounds.",
        "A 35-cap international, he starred at Euro 2024 and at the 2020 Euros.",
        "He scored a free kick in 2019 and was free to talk to other clubs.",
        "Try 5 times; the club has 1.5m fans and a 60,000-seat stadium.",
        "He earns £150,000 per week and £8m a year.",
        "He is wanted by an undisclosed club.",
        "The 2-1 win moved them 3 points clear with 10 games left.",
        "Roma paid €25,5m for him.",
    ],
)
def test_find_fees_ignores_numbers_that_are_not_fees(sentence: str) -> None:
    assert find_fees(sentence) == []


def test_find_fees_stays_fast_on_long_runs_of_whitespace() -> None:
    # a backtracking regression once took 14 s here; linear matching takes milliseconds
    started = time.perf_counter()
    assert len(find_fees("£5m" + " " * 20_000 + "x" + ",\n" * 5_000 + "€2m")) == 2
    assert time.perf_counter() - started < 3


def test_fee_mentions_are_frozen() -> None:
    mention = find_fees("a £70m bid")[0]
    assert mention == FeeMention(2, 6, parse_fee("£70m"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        mention.start = 0  # type: ignore[misc]


def test_structured_fee_gets_a_readable_text_that_parses_back() -> None:
    fee = fee_from_value({"amount": "70000000", "currency": "GBP"})
    assert (fee.amount, fee.currency, fee.text) == (Decimal(70_000_000), "GBP", "£70,000,000")
    assert parse_fee(fee.text) == fee


def test_structured_fee_keeps_add_ons_qualifier_and_given_text() -> None:
    fee = fee_from_value(
        {
            "amount": 25000000,
            "currency": "eur",
            "add_ons": "5,000,000",
            "qualifier": "about",
            "text": "about €25m plus €5m add-ons",
        }
    )
    assert fee == parse_fee("about €25m plus €5m add-ons")


@pytest.mark.parametrize(
    ("value", "nature", "amount"),
    [({"nature": "free"}, "free", Decimal(0)), ({"nature": "undisclosed"}, "undisclosed", None)],
)
def test_structured_free_and_undisclosed_fees(
    value: dict[str, object], nature: str, amount: Decimal | None
) -> None:
    fee = fee_from_value(value)
    assert (fee.nature, fee.amount, fee.currency, fee.text) == (nature, amount, None, nature)


def test_fee_value_text_goes_through_the_parser() -> None:
    assert fee_from_value("around £8m") == parse_fee("around £8m")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"amount": 20.5, "currency": "GBP"}, "decimal string"),
        ({"amount": True, "currency": "GBP"}, "decimal string"),
        ({"amount": Decimal("NaN"), "currency": "GBP"}, "decimal string"),
        ({"amount": "1e5", "currency": "GBP"}, "decimal string"),
        ({"currency": "GBP"}, "decimal string"),
        ({"amount": "-5", "currency": "GBP"}, "negative"),
        ({"amount": "0", "currency": "GBP"}, "zero"),
        ({"amount": "5000000000", "currency": "GBP"}, "absurd"),
        ({"amount": "500000000", "currency": "GBP", "add_ons": "500000000"}, "absurd"),
        ({"amount": "5"}, "currency"),
        ({"amount": "5", "currency": "XYZ"}, "currency"),
        ({"amount": "5", "currency": "GBP", "qualifier": "maybe"}, "qualifier"),
        ({"amount": "5", "currency": "GBP", "text": "  "}, "text"),
        ({"amount": "5", "currency": "GBP", "price": 1}, "unexpected field"),
        ({"nature": "free", "amount": "5"}, "cannot also state amount"),
        ({"nature": "undisclosed", "currency": "GBP"}, "cannot also state currency"),
        ({"nature": "swap"}, "nature"),
        (["£5m"], "text or an object"),
        (None, "text or an object"),
    ],
)
def test_bad_structured_fees_raise_fee_error(value: object, reason: str) -> None:
    with pytest.raises(FeeError, match=reason):
        fee_from_value(value)  # type: ignore[arg-type]


def test_format_fee_writes_newsroom_text() -> None:
    assert format_fee(Decimal(70_000_000), "GBP") == "£70,000,000"
    assert format_fee(Decimal("1500000.5"), "CHF", Decimal(200_000), "up to") == (
        "up to CHF 1,500,000.50 plus CHF 200,000 add-ons"
    )


# Property tests: nothing but FeeError ever escapes, and formatting round-trips.
FEEISH = st.lists(
    st.sampled_from(
        [
            "£",
            "€",
            "$",
            "US$",
            "EUR",
            "XYZ",
            "₿",
            "-",
            "\u2212",
            "5",
            "20.9",
            "1,000",
            "0",
            "m",
            "bn",
            "k",
            "million",
            " ",
            "\u00a0",
            "plus",
            "add-ons",
            "around",
            "to",
            "between",
            "and",
            "(",
            ")",
            "free",
            "undisclosed",
            ",",
            ".",
            "+",
            "a week",
            "euros",
            "rising to",
            "9" * 25,
        ]
    ),
    max_size=12,
).map("".join)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.decimals(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
FIELDS = st.sampled_from(["amount", "currency", "add_ons", "qualifier", "text", "nature", "x"])


@given(st.one_of(st.text(), FEEISH))
def test_parse_fee_raises_nothing_but_fee_error(text: str) -> None:
    try:
        fee = parse_fee(text)
    except FeeError:
        return
    assert fee.text == text.strip()


@given(st.one_of(st.text(), FEEISH, st.dictionaries(FIELDS, JSONISH), JSONISH))
def test_fee_from_value_raises_nothing_but_fee_error(value: object) -> None:
    try:
        fee = fee_from_value(value)  # type: ignore[arg-type]
    except FeeError:
        return
    assert isinstance(fee, Fee)


@given(st.one_of(st.text(), FEEISH.map(lambda s: f"a {s} bid")))
def test_find_fees_never_raises_and_each_span_is_its_fee_text(text: str) -> None:
    for mention in find_fees(text):
        assert text[mention.start : mention.end] == mention.fee.text


@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(400_000_000), places=2),
    currency=st.sampled_from(sorted(CURRENCIES)),
    add_ons=st.none() | st.decimals(min_value=Decimal(1), max_value=Decimal(400_000_000), places=0),
    qualifier=st.sampled_from([None, "around", "at least", "up to", "more than", "less than"]),
)
def test_formatted_fees_parse_back_to_the_same_money(
    amount: Decimal, currency: str, add_ons: Decimal | None, qualifier: str | None
) -> None:
    fee = parse_fee(format_fee(amount, currency, add_ons, qualifier))  # type: ignore[arg-type]
    assert (fee.amount, fee.currency, fee.add_ons, fee.qualifier) == (
        amount,
        currency,
        add_ons,
        qualifier,
    )
