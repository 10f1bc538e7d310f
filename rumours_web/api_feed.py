"""`GET /api/feed`: the live feed of status changes as server-sent events (see `feed.py`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from rumours_web.feed import ChangeFeed, event_stream_lines

router = APIRouter(prefix="/api", tags=["feed"])
KEEPALIVE_SECONDS = 15.0  # a comment line now and then keeps proxies from closing the stream
RECONNECT_MS = 3000


def feed_of(request: Request) -> ChangeFeed:
    feed = request.app.state.feed
    assert isinstance(feed, ChangeFeed)
    return feed


@router.get(
    "/feed",
    summary="Live status changes (server-sent events)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def status_feed(request: Request) -> StreamingResponse:
    """One `change` event per pursuit status change committed after the client connected:
    `{"position", "player", "club", "status", "previous", "since"}`. The first line, a comment,
    says the subscription is live: a change committed after it arrives exactly once."""
    return StreamingResponse(
        _events(feed_of(request)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(feed: ChangeFeed) -> AsyncIterator[str]:
    async with feed.subscription() as queue:
        await feed.ready.wait()
        yield f"retry: {RECONNECT_MS}\n: subscribed\n\n"
        while True:
            try:
                changes = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield event_stream_lines(changes)
