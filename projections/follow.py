"""`rumours project --follow`: keep the projection current as events are committed.

Appends send `NOTIFY rumours_events` in their transaction, so the follower wakes as soon as a
commit lands; a poll every few seconds covers notifications lost while reconnecting.
"""

from __future__ import annotations

import time

import psycopg
import sqlalchemy as sa
import structlog

from projections.runner import catch_up

log = structlog.get_logger(__name__)
POLL_SECONDS = 2.0


def follow_forever(engine: sa.Engine, *, quiet_days: int, stop_after: float | None = None) -> int:
    """Project until interrupted (or `stop_after` seconds); returns the last position."""
    deadline = None if stop_after is None else time.monotonic() + stop_after
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    position = catch_up(engine, quiet_days=quiet_days)
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute("LISTEN rumours_events")
        log.info("projection_following", position=position)
        while deadline is None or time.monotonic() < deadline:
            timeout = (
                POLL_SECONDS
                if deadline is None
                else max(0.0, min(POLL_SECONDS, deadline - time.monotonic()))
            )
            for _ in listener.notifies(timeout=timeout, stop_after=1):
                pass
            position = catch_up(engine, quiet_days=quiet_days)
    return position
