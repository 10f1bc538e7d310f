"""Money as transfer news states it: an amount, a currency, add-ons and how sure the writer was.

The parser that turns text such as `around £8m` into a `Fee` lives in `ledger.money.fee_parser`;
this module only holds the value type so that events can carry fees without importing the parser.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

# ISO 4217 codes that transfer news actually quotes fees in.
CURRENCIES: frozenset[str] = frozenset(
    {
        "EUR",
        "GBP",
        "USD",
        "CHF",
        "SEK",
        "NOK",
        "DKK",
        "TRY",
        "BRL",
        "ARS",
        "JPY",
        "SAR",
        "AED",
        "CNY",
        "MXN",
        "AUD",
        "CAD",
        "PLN",
        "CZK",
        "RUB",
        "UAH",
        "QAR",
        "KRW",
    }
)

Qualifier = Literal["around", "at least", "up to", "more than", "less than"]
FeeNature = Literal["amount", "undisclosed", "free"]


class Fee(BaseModel):
    """A fee as reported. `amount` is None when the text says `undisclosed`; 0 for `free`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Decimal | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    add_ons: Decimal | None = None
    qualifier: Qualifier | None = None
    nature: FeeNature = "amount"
    text: str = Field(max_length=200)

    @field_serializer("amount", "add_ons")
    def _decimal_as_string(self, value: Decimal | None) -> str | None:
        # JSON consumers must never see money as a float.
        return None if value is None else format(value.normalize(), "f")

    def as_json(self) -> dict[str, object]:
        """The SPEC §5.5 shape: amount as a decimal string, currency, original text (+ extras)."""
        shape: dict[str, object] = {
            "amount": None if self.amount is None else format(self.amount.normalize(), "f"),
            "currency": self.currency,
            "text": self.text,
        }
        if self.add_ons is not None:
            shape["add_ons"] = format(self.add_ons.normalize(), "f")
        if self.qualifier is not None:
            shape["qualifier"] = self.qualifier
        return shape
