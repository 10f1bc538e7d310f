"""The review queue: extracted claims too unsure for the ledger wait here for a person.

`rumours ingest-articles` queues claims whose confidence is below its review threshold (SPEC
§4.2; docs/review.md). `ReviewQueue(engine)` lists them and accepts (appends the claim as an
ordinary event, the reviewer recorded) or rejects them; `rumours review` is the same from a shell.
"""

from ledger.review.items import Decision, ReviewItem, Verdict
from ledger.review.queue import ReviewQueue
from ledger.settings import DEFAULT_REVIEW_BELOW

__all__ = ["DEFAULT_REVIEW_BELOW", "Decision", "ReviewItem", "ReviewQueue", "Verdict"]
