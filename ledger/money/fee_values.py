"""A claim's `fee` field as a `Fee`: text as written, or the structured object of SPEC §4.1.

`fee_from_value` accepts `"around £70m"` (read by `parse_fee`) or
`{"amount": "70000000", "currency": "GBP"}`, and `format_fee` writes the newsroom text that
`parse_fee` reads back, for an object that states no text of its own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import cast

from ledger.errors import FeeError
from ledger.money.amounts import Fee, Qualifier
from ledger.money.fee_parser import CENT, build_fee, json_kind, parse_fee, quote
from ledger.money.fee_words import UNIFY, aliases, currencies, fold_phrase, words

__all__ = ["fee_from_value", "format_fee"]

_PLAIN = re.compile(r"-?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_FIELDS = frozenset({"amount", "currency", "add_ons", "qualifier", "text", "nature"})


def format_fee(
    amount: Decimal,
    currency: str,
    add_ons: Decimal | None = None,
    qualifier: Qualifier | None = None,
) -> str:
    """Newsroom text that `parse_fee` reads back: `around £70,000,000 plus £5,000,000 add-ons`."""
    symbol = currencies()[currency].symbol

    def money(value: Decimal) -> str:
        whole = value == value.to_integral_value()
        digits = format(value.quantize(Decimal(1) if whole else CENT), ",f")
        return f"{symbol}{digits}" if symbol else f"{currency} {digits}"

    text = money(amount) if qualifier is None else f"{qualifier} {money(amount)}"
    return text if add_ons is None else f"{text} plus {money(add_ons)} add-ons"


def fee_from_value(value: str | dict[str, object]) -> Fee:
    """A claim's `fee` field: text as written, or `{"amount": "70000000", "currency": "GBP"}`."""
    if isinstance(value, str):
        return parse_fee(value)
    if not isinstance(value, dict):
        kind = json_kind(value)
        raise FeeError(f"A fee must be text or an object with amount and currency, not {kind}.")
    unknown = sorted(str(key) for key in value if key not in _FIELDS)
    if unknown:
        raise FeeError(f"A fee object has unexpected field(s): {', '.join(unknown)[:80]}.")
    nature = value.get("nature", "amount")
    if nature in ("free", "undisclosed"):
        return _fee_without_amount(str(nature), value)
    if nature != "amount":
        raise FeeError(f"A fee's nature must be amount, free or undisclosed, not {_shown(nature)}.")
    code = _dict_currency(value.get("currency"))
    amount = _dict_amount(value.get("amount"), code, "amount")
    raw_add_ons = value.get("add_ons")
    add_ons = None if raw_add_ons is None else _dict_amount(raw_add_ons, code, "add_ons")
    qualifier = _dict_qualifier(value.get("qualifier"))
    text = value.get("text")
    if text is None:
        text = format_fee(amount, code, add_ons, qualifier)
    return build_fee(amount, code, add_ons, qualifier, _dict_text(text))


def _fee_without_amount(nature: str, value: dict[str, object]) -> Fee:
    stated = [k for k in ("amount", "currency", "add_ons", "qualifier") if value.get(k) is not None]
    if stated:
        raise FeeError(f"A fee object with nature {nature!r} cannot also state {stated[0]}.")
    text = value.get("text")
    amount = Decimal(0) if nature == "free" else None
    return build_fee(amount, None, None, None, _dict_text(nature if text is None else text), nature)


def _dict_amount(raw: object, code: str, field: str) -> Decimal:
    """Exact numbers only: a JSON float has already lost the exact amount, so it is refused."""
    if isinstance(raw, Decimal) and raw.is_finite() and raw.adjusted() < 30:
        raw = format(raw, "f")
    elif isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) < 10**30:
        raw = str(raw)
    if not isinstance(raw, str) or not _PLAIN.fullmatch(raw.translate(UNIFY).strip()):
        raise FeeError(
            f"A fee object's {field} must be a decimal string such as '70000000', "
            f"not {_shown(raw)}."
        )
    if not Decimal(raw.translate(UNIFY).strip().replace(",", "").replace(" ", "")):
        raise FeeError(f"A fee object's {field} is zero; leave it out, or use nature 'free'.")
    amount = parse_fee(f"{code} {raw.strip()}").amount
    return cast(Decimal, amount)


def _dict_currency(raw: object) -> str:
    entry = aliases().get(fold_phrase(raw)) if isinstance(raw, str) else None
    if entry is None:
        raise FeeError(f"A fee object needs a currency we know, e.g. 'GBP', not {_shown(raw)}.")
    return entry[0]


def _dict_qualifier(raw: object) -> Qualifier | None:
    if raw is None:
        return None
    meaning = words()["before"].get(fold_phrase(raw)) if isinstance(raw, str) else None
    if meaning is None:
        raise FeeError(f"A fee qualifier must be e.g. 'around' or 'up to', not {_shown(raw)}.")
    return cast(Qualifier, meaning)


def _dict_text(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise FeeError(f"A fee object's text must be non-empty text, not {_shown(raw)}.")
    return raw.strip()


def _shown(raw: object) -> str:
    return quote(raw) if isinstance(raw, str) else json_kind(raw)
