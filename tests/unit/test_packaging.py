"""The package list in pyproject.toml is complete: every package in the tree is installed.

The list is written out (not found) so that the top-level `migrations/` folder can be installed as
`ledger.migrations`; a sub-package added later and forgotten here would be missing from a wheel
while every editable install still worked.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALLED_TREES = {"ledger": "ledger", "projections": "projections", "rumours": "rumours",
                   "rumours_web": "rumours_web", "migrations": "ledger.migrations"}  # fmt: skip


def _packages_in_tree() -> set[str]:
    found = set()
    for folder, dotted in INSTALLED_TREES.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((dotted, *parts)))
    return found


def _packages_listed() -> set[str]:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    return set(setuptools["setuptools"]["packages"])


def test_every_package_in_the_tree_is_listed_for_installation() -> None:
    assert _packages_in_tree() == _packages_listed()


def test_the_migrations_are_installed_inside_the_ledger_package() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert setuptools["setuptools"]["package-dir"] == {"ledger.migrations": "migrations"}
    assert "migrations" not in _packages_listed()
    assert "benchmarks" not in _packages_listed()
