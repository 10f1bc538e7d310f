"""Imports run one way (docs/design.md): ledger <- projections <- rumours_web <- rumours; the fold is pure."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Alembic runs this file as a script (nothing in `ledger` imports it), and it must register the
# projection tables so that the whole schema is compared.
ALEMBIC_SCRIPT = ROOT / "migrations" / "env.py"


def _imports(package: str) -> Iterator[tuple[Path, str]]:
    """(file, imported module) for every absolute import in the package, type-only ones too."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((path, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module


def _offending(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path, module in _imports(package)
        if path != ALEMBIC_SCRIPT and module.split(".")[0] in forbidden
    ]


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("ledger", ("projections", "rumours_web", "rumours")),
        ("migrations", ("projections", "rumours_web", "rumours")),  # installed as ledger.migrations
        ("projections", ("rumours_web", "rumours")),
        ("rumours_web", ("rumours",)),
    ],
)
def test_no_package_imports_one_built_on_top_of_it(
    package: str, forbidden: tuple[str, ...]
) -> None:
    assert _offending(package, forbidden) == []


def test_the_fold_touches_no_database_and_only_the_ledgers_vocabulary() -> None:
    allowed = {"ledger.claim_kinds", "ledger.money"}
    found = {
        module
        for _, module in _imports("projections/fold")
        if module.split(".")[0] in ("ledger", "sqlalchemy", "psycopg", "rumours_web")
        or (module.startswith("projections") and not module.startswith("projections.fold"))
    }
    assert found <= allowed


def test_entities_and_money_build_on_nothing_of_the_ledger_but_its_errors() -> None:
    leaves = ("ledger.entities", "ledger.money", "ledger.errors")
    for package in ("ledger/entities", "ledger/money"):
        found = {
            m for _, m in _imports(package) if m.startswith("ledger") and not m.startswith(leaves)
        }
        assert found == set(), package
