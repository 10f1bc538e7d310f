"""structlog set-up: pretty on a terminal, JSON lines otherwise, and imported only to log.

Logs go to standard error so that `--json` output on standard output stays machine-readable.

Importing structlog costs about a tenth of a second (it brings rich's tracebacks and asyncio with
it), more than a warm `rumours status` may spend in all, and a command that logs nothing does not
need it. So modules take their logger from `get_logger`, which imports structlog on the first
call that logs; `configure_logging` records what the application wants and it is applied then.
Until an application configures logging, the library logs only warnings, to standard error:
unconfigured structlog would print every event to standard output, into a notebook's cells or a
script's piped output.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from structlog.typing import FilteringBoundLogger


@dataclass(frozen=True, slots=True)
class _Wanted:
    level: str
    json: bool | None


_wanted: _Wanted | None = None  # what the application asked for, applied on the first log
_applied = False


def configure_logging(level: str = "WARNING", *, json: bool | None = None) -> None:
    """Idempotent: the first call decides (tests, notebooks may call it again)."""
    global _wanted  # noqa: PLW0603 - one process-wide logging set-up is the point
    if _wanted is not None:
        return
    _wanted = _Wanted(level, json)
    if _applied:  # something logged already, under the quiet set-up: replace it now
        _configure(_wanted)
    # The driver's own warnings go through the standard library and need no structlog: psycopg
    # warns ("error ignored terminating Pipeline ...") when a connection dies mid-batch, which
    # the CLI already reports as its one-line error.
    logging.getLogger("psycopg").setLevel(logging.ERROR)


def get_logger(name: str) -> FilteringBoundLogger:
    """A module's logger; structlog is imported, and set up, when it first logs."""
    # The cast names what every call reaches: the structlog logger behind the proxy.
    return cast("FilteringBoundLogger", _LazyLogger(name))


class _LazyLogger:
    """Stands in for a structlog logger until something logs through it."""

    __slots__ = ("_logger", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._logger: Any = None

    def __getattr__(self, method: str) -> Any:
        if self._logger is None:
            import structlog

            _apply()
            self._logger = structlog.get_logger(self._name)
        return getattr(self._logger, method)


def _apply() -> None:
    """Configure structlog once: as the application asked, else quiet (warnings, to stderr)."""
    global _applied  # noqa: PLW0603 - see configure_logging
    if _applied:
        return
    _applied = True
    import structlog

    if _wanted is not None:
        _configure(_wanted)
    elif not structlog.is_configured():  # an application that set structlog up itself keeps it
        structlog.configure(
            processors=[
                structlog.processors.add_log_level,
                structlog.dev.ConsoleRenderer(colors=False),
            ],
            wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
            logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
            cache_logger_on_first_use=False,  # a later configure_logging must still apply
        )


def _configure(wanted: _Wanted) -> None:
    import structlog

    use_json = not sys.stderr.isatty() if wanted.json is None else wanted.json
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelName(wanted.level.upper())
        ),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
