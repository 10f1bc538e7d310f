"""The live "latest changes" feed: each pursuit status change, as it happens, to every listener.

One `ChangeFeed` per server. It LISTENs on the channel every append notifies at commit
(`rumours_events`, migration 0004), so it wakes as soon as a claim lands; a poll every few
seconds covers notifications missed while reconnecting. On waking it catches the projection up
(on the main engine: it is the server's projector) and reads which pursuits' statuses changed
between the position it last published and the new checkpoint (`changes.status_changes`), then
hands that batch to every subscriber. A subscriber gets exactly the batches published after it
subscribed, each once: batches cover disjoint position ranges, and a queue never drops one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import anyio.to_thread
import psycopg

from ledger.database import libpq_url, translated_errors
from ledger.errors import LedgerError
from ledger.logs import get_logger
from projections.runner import catch_up
from rumours_web.changes import StatusChange, status_changes
from rumours_web.ledger_access import WebLedger

log = get_logger(__name__)
CHANNEL = "rumours_events"
POLL_SECONDS = 5.0
RETRY_SECONDS = 2.0


class ChangeFeed:
    def __init__(self, ledger: WebLedger, *, quiet_days: int) -> None:
        self._ledger = ledger
        self._quiet_days = quiet_days
        self._subscribers: set[asyncio.Queue[list[StatusChange]]] = set()
        self._published = 0  # the position up to which changes were handed out
        self.ready = asyncio.Event()  # set once the feed is listening

    @contextlib.asynccontextmanager
    async def subscription(self) -> AsyncIterator[asyncio.Queue[list[StatusChange]]]:
        queue: asyncio.Queue[list[StatusChange]] = asyncio.Queue()
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)

    async def run(self) -> None:
        """Listen and publish until cancelled; a lost connection is retried, never fatal."""
        while True:
            try:
                await self._listen()
            except (psycopg.Error, LedgerError) as exc:
                self.ready.clear()
                log.warning("feed_disconnected", error=type(exc).__name__)
                await asyncio.sleep(RETRY_SECONDS)

    async def _listen(self) -> None:
        url = libpq_url(self._ledger.engine.url.render_as_string(hide_password=False))
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            # Listening first, then caught up: a commit in between is in the catch-up or wakes us.
            self._published = self._published or await self._catch_up()
            self.ready.set()
            log.info("feed_listening", position=self._published)
            while True:
                async for _ in conn.notifies(timeout=POLL_SECONDS, stop_after=1):
                    pass
                await self._publish()

    async def _catch_up(self) -> int:
        engine = self._ledger.engine
        with translated_errors(engine.url):
            return await anyio.to_thread.run_sync(
                lambda: catch_up(engine, quiet_days=self._quiet_days)
            )

    async def _publish(self) -> None:
        position = await self._catch_up()
        if position <= self._published:
            return
        after, self._published = self._published, position
        changes = await anyio.to_thread.run_sync(
            lambda: status_changes(self._ledger.reader, after=after, until=position)
        )
        if changes:
            log.info("feed_published", changes=len(changes), position=position)
            for queue in self._subscribers:
                queue.put_nowait(changes)


def event_stream_lines(changes: list[StatusChange]) -> str:
    """Server-sent events: one `change` event per status change, its position as the id."""
    return "".join(
        f"id: {change.position}\nevent: change\ndata: {change.as_json_text()}\n\n"
        for change in changes
    )
