"""Money in transfer news: the `Fee` value and the parser that reads fees from text.

`amounts` holds the value type (events carry fees without importing the parser); `fee_words` the
vocabulary and patterns; `fee_parser` text to `Fee`; `fee_values` a claim's `fee` field, text or
object. The value type is re-exported here, so `from ledger.money import Fee` keeps working.
"""

from ledger.money.amounts import CURRENCIES, Fee, Qualifier

__all__ = ["CURRENCIES", "Fee", "Qualifier"]
