"""The web server as the HTTP benchmark's child process: `rumours serve` on the bench database.

    python -m benchmarks.bench_http_server PORT QUIET_DAYS

The database URL comes in the environment (`RUMOURS_BENCH_URL`), as for `bench_child`. It is
the app `rumours serve` runs (same factory, same uvicorn defaults), with the access log off as a
production deployment would have it, in a process of its own so the clients' CPU is not its own.
"""

from __future__ import annotations

import os
import sys

import uvicorn

from benchmarks.bench_child import URL_VARIABLE
from ledger.database import create_ledger_engine
from ledger.logs import configure_logging
from rumours_web.app import create_app
from rumours_web.ledger_access import WebLedger
from rumours_web.settings import WebSettings


def main(argv: list[str]) -> None:
    port, quiet_days = int(argv[0]), int(argv[1])
    configure_logging("WARNING", json=True)
    engine = create_ledger_engine(os.environ[URL_VARIABLE])
    ledger = WebLedger.open(engine, None, quiet_days=quiet_days)
    app = create_app(ledger, WebSettings(), quiet_days=quiet_days)
    try:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                    timeout_graceful_shutdown=1)  # fmt: skip
    finally:
        ledger.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
