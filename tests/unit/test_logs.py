"""Library logging: structlog is imported only to log, and never writes to standard output."""

from __future__ import annotations

import subprocess
import sys


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    # A fresh interpreter: this test process imported structlog and configured it long ago.
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )


def test_taking_a_logger_does_not_import_structlog() -> None:
    done = run_python(
        "import sys\n"
        "import ledger.database, projections.api\n"
        "from ledger.logs import get_logger\n"
        "get_logger('probe')\n"
        "print('structlog' in sys.modules)\n"
    )
    assert done.stdout.strip() == "False"


def test_an_unconfigured_library_logs_warnings_to_stderr_and_nothing_to_stdout() -> None:
    done = run_python(
        "from ledger.logs import get_logger\n"
        "log = get_logger('probe')\n"
        "log.info('chatty_event', detail=1)\n"
        "log.warning('worth_saying', detail=2)\n"
    )
    assert done.stdout == ""
    assert "worth_saying" in done.stderr
    assert "chatty_event" not in done.stderr


def test_the_applications_set_up_applies_even_after_a_quiet_first_log() -> None:
    done = run_python(
        "from ledger.logs import configure_logging, get_logger\n"
        "log = get_logger('probe')\n"
        "log.warning('before_set_up')\n"
        "configure_logging('INFO', json=True)\n"
        "log.info('after_set_up', detail=3)\n"
    )
    assert done.stdout == ""
    last = done.stderr.strip().splitlines()[-1]
    assert '"event": "after_set_up"' in last and '"detail": 3' in last


def test_a_level_set_before_the_first_log_is_the_one_used() -> None:
    done = run_python(
        "from ledger.logs import configure_logging, get_logger\n"
        "configure_logging('ERROR', json=True)\n"
        "log = get_logger('probe')\n"
        "log.warning('below_the_level')\n"
        "log.error('at_the_level')\n"
    )
    assert "below_the_level" not in done.stderr
    assert "at_the_level" in done.stderr
