"""What `rumours serve` reads from the environment, once, in its entry point.

- `RUMOURS_API_TOKEN`: the bearer token that writes (claims, retractions) must carry. Unset or
  empty: every write is refused, so a server started without thinking about it is read-only.
- `RUMOURS_READER_DATABASE_URL`: a login of the reader role (`rumours db roles`). When set, the
  player and club boards and the search read through it; catching the projection up, the
  writes, and the answers that read the ledger's events (history, sources) use the main URL,
  because the reader role may by design read only the projection.
- `RUMOURS_API_MAX_BODY_BYTES`: the largest request body accepted (default 1 MB).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from ledger.errors import SettingsError

DEFAULT_MAX_BODY_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class WebSettings:
    api_token: str | None = field(default=None, repr=False)  # a secret: never printed
    reader_database_url: str | None = field(default=None, repr=False)  # may hold a password
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES


def load_web_settings(environ: Mapping[str, str] | None = None) -> WebSettings:
    env = os.environ if environ is None else environ
    limit_text = env.get("RUMOURS_API_MAX_BODY_BYTES", "").strip()
    if limit_text and not limit_text.isdigit():
        raise SettingsError(
            f"RUMOURS_API_MAX_BODY_BYTES: expected a whole number of bytes, got {limit_text[:40]!r}"
        )
    return WebSettings(
        api_token=env.get("RUMOURS_API_TOKEN") or None,
        reader_database_url=env.get("RUMOURS_READER_DATABASE_URL") or None,
        max_body_bytes=int(limit_text) if limit_text else DEFAULT_MAX_BODY_BYTES,
    )
