"""What a forked worker process does first, whoever forks it (an ingest, a book fit, the follower).

- It ends when its parent does, however the parent ends (`kill -9` included). Otherwise a killed
  parent leaves its workers running on (a book fit for minutes) or waiting for work forever,
  holding the parent's standard output and error open, so whoever ran it waits for their end
  too. Linux kills the child when its parent dies (PR_SET_PDEATHSIG); a parent that died before
  that was set is seen by its pid.
- It takes Ctrl-C as its parent does. A forked child inherits Python's handler, which would turn
  Ctrl-C into a KeyboardInterrupt traceback in the child: it just stops instead, and the parent
  says what happened. A parent that ignores Ctrl-C (a background job of a script) keeps its
  children ignoring it, or one SIGINT to the process group would kill the children alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
from typing import Final

_PR_SET_PDEATHSIG: Final = 1  # prctl(2)


def die_with_parent(parent: int) -> None:
    """End this process when `parent` (the pid that forked it) ends; now if it already has."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the pid check still holds
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def interrupt_as_parent() -> None:
    """Ctrl-C stops this process, unless the parent it was forked from ignores Ctrl-C."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
