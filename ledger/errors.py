"""Every error the ledger raises on purpose, in one tree.

    LedgerError                      base: catch this to catch everything below
    ├── InputError                   a claim, file or name a user gave is not acceptable
    │   ├── FeeError                 fee text that is not money (negative, absurd, unknown currency)
    │   ├── ClaimValidationError     a claim breaks the rules of SPEC §4.1 (names file:line:field)
    │   ├── ArticleFormatError       an article file does not start with `date YYYY-MM-DD`
    │   ├── NameResolutionError      a club, player or source name could not be resolved
    │   │   ├── UnknownNameError     nothing near it is known (carries suggestions)
    │   │   └── AmbiguousNameError   several entities fit equally well (carries the candidates)
    │   └── UnknownReviewItemError   a review item id (or prefix) matches no item, or several
    ├── ConcurrencyError             an append's expected stream version was already taken
    ├── UnknownEventError            a retraction names an event the ledger does not hold
    ├── ReviewDecidedError           a review item was already decided the other way
    ├── WorkerProcessError           a worker process of a bulk ingest ended before its work
    │                                (killed, out of memory); the ingest wrote nothing
    └── DatabaseError                PostgreSQL could not be reached or refused the work
        ├── DatabaseUnavailableError the server is down, unreachable or went away mid-command
        ├── StatementCancelledError  a statement ran past statement_timeout or lock_timeout, or
        │                            was cancelled; the server itself is fine
        ├── WriteConflictError       a deadlock or serialization failure rolled the work back;
        │                            running it again is safe and usually succeeds
        ├── PermissionDeniedError    the role connected lacks a privilege the work needs
        └── SchemaError              the schema is missing or newer than this code

Driver exceptions (psycopg, SQLAlchemy) are translated into these at the storage boundary with
``raise ... from exc``; they never cross the public API.
"""

from __future__ import annotations

from collections.abc import Sequence


class LedgerError(Exception):
    """Base of every error raised on purpose by the ledger and its projections."""


class InputError(LedgerError):
    """Raised when user input (a file, a claim, a name) cannot be accepted."""


class FeeError(InputError, ValueError):
    """Raised by the fee parser for text that is not an acceptable amount of money."""


class ClaimValidationError(InputError):
    """Raised when one claim breaks the rules; ``location`` is ``FILE:LINE`` when known."""

    def __init__(self, field: str, reason: str, location: str | None = None) -> None:
        self.field = field
        self.reason = reason
        self.location = location
        prefix = f"{location}: " if location else ""
        super().__init__(f"{prefix}{field}: {reason}")


class SettingsError(InputError):
    """Raised when a `RUMOURS_*` environment variable holds a value the ledger cannot use."""


class ArticleFormatError(InputError):
    """Raised when an article does not follow the `date YYYY-MM-DD body` format."""


class NameResolutionError(InputError):
    """Raised when a name cannot be turned into one canonical entity."""

    def __init__(self, message: str, name: str, candidates: Sequence[str] = ()) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        super().__init__(message)


class UnknownNameError(NameResolutionError):
    """Raised when no entity is close to the name; ``candidates`` holds suggestions, if any."""


class AmbiguousNameError(NameResolutionError):
    """Raised when several entities fit the name equally well; ``candidates`` lists them."""


class UnknownReviewItemError(InputError):
    """Raised when a review item id or prefix names no queued item, or more than one."""


class ConcurrencyError(LedgerError):
    """Raised when an append expected a stream version that another writer already used."""

    def __init__(self, stream_id: str, expected_version: int | None) -> None:
        self.stream_id = stream_id
        self.expected_version = expected_version
        super().__init__(
            f"stream {stream_id} has moved past expected version {expected_version}; "
            "re-read the stream and retry"
        )


class UnknownEventError(LedgerError):
    """Raised when a retraction or lookup names an event_id that is not in the ledger."""


class ReviewDecidedError(LedgerError):
    """Raised when accepting a rejected review item or rejecting an accepted one: it is final."""


class WorkerProcessError(LedgerError):
    """Raised when a worker process of a bulk ingest dies mid-file (a signal, the OOM killer):
    the ingest's one transaction is rolled back, so nothing of the file is written."""


class DatabaseError(LedgerError):
    """Raised when PostgreSQL refuses or fails the work for a reason that is not the input."""


class DatabaseUnavailableError(DatabaseError):
    """Raised when the server cannot be reached, or the connection is lost mid-command."""


class StatementCancelledError(DatabaseError):
    """Raised when PostgreSQL cancelled a statement (a timeout or a cancel request)."""


class WriteConflictError(DatabaseError):
    """Raised when a deadlock or serialization failure rolled the transaction back."""


class PermissionDeniedError(DatabaseError):
    """Raised when the connected role lacks a privilege (SQLSTATE 42501)."""


class SchemaError(DatabaseError):
    """Raised when the schema is missing or was made by a newer version of this code."""
