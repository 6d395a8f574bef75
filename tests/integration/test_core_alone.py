"""redun-core stands alone: neither it nor its tests import a plugin package.

``hatch run core:test`` runs tests/core in an environment holding redun-core only; an
import of redun_aws (or any other plugin) there would fail that run, and an import of
one from core itself would break the rule that core never depends on a plugin. Reaching
a plugin by a string (the lazy upstream-compatible names) is allowed and not an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TREES = {
    "redun-core source": ROOT / "packages" / "redun-core" / "src" / "redun",
    "tests/core": ROOT / "tests" / "core",
}


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("tree", sorted(TREES))
def test_no_plugin_package_is_imported(tree: str) -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in TREES[tree].rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0].startswith("redun_")
    }

    assert not offenders, f"{tree} imports plugin packages: {sorted(offenders)}"


def test_the_core_env_installs_redun_core_alone() -> None:
    import tomllib

    core = tomllib.loads((ROOT / "hatch.toml").read_text())["envs"]["core"]

    assert core["workspace"]["members"] == ["packages/redun-core"]
    assert any("pytest tests/core" in step for step in core["scripts"]["test"])
