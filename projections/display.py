"""How values read in a table: normalised money, deal types and dates at their stated precision.

JSON answers keep the raw shapes (a fee's original text, ISO dates); these are only for people.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_SCALES = ((Decimal(1_000_000_000), "bn"), (Decimal(1_000_000), "m"), (Decimal(1_000), "k"))
_DEAL_WORDS = {
    "permanent": "permanent",
    "free": "free transfer",
    "loan": "loan",
    "loan_with_option": "loan with option",
    "loan_with_obligation": "loan with obligation",
}


def amount_text(amount: Decimal, currency: str | None) -> str:
    """`£70m`, `€20.9m`, `$500k`, `CHF 3m`: the amount scaled, with at most two decimals."""
    number, suffix = amount, ""
    for scale, name in _SCALES:
        if abs(amount) >= scale:
            number, suffix = amount / scale, name
            break
    digits = format(round(number, 2).normalize(), "f")
    symbol = _SYMBOLS.get(currency or "")
    if symbol is not None:
        return f"{symbol}{digits}{suffix}"
    return f"{currency} {digits}{suffix}" if currency else f"{digits}{suffix}"


def fee_text(fee: dict[str, Any] | None) -> str:
    """A fee (its JSON shape) as a normalised amount; the original text is kept in JSON only."""
    if not fee:
        return ""
    if fee.get("amount") is None:
        return "undisclosed" if fee.get("nature", "undisclosed") == "undisclosed" else fee["text"]
    text = amount_text(Decimal(fee["amount"]), fee.get("currency"))
    if fee.get("qualifier"):
        text = f"{fee['qualifier']} {text}"
    if fee.get("add_ons") is not None:
        text += f" + {amount_text(Decimal(fee['add_ons']), fee.get('currency'))} add-ons"
    return text


def deal_text(deal: str | None, fee: dict[str, Any] | None) -> str:
    """`loan with obligation €25m`, `£70m`, `loan`: the deal type (if stated) and the fee."""
    words = [_DEAL_WORDS.get(deal, deal)] if deal else []
    money = fee_text(fee)
    return " ".join(words + ([money] if money else []))


def day_text(day: date | None, precision: str = "day") -> str:
    """A date as precisely as it was stated: `2022` for a year, `2022-05` for a month."""
    if day is None:
        return ""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
