"""A projector process for test_projector_kill: catches up in small batches until done.

    python -m tests.integration.projector_child DATABASE_URL [LIMIT]

The test SIGKILLs it at random moments and starts it again; each batch is one transaction, so a
kill loses at most the batch in flight. It prints the position it reached when it finishes.
"""

from __future__ import annotations

import sys

from ledger.database import create_ledger_engine
from ledger.logs import configure_logging
from projections.runner import catch_up

QUIET_DAYS = 90


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: projector_child DATABASE_URL [LIMIT]", file=sys.stderr)
        return 2
    configure_logging("WARNING", json=True)
    limit = int(argv[2]) if len(argv) == 3 else 200
    engine = create_ledger_engine(argv[1], pool_size=1)
    try:
        position = catch_up(engine, quiet_days=QUIET_DAYS, limit=limit)
    finally:
        engine.dispose()
    print(position)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
