"""The fee vocabulary of English transfer news, and the patterns that find fees in text.

Currencies, their spellings and the per-currency ceiling above which a fee is absurd are read from
`ledger/data/currencies.csv` and `currency_aliases.csv`; qualifiers, scales (`m`, `bn`) and add-on
words from `fee_words.csv`. The regular expressions of `ledger.money.fee_parser` are built from
these tables once, on first use.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import NamedTuple

# Typographic variants are mapped one character to one character so match offsets stay valid.
UNIFY = str.maketrans(
    dict.fromkeys("\u00a0\u2007\u2009\u202f", " ") | dict.fromkeys("\u2212\u2010\u2011\u2013", "-")
)
WAGE = re.compile(
    r"[\s-]*(?:(?:a|per|each|every)[\s-]+(?:week|month|year|season|annum|day)"
    r"|p/?w|p\.a\.|/\s*(?:week|wk|year|yr))(?!\w)",
    re.I,
)


class Currency(NamedTuple):
    symbol: str
    ceiling: Decimal


def _rows(name: str) -> list[dict[str, str]]:
    text = files("ledger").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def currencies() -> dict[str, Currency]:
    return {
        r["code"]: Currency(r["symbol"], Decimal(r["ceiling"])) for r in _rows("currencies.csv")
    }


@cache
def aliases() -> dict[str, tuple[str, str]]:
    """Folded spelling → (ISO code, position); ISO codes themselves are added as `both`."""
    table = {
        fold_phrase(r["alias"]): (r["code"], r["position"]) for r in _rows("currency_aliases.csv")
    }
    return table | {code.casefold(): (code, "both") for code in currencies()}


@cache
def words() -> dict[str, dict[str, str]]:
    """Role (`before`, `after`, `scale`, `addon`, …) → folded phrase → meaning."""
    table: dict[str, dict[str, str]] = {}
    for row in _rows("fee_words.csv"):
        table.setdefault(row["role"], {})[fold_phrase(row["phrase"])] = row["meaning"]
    return table


def fold_phrase(phrase: str) -> str:
    return " ".join(phrase.casefold().split())


def alternation(phrases: Iterable[str]) -> str:
    """Longest first, so `US$` wins over `$`; ISO codes only in capitals (`TRY`, not `try`)."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        if re.fullmatch(r"[a-z]{3}", phrase) and phrase.upper() in currencies():
            parts.append(f"(?-i:{phrase.upper()})")
        else:
            word_end = r"(?!\w)" if phrase[-1].isalnum() else ""
            parts.append(r"\s+".join(re.escape(word) for word in phrase.split()) + word_end)
    return "|".join(parts)


def _vocabulary(role: str) -> str:
    return alternation(words()[role])


def _currency_pattern(position: str) -> str:
    return alternation(a for a, (_, pos) in aliases().items() if pos in (position, "both"))


def _money(group: str) -> str:
    """One amount: optional prefix currency, number, optional scale, optional suffix currency."""
    num = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![,.]?[0-9])|[0-9]+(?:\.[0-9]+)?(?![,.]?[0-9])"
    return (
        f"(?:(?P<{group}p>{_currency_pattern('prefix')})\\s*)?(?P<{group}n>{num})"
        f"(?:\\s*(?P<{group}m>{_vocabulary('scale')}))?"
        f"(?:\\s*(?P<{group}s>{_currency_pattern('suffix')}))?"
    )


def _unit_ahead() -> str:
    """Lookahead: the next amount carries a currency or a scale, so `plus 5 games` is no add-on."""
    units = f"{_vocabulary('scale')}|{_currency_pattern('suffix')}"
    return f"(?=(?:{_currency_pattern('prefix')})|[0-9][0-9,.]*\\s*(?:{units}))"


def _addons() -> str:
    """`plus £5m add-ons`, `and €10m in bonuses`, `rising to £50m`, `plus add-ons`."""
    lead = f"(?:(?:{_vocabulary('addon_lead')})\\s+)?"
    noun = f"(?:(?:{_vocabulary('addon_adjective')})\\s+)?(?:{_vocabulary('addon')})"
    unit = _unit_ahead()
    return (
        f",?\\s*(?:\\+\\s*|plus\\s+){lead}{unit}{_money('a')}(?:\\s+(?:in\\s+)?{noun})?"
        f"|,?\\s+(?:with|and)\\s+{lead}{_money('b')}\\s+(?:in\\s+)?{noun}"
        f"|,?\\s+(?:potentially\\s+)?rising\\s+to\\s+{unit}{_money('r')}"
        f"(?:\\s+(?:with|in|including)\\s+{noun})?"
        f"|(?:\\s*,)?\\s*(?:\\+\\s*|(?:plus|with|and|including|incl?\\.)\\s+){noun}"
    )


@cache
def _core() -> str:
    after = "|".join(
        ("(?<=\\s)" if q[0].isalnum() else "") + alternation([q]) for q in words()["after"]
    )
    amount = (
        f"(?:(?P<q>{_vocabulary('before')})\\s*|(?P<btw>between)\\s+)?{_money('l')}"
        f"(?:(?:\\s*-\\s*|\\s+to\\s+|(?(btw)\\s+and\\s+|(?!))){_unit_ahead()}{_money('h')})?"
        f"(?:-(?:worth|rated|valued)(?!\\w))?(?:{_addons()})?(?:\\s*(?P<sq>{after})(?!\\w))?"
    )
    free = r"(?P<free>(?:on\s+a\s+)?free\s+transfer|on\s+a\s+free(?![\s-]*kick)(?!\w))"
    undisclosed = r"(?P<und>(?:an\s+)?undisclosed\s+(?:fee|sum|amount))"
    return f"(?<![\\w.,-])(?:{free}|{undisclosed}|{amount})"


@cache
def fee_finder() -> re.Pattern[str]:
    return re.compile(_core(), re.I)


@cache
def fee_phrase() -> re.Pattern[str]:
    lead = r"(?:for\s+)?(?:an?\s+)?"
    bare = r"(?P<free0>free)|(?P<und0>undisclosed)"
    return re.compile(f"{lead}(?:{bare}|{_core()})(?:\\s+(?:transfer\\s+)?fee)?\\.?", re.I)
