"""Fees as English transfer news writes them, turned into `Fee` values.

`parse_fee` reads one fee (`€25m`, `around £8m`, `£100m plus £5m add-ons`, `undisclosed`),
`find_fees` locates every fee inside a sentence, and `fee_from_value` also accepts the structured
`{"amount": "70000000", "currency": "GBP"}` form of SPEC §4.1. Currencies, their spellings and the
per-currency ceiling above which a fee is absurd live in `ledger/data/currencies.csv` and
`currency_aliases.csv`; qualifiers, scales (`m`, `bn`) and add-on words in `fee_words.csv`. Amounts
are `Decimal` throughout, computed in a context that traps inexact results: nothing is rounded.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal, DecimalException, Inexact, InvalidOperation, localcontext
from functools import cache, lru_cache
from importlib.resources import files
from typing import NamedTuple, cast

from pydantic import ValidationError

from ledger.errors import FeeError
from ledger.money import Fee, Qualifier

__all__ = ["FeeMention", "fee_from_value", "find_fees", "format_fee", "parse_fee"]

MAX_TEXT = 200
# Typographic variants are mapped one character to one character so match offsets stay valid.
_UNIFY = str.maketrans(
    dict.fromkeys("\u00a0\u2007\u2009\u202f", " ") | dict.fromkeys("\u2212\u2010\u2011\u2013", "-")
)
_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])
_CENT = Decimal("0.01")
_WAGE = re.compile(
    r"[\s-]*(?:(?:a|per|each|every)[\s-]+(?:week|month|year|season|annum|day)"
    r"|p/?w|p\.a\.|/\s*(?:week|wk|year|yr))(?!\w)",
    re.I,
)
_NEGATIVE = re.compile(r"(?<![\w.])(?:-|minus\s+)\s*\S{0,4}?[0-9]", re.I)
_PLAIN = re.compile(r"-?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_CONVERSION = re.compile(r"(?P<main>[^()]+?)\s*\((?P<other>[^()]+)\)")
_FIELDS = frozenset({"amount", "currency", "add_ons", "qualifier", "text", "nature"})


@dataclass(frozen=True, slots=True)
class FeeMention:
    """One fee found in a longer text: `text[start:end]` is the fee as written."""

    start: int
    end: int
    fee: Fee


class _Currency(NamedTuple):
    symbol: str
    ceiling: Decimal


class _Side(NamedTuple):
    number: Decimal
    scale: int | None
    currency: str | None


def _rows(name: str) -> list[dict[str, str]]:
    text = files("ledger").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _currencies() -> dict[str, _Currency]:
    return {
        r["code"]: _Currency(r["symbol"], Decimal(r["ceiling"])) for r in _rows("currencies.csv")
    }


@cache
def _aliases() -> dict[str, tuple[str, str]]:
    """Folded spelling → (ISO code, position); ISO codes themselves are added as `both`."""
    table = {_fold(r["alias"]): (r["code"], r["position"]) for r in _rows("currency_aliases.csv")}
    return table | {code.casefold(): (code, "both") for code in _currencies()}


@cache
def _words() -> dict[str, dict[str, str]]:
    """Role (`before`, `after`, `scale`, `addon`, …) → folded phrase → meaning."""
    table: dict[str, dict[str, str]] = {}
    for row in _rows("fee_words.csv"):
        table.setdefault(row["role"], {})[_fold(row["phrase"])] = row["meaning"]
    return table


def _fold(phrase: str) -> str:
    return " ".join(phrase.casefold().split())


def _alternation(phrases: Iterable[str]) -> str:
    """Longest first, so `US$` wins over `$`; ISO codes only in capitals (`TRY`, not `try`)."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        if re.fullmatch(r"[a-z]{3}", phrase) and phrase.upper() in _currencies():
            parts.append(f"(?-i:{phrase.upper()})")
        else:
            word_end = r"(?!\w)" if phrase[-1].isalnum() else ""
            parts.append(r"\s+".join(re.escape(word) for word in phrase.split()) + word_end)
    return "|".join(parts)


def _vocabulary(role: str) -> str:
    return _alternation(_words()[role])


def _currency_pattern(position: str) -> str:
    return _alternation(a for a, (_, pos) in _aliases().items() if pos in (position, "both"))


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
        ("(?<=\\s)" if q[0].isalnum() else "") + _alternation([q]) for q in _words()["after"]
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
def _finder() -> re.Pattern[str]:
    return re.compile(_core(), re.I)


@cache
def _phrase() -> re.Pattern[str]:
    lead = r"(?:for\s+)?(?:an?\s+)?"
    bare = r"(?P<free0>free)|(?P<und0>undisclosed)"
    return re.compile(f"{lead}(?:{bare}|{_core()})(?:\\s+(?:transfer\\s+)?fee)?\\.?", re.I)


def parse_fee(text: str) -> Fee:
    """One fee as written (`€25m`, `around £8m`, `free`); FeeError if it is not acceptable money."""
    if not isinstance(text, str):
        raise FeeError(f"A fee must be text, not {_json_kind(text)}.")
    # Fees are immutable and bulk files repeat the same few hundred fee texts.
    return _parse_fee_cached(text)


@lru_cache(maxsize=16_384)
def _parse_fee_cached(text: str) -> Fee:
    # Only successful parses are cached (an exception is not), and those are short.
    clean = text.translate(_UNIFY).strip()
    if not clean:
        raise FeeError("A fee cannot be empty.")
    if len(clean) > MAX_TEXT:
        raise FeeError(f"A fee of {len(clean)} characters is too long; write it as e.g. '£70m'.")
    match = _phrase().fullmatch(clean)
    if match is not None:
        return _fee_from_match(match, text.strip())
    converted = _CONVERSION.fullmatch(clean)
    if converted is None:
        raise _diagnose(clean)
    parse_fee(converted["other"])  # `€25m (£20.9m)`: the conversion must be money too
    return parse_fee(converted["main"]).model_copy(update={"text": text.strip()})


def find_fees(text: str) -> list[FeeMention]:
    """Every acceptable fee inside `text`, in order; spans include qualifiers and add-ons."""
    clean = text.translate(_UNIFY)
    found = []
    for match in _finder().finditer(clean):
        if _WAGE.match(clean, match.end()) or _looks_like_count(match):
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
        return _build(Decimal(0), None, None, None, text, nature="free")
    if groups["und"] or groups.get("und0"):
        return _build(None, None, None, None, text, nature="undisclosed")
    try:
        with localcontext(_EXACT):
            return _amount_fee(match, text)
    except DecimalException as exc:
        raise FeeError(f"Fee {_quote(text)} cannot be represented exactly.") from exc


def _amount_fee(match: re.Match[str], text: str) -> Fee:
    low, high = _side(match, "l", text), _side(match, "h", text)
    extra = _side(match, "a", text) or _side(match, "b", text)
    rise = _side(match, "r", text)
    codes = {s.currency for s in (low, high, extra, rise) if s and s.currency}
    if len(codes) > 1:
        raise FeeError(f"Fee {_quote(text)} mixes currencies ({', '.join(sorted(codes))}).")
    if not codes or low is None:
        raise FeeError(f"Fee {_quote(text)} has no currency; write it as e.g. '£70m' or 'EUR 70m'.")
    # `£25-30m`: the low end borrows the scale of the high end
    scale = low.scale if low.scale is not None or high is None else high.scale
    amount, qualifier = low.number.scaleb(scale or 0), _qualifier_of(match)
    if high is not None:
        amount, qualifier = _range(amount, high.number.scaleb(high.scale or 0), qualifier, text)
    elif match["btw"]:
        raise FeeError(f"Fee {_quote(text)} says 'between' but gives only one amount.")
    add_ons = None if extra is None else extra.number.scaleb(extra.scale or 0)
    if rise is not None:
        add_ons = rise.number.scaleb(rise.scale or 0) - amount
        if add_ons <= 0:
            raise FeeError(f"Fee {_quote(text)} does not rise above where it starts.")
    return _build(amount, codes.pop(), add_ons, qualifier, text)


def _range(
    low: Decimal, high: Decimal, qualifier: Qualifier | None, text: str
) -> tuple[Decimal, Qualifier]:
    """A range is kept as the bound that stays true: `£25-30m` is at least £25m."""
    if low > high:
        raise FeeError(f"Fee {_quote(text)} is a range whose low end is above its high end.")
    if qualifier in ("up to", "less than"):
        return high, qualifier
    return low, qualifier or "at least"


def _side(match: re.Match[str], group: str, text: str) -> _Side | None:
    number = match.groupdict().get(group + "n")
    if number is None:
        return None
    digits = number.replace(",", "")
    if len(digits.split(".")[0]) > 18:
        raise FeeError(f"Fee {_quote(text)} is absurdly large for a transfer.")
    codes = {_aliases()[_fold(c)][0] for c in (match[group + "p"], match[group + "s"]) if c}
    if len(codes) > 1:
        raise FeeError(f"Fee {_quote(text)} names two currencies ({', '.join(sorted(codes))}).")
    scale = match[group + "m"]
    power = int(_words()["scale"][_fold(scale)]) if scale else None
    return _Side(Decimal(digits), power, next(iter(codes), None))


def _qualifier_of(match: re.Match[str]) -> Qualifier | None:
    if match["q"]:
        return cast(Qualifier, _words()["before"][_fold(match["q"])])
    return None if match["sq"] is None else cast(Qualifier, _words()["after"][_fold(match["sq"])])


def _build(
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
            f"Fee {_quote(text)} is not acceptable: its text is longer than 200 characters."
        ) from exc


def _check_amount(amount: Decimal, currency: str, add_ons: Decimal | None, text: str) -> None:
    ceiling = _currencies()[currency].ceiling
    if amount <= 0:
        raise FeeError(f"Fee {_quote(text)} is zero; write 'free' for a free transfer.")
    extra = add_ons if add_ons is not None else Decimal(0)
    if amount + extra > ceiling:
        raise FeeError(
            f"Fee {_quote(text)} is absurd: {_tidy(amount + extra):,f} {currency} is "
            f"more than the {ceiling:,f} {currency} ceiling for any transfer."
        )
    if amount % _CENT or extra % _CENT:
        raise FeeError(f"Fee {_quote(text)} has fractions of a cent.")


def _tidy(value: Decimal | None) -> Decimal | None:
    """`20.9` × 10⁶ is stored as `20900000`, not `20900000.0` or `2.09E+7`."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _quote(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _diagnose(clean: str) -> FeeError:
    """The one sentence that says why `clean` is not a fee."""
    shown = _quote(clean)
    if _NEGATIVE.search(clean):
        return FeeError(f"Fee {shown} is negative; a transfer fee cannot be below zero.")
    wage = re.search(r"[0-9]", clean) and _WAGE.search(clean)
    if wage:
        return FeeError(f"Fee {shown} is a wage, not a transfer fee.")
    known = {ch for alias in _aliases() for ch in alias if not ch.isalnum()}
    symbols = [ch for ch in clean if unicodedata.category(ch) == "Sc" and ch not in known]
    codes = [
        c for c in re.findall(r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])", clean) if c not in _currencies()
    ]
    if symbols or codes:
        unknown = (symbols or codes)[0]
        return FeeError(
            f"Fee {shown} uses an unknown currency {unknown!r}; "
            "use e.g. £, €, $ or an ISO code such as GBP."
        )
    if re.search(r"[0-9]", clean) and not re.search(_alternation(list(_aliases())), clean, re.I):
        return FeeError(f"Fee {shown} has no currency; write it as e.g. '£70m' or 'EUR 70m'.")
    return FeeError(
        f"Fee {shown} is not an amount of money such as '£70m', 'around €8m', "
        "'€25m plus €5m add-ons', 'free' or 'undisclosed'."
    )


def format_fee(
    amount: Decimal,
    currency: str,
    add_ons: Decimal | None = None,
    qualifier: Qualifier | None = None,
) -> str:
    """Newsroom text that `parse_fee` reads back: `around £70,000,000 plus £5,000,000 add-ons`."""
    symbol = _currencies()[currency].symbol

    def money(value: Decimal) -> str:
        whole = value == value.to_integral_value()
        digits = format(value.quantize(Decimal(1) if whole else _CENT), ",f")
        return f"{symbol}{digits}" if symbol else f"{currency} {digits}"

    text = money(amount) if qualifier is None else f"{qualifier} {money(amount)}"
    return text if add_ons is None else f"{text} plus {money(add_ons)} add-ons"


def fee_from_value(value: str | dict[str, object]) -> Fee:
    """A claim's `fee` field: text as written, or `{"amount": "70000000", "currency": "GBP"}`."""
    if isinstance(value, str):
        return parse_fee(value)
    if not isinstance(value, dict):
        kind = _json_kind(value)
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
    return _build(amount, code, add_ons, qualifier, _dict_text(text))


def _fee_without_amount(nature: str, value: dict[str, object]) -> Fee:
    stated = [k for k in ("amount", "currency", "add_ons", "qualifier") if value.get(k) is not None]
    if stated:
        raise FeeError(f"A fee object with nature {nature!r} cannot also state {stated[0]}.")
    text = value.get("text")
    amount = Decimal(0) if nature == "free" else None
    return _build(amount, None, None, None, _dict_text(nature if text is None else text), nature)


def _dict_amount(raw: object, code: str, field: str) -> Decimal:
    """Exact numbers only: a JSON float has already lost the exact amount, so it is refused."""
    if isinstance(raw, Decimal) and raw.is_finite() and raw.adjusted() < 30:
        raw = format(raw, "f")
    elif isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) < 10**30:
        raw = str(raw)
    if not isinstance(raw, str) or not _PLAIN.fullmatch(raw.translate(_UNIFY).strip()):
        raise FeeError(
            f"A fee object's {field} must be a decimal string such as '70000000', "
            f"not {_shown(raw)}."
        )
    if not Decimal(raw.translate(_UNIFY).strip().replace(",", "").replace(" ", "")):
        raise FeeError(f"A fee object's {field} is zero; leave it out, or use nature 'free'.")
    amount = parse_fee(f"{code} {raw.strip()}").amount
    return cast(Decimal, amount)


def _dict_currency(raw: object) -> str:
    entry = _aliases().get(_fold(raw)) if isinstance(raw, str) else None
    if entry is None:
        raise FeeError(f"A fee object needs a currency we know, e.g. 'GBP', not {_shown(raw)}.")
    return entry[0]


def _dict_qualifier(raw: object) -> Qualifier | None:
    if raw is None:
        return None
    meaning = _words()["before"].get(_fold(raw)) if isinstance(raw, str) else None
    if meaning is None:
        raise FeeError(f"A fee qualifier must be e.g. 'around' or 'up to', not {_shown(raw)}.")
    return cast(Qualifier, meaning)


def _dict_text(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise FeeError(f"A fee object's text must be non-empty text, not {_shown(raw)}.")
    return raw.strip()


def _shown(raw: object) -> str:
    return _quote(raw) if isinstance(raw, str) else _json_kind(raw)


def _json_kind(raw: object) -> str:
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
