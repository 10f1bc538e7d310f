"""`--skip-invalid`: rejected claims are written, with their reasons, to a JSON Lines file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from ledger.ingest.claim_input import FieldProblem


class RejectsFile:
    """Opened lazily, so a clean file leaves no empty rejects file behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[str] | None = None

    @classmethod
    def beside(cls, source: str, explicit: str | None) -> RejectsFile:
        if explicit:
            return cls(Path(explicit))
        if source == "-":
            return cls(Path("stdin.rejects.jsonl"))
        return cls(Path(source).with_suffix(".rejects.jsonl"))

    def write(self, line: int, data: object, problems: Sequence[FieldProblem]) -> None:
        if self._handle is None:
            self._handle = self.path.open("w", encoding="utf-8")
        record = {
            "line": line,
            "claim": data,
            "errors": [{"field": p.field, "reason": p.reason} for p in problems],
        }
        self._handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self.count += 1

    def close(self) -> str:
        if self._handle is not None:
            self._handle.close()
        return str(self.path)
