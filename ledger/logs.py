"""structlog set-up, done once by the entry point: pretty on a terminal, JSON lines otherwise.

Logs go to standard error so that `--json` output on standard output stays machine-readable.
Until an application configures logging, the library logs only warnings, to standard error
(`quiet_until_configured`): unconfigured structlog would print every event to standard output,
into a notebook's cells or a script's piped output.
"""

from __future__ import annotations

import logging
import sys

import structlog

_configured = False


def quiet_until_configured() -> None:
    """Warnings and errors to stderr, unless the application has configured structlog itself."""
    if structlog.is_configured():
        return
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,  # the application's configure_logging must still apply
    )


def configure_logging(level: str = "WARNING", *, json: bool | None = None) -> None:
    """Idempotent: a second call (tests, notebooks) does nothing."""
    global _configured  # noqa: PLW0603 - one process-wide logging set-up is the point
    if _configured:
        return
    use_json = not sys.stderr.isatty() if json is None else json
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
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    # psycopg warns through the standard library ("error ignored terminating Pipeline ...") when a
    # connection dies mid-batch; the CLI already reports that loss as its one-line error, so the
    # driver's echo would only be a second, noisier line on standard error.
    logging.getLogger("psycopg").setLevel(logging.ERROR)
    _configured = True
