"""Writers in threads while a reader tails the ledger from its checkpoint, as a projector does."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import sqlalchemy as sa

from ledger.reading import read_all


def positions_seen_while_writing(
    engine: sa.Engine, write: Callable[[int], None], writers: int
) -> list[int]:
    """Run `write(n)` for n in range(writers) in threads; every position the reader saw, in order.

    The reader reads everything after its checkpoint again and again, and once more after the
    writers are done, so an event committed late at a low position would show up out of order.
    """
    seen: list[int] = []
    done = threading.Event()

    def tail() -> None:
        checkpoint = 0
        while True:
            finished = done.is_set()
            with engine.connect() as conn:
                for event in read_all(conn, after=checkpoint):
                    seen.append(event.position)
                    checkpoint = event.position
            if finished:
                return
            time.sleep(0.005)

    reader = threading.Thread(target=tail)
    reader.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join()
    return seen
