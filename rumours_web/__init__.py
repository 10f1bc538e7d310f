"""rumour-ledger over HTTP: `rumours serve`, a JSON API and server-rendered pages (issue 15).

    from rumours_web.app import create_app
    from rumours_web.ledger_access import WebLedger
    from rumours_web.settings import WebSettings

    app = create_app(WebLedger.open(engine, None, quiet_days=90), WebSettings(), quiet_days=90)

Nothing is imported here: `rumours --help` loads this package's command registration, which
must not pull in FastAPI, SQLAlchemy or the boards.
"""
