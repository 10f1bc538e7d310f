"""The `rumours` command is put together in one place, and its typed options refuse bad values."""

from __future__ import annotations

import tomllib
from pathlib import Path

import click
import pytest

from rumours.cli import app, main

ROOT = Path(__file__).resolve().parents[2]
QUERY_COMMANDS = {"status", "club", "history", "sources", "project"}


def test_our_own_commands_are_registered_without_entry_point_plug_ins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "entry-points" not in project, "our commands are registered by rumours.cli itself"
    assert project["scripts"]["rumours"] == "rumours.cli:main"
    context = click.Context(app)
    names = set(app.list_commands(context))
    assert QUERY_COMMANDS | {"serve", "ingest", "db", "review"} <= names
    for name in names:  # each one names a command its module defines
        command = app.get_command(context, name)
        assert command is not None and command.name == name


def test_bare_rumours_prints_its_help_as_it_is_and_exits_with_the_input_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    help_text = capsys.readouterr().err
    assert help_text.startswith("Usage: rumours [OPTIONS] COMMAND")
    assert "\n  status " in help_text and "rumours: " not in help_text


def test_a_wrong_format_is_refused_naming_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ingest", "--format", "xml", "claims.jsonl"])
    assert exited.value.code == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith("rumours: Invalid value for '--format': 'xml' is not one of")
    assert "'jsonl', 'json', 'csv'" in line
    assert "Value error" not in line and "\n" not in line
