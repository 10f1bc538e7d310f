"""Fees as English transfer news writes them, turned into `Fee` values.

`parse_fee` reads one fee (`€25m`, `around £8m`, `£100m plus £5m add-ons`, `undisclosed`) and
`find_fees` locates every fee inside a sentence; `build_fee` is the one gate every `Fee` passes.
The words and patterns they match with are in `ledger.money.fee_words`; the structured
`{"amount": "70000000", "currency": "GBP"}` form of SPEC §4.1 is read by `ledger.money.fee_values`.
Amounts are `Decimal` throughout, computed in a context that traps inexact results: nothing is
rounded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Context, Decimal, DecimalException, Inexact, InvalidOperation, localcontext
from functools import lru_cache
from typing import NamedTuple, cast

from pydantic import ValidationError

from ledger.errors import FeeError
from ledger.money.amounts import Fee, Qualifier
from ledger.money.fee_words import (
    UNIFY,
    WAGE,
    aliases,
    alternation,
    currencies,
    fee_finder,
    fee_phrase,
    fold_phrase,
    words,
)

__all__ = ["CENT", "FeeMention", "build_fee", "find_fees", "json_kind", "parse_fee", "quote"]

MAX_TEXT = 200
_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])
CENT = Decimal("0.01")
_NEGATIVE = re.compile(r"(?<![\w.])(?:-|minus\s+)\s*\S{0,4}?[0-9]", re.I)
_CONVERSION = re.compile(r"(?P<main>[^()]+?)\s*\((?P<other>[^()]+)\)")


@dataclass(frozen=True, slots=True)
class FeeMention:
    """One fee found in a longer text: `text[start:end]` is the fee as written."""

    start: int
    end: int
    fee: Fee


class _Side(NamedTuple):
    number: Decimal
    scale: int | None
    currency: str | None


def parse_fee(text: str) -> Fee:
    """One fee as written (`€25m`, `around £8m`, `free`); FeeError if it is not acceptable money."""
    if not isinstance(text, str):
        raise FeeError(f"A fee must be text, not {json_kind(text)}.")
    # Fees are immutable and bulk files repeat the same few hundred fee texts.
    return _parse_fee_cached(text)


@lru_cache(maxsize=16_384)
def _parse_fee_cached(text: str) -> Fee:
    # Only successful parses are cached (an exception is not), and those are short.
    clean = text.translate(UNIFY).strip()
    if not clean:
        raise FeeError("A fee cannot be empty.")
    if len(clean) > MAX_TEXT:
        raise FeeError(f"A fee of {len(clean)} characters is too long; write it as e.g. '£70m'.")
    match = fee_phrase().fullmatch(clean)
    if match is not None:
        return _fee_from_match(match, text.strip())
    converted = _CONVERSION.fullmatch(clean)
    if converted is None:
        raise _diagnose(clean)
    parse_fee(converted["other"])  # `€25m (£20.9m)`: the conversion must be money too
    return parse_fee(converted["main"]).model_copy(update={"text": text.strip()})


def find_fees(text: str) -> list[FeeMention]:
    """Every acceptable fee inside `text`, in order; spans include qualifiers and add-ons."""
    clean = text.translate(UNIFY)
    found = []
    for match in fee_finder().finditer(clean):
        if WAGE.match(clean, match.end()) or _looks_like_count(match):
            continue
        try:
            fee = _fee_from_match(match, text[match.start() : match.end()])
        except FeeError:
            continue
        found.append(FeeMention(match.start(), match.end(), fee))
    return found


def _looks_like_count(match: re.Match[str]) -> bool:
    """`180 pounds` (a weight) or `the 2024 Euros` (a tournament) are not fees."""
    return bool(match["ls"] and not match["lp"] and not match["lm"] and "," not in match["ln"])


def _fee_from_match(match: re.Match[str], text: str) -> Fee:
    groups = match.groupdict()
    if groups["free"] or groups.get("free0"):
        return build_fee(Decimal(0), None, None, None, text, nature="free")
    if groups["und"] or groups.get("und0"):
        return build_fee(None, None, None, None, text, nature="undisclosed")
    try:
        with localcontext(_EXACT):
            return _amount_fee(match, text)
    except DecimalException as exc:
        raise FeeError(f"Fee {quote(text)} cannot be represented exactly.") from exc


def _amount_fee(match: re.Match[str], text: str) -> Fee:
    low, high = _side(match, "l", text), _side(match, "h", text)
    extra = _side(match, "a", text) or _side(match, "b", text)
    rise = _side(match, "r", text)
    codes = {s.currency for s in (low, high, extra, rise) if s and s.currency}
    if len(codes) > 1:
        raise FeeError(f"Fee {quote(text)} mixes currencies ({', '.join(sorted(codes))}).")
    if not codes or low is None:
        raise FeeError(f"Fee {quote(text)} has no currency; write it as e.g. '£70m' or 'EUR 70m'.")
    # `£25-30m`: the low end borrows the scale of the high end
    scale = low.scale if low.scale is not None or high is None else high.scale
    amount, qualifier = low.number.scaleb(scale or 0), _qualifier_of(match)
    if high is not None:
        amount, qualifier = _range(amount, high.number.scaleb(high.scale or 0), qualifier, text)
    elif match["btw"]:
        raise FeeError(f"Fee {quote(text)} says 'between' but gives only one amount.")
    add_ons = None if extra is None else extra.number.scaleb(extra.scale or 0)
    if rise is not None:
        add_ons = rise.number.scaleb(rise.scale or 0) - amount
        if add_ons <= 0:
            raise FeeError(f"Fee {quote(text)} does not rise above where it starts.")
    return build_fee(amount, codes.pop(), add_ons, qualifier, text)


def _range(
    low: Decimal, high: Decimal, qualifier: Qualifier | None, text: str
) -> tuple[Decimal, Qualifier]:
    """A range is kept as the bound that stays true: `£25-30m` is at least £25m."""
    if low > high:
        raise FeeError(f"Fee {quote(text)} is a range whose low end is above its high end.")
    if qualifier in ("up to", "less than"):
        return high, qualifier
    return low, qualifier or "at least"


def _side(match: re.Match[str], group: str, text: str) -> _Side | None:
    number = match.groupdict().get(group + "n")
    if number is None:
        return None
    digits = number.replace(",", "")
    if len(digits.split(".")[0]) > 18:
        raise FeeError(f"Fee {quote(text)} is absurdly large for a transfer.")
    codes = {aliases()[fold_phrase(c)][0] for c in (match[group + "p"], match[group + "s"]) if c}
    if len(codes) > 1:
        raise FeeError(f"Fee {quote(text)} names two currencies ({', '.join(sorted(codes))}).")
    scale = match[group + "m"]
    power = int(words()["scale"][fold_phrase(scale)]) if scale else None
    return _Side(Decimal(digits), power, next(iter(codes), None))


def _qualifier_of(match: re.Match[str]) -> Qualifier | None:
    if match["q"]:
        return cast(Qualifier, words()["before"][fold_phrase(match["q"])])
    return (
        None if match["sq"] is None else cast(Qualifier, words()["after"][fold_phrase(match["sq"])])
    )


def build_fee(
    amount: Decimal | None,
    currency: str | None,
    add_ons: Decimal | None,
    qualifier: Qualifier | None,
    text: str,
    nature: str = "amount",
) -> Fee:
    """The single gate every Fee passes: zero, fractions of a cent and absurd sums stop here."""
    if currency is not None and amount is not None:
        _check_amount(amount, currency, add_ons, text)
    try:
        return Fee.model_validate(
            {
                "amount": _tidy(amount),
                "currency": currency,
                "text": text,
                "add_ons": _tidy(add_ons),
                "qualifier": qualifier,
                "nature": nature,
            }
        )
    except ValidationError as exc:
        # Only the text length can fail here (everything else was checked above); say it plainly.
        raise FeeError(
            f"Fee {quote(text)} is not acceptable: its text is longer than 200 characters."
        ) from exc


def _check_amount(amount: Decimal, currency: str, add_ons: Decimal | None, text: str) -> None:
    ceiling = currencies()[currency].ceiling
    if amount <= 0:
        raise FeeError(f"Fee {quote(text)} is zero; write 'free' for a free transfer.")
    extra = add_ons if add_ons is not None else Decimal(0)
    if amount + extra > ceiling:
        raise FeeError(
            f"Fee {quote(text)} is absurd: {_tidy(amount + extra):,f} {currency} is "
            f"more than the {ceiling:,f} {currency} ceiling for any transfer."
        )
    if amount % CENT or extra % CENT:
        raise FeeError(f"Fee {quote(text)} has fractions of a cent.")


def _tidy(value: Decimal | None) -> Decimal | None:
    """`20.9` × 10⁶ is stored as `20900000`, not `20900000.0` or `2.09E+7`."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def quote(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _diagnose(clean: str) -> FeeError:
    """The one sentence that says why `clean` is not a fee."""
    shown = quote(clean)
    if _NEGATIVE.search(clean):
        return FeeError(f"Fee {shown} is negative; a transfer fee cannot be below zero.")
    wage = re.search(r"[0-9]", clean) and WAGE.search(clean)
    if wage:
        return FeeError(f"Fee {shown} is a wage, not a transfer fee.")
    known = {ch for alias in aliases() for ch in alias if not ch.isalnum()}
    symbols = [ch for ch in clean if unicodedata.category(ch) == "Sc" and ch not in known]
    codes = [
        c for c in re.findall(r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])", clean) if c not in currencies()
    ]
    if symbols or codes:
        unknown = (symbols or codes)[0]
        return FeeError(
            f"Fee {shown} uses an unknown currency {unknown!r}; "
            "use e.g. £, €, $ or an ISO code such as GBP."
        )
    if re.search(r"[0-9]", clean) and not re.search(alternation(list(aliases())), clean, re.I):
        return FeeError(f"Fee {shown} has no currency; write it as e.g. '£70m' or 'EUR 70m'.")
    return FeeError(
        f"Fee {shown} is not an amount of money such as '£70m', 'around €8m', "
        "'€25m plus €5m add-ons', 'free' or 'undisclosed'."
    )


def json_kind(raw: object) -> str:
    """How a person who wrote JSON or CSV would call the value, never a Python type name."""
    if raw is None:
        return "nothing (null)"
    if isinstance(raw, bool):
        return "true/false"
    if isinstance(raw, int | float | Decimal):
        return "a number"
    if isinstance(raw, list | tuple):
        return "a list"
    if isinstance(raw, dict):
        return "an object"
    return "text" if isinstance(raw, str) else "an unreadable value"
