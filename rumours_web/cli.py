"""`rumours serve`: the web server, registered on `rumours` by its composition root (`rumours.cli`).

Like every command it runs on the embedded database unless a URL is given, and brings the schema
to head first. uvicorn serves one process: the boards are quick point lookups, and one process
keeps one live feed listener and one projector.
"""

from __future__ import annotations

import click

from ledger.cli.context import context_of

GRACEFUL_SECONDS = 3  # open feed streams never end on their own: do not wait on them for long


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the JSON API (/api, documented at /docs), the pages and the live feed."""
    import uvicorn

    from ledger.database import create_ledger_engine, normalise_url
    from rumours_web.app import create_app
    from rumours_web.ledger_access import WebLedger
    from rumours_web.settings import load_web_settings

    cli = context_of(ctx)
    web = load_web_settings()
    reader = None
    if web.reader_database_url:
        reader = create_ledger_engine(normalise_url(web.reader_database_url),
                                      statement_timeout_ms=cli.settings.statement_timeout_ms)  # fmt: skip
    ledger = WebLedger.open(cli.engine(), reader, quiet_days=cli.settings.quiet_days)
    app = create_app(ledger, web, quiet_days=cli.settings.quiet_days)
    click.echo(f"rumours: serving on http://{host}:{port} (API documentation at /docs)", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning",
                    timeout_graceful_shutdown=GRACEFUL_SECONDS)  # fmt: skip
    finally:
        ledger.dispose()
