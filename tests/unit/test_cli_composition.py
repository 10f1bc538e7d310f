"""The `rumours` command is put together in one place, and its typed options refuse bad values."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import typer

from rumours.cli import app, main

ROOT = Path(__file__).resolve().parents[2]
QUERY_COMMANDS = {"status", "club", "history", "sources", "project"}


def test_our_own_commands_are_registered_without_entry_point_plug_ins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "entry-points" not in project, "our commands are registered by rumours.cli itself"
    assert project["scripts"]["rumours"] == "rumours.cli:main"
    names = {info.name for info in typer.main.get_group(app).commands.values()}
    assert QUERY_COMMANDS | {"serve", "ingest", "db", "review"} <= names


def test_a_wrong_format_is_refused_naming_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ingest", "--format", "xml", "claims.jsonl"])
    assert exited.value.code == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith("rumours: Invalid value for '--format': 'xml' is not one of")
    assert "'jsonl', 'json', 'csv'" in line
    assert "Value error" not in line and "\n" not in line
