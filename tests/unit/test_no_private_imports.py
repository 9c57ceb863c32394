"""No module in src/ or app/ imports another module's private (``_name``) name."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def private_imports(root: Path) -> list[str]:
    found = []
    for path in sorted([*(root / "src").rglob("*.py"), *(root / "app").rglob("*.py")]):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [alias.name for alias in node.names]
                module = node.module or ""
            elif isinstance(node, ast.Import):
                names, module = [], ""
                names = [part for alias in node.names for part in alias.name.split(".")[1:]]
            else:
                continue
            parts = [*module.split("."), *names]
            for name in parts:
                if name.startswith("_") and not name.startswith("__"):
                    found.append(f"{path.relative_to(root)}:{node.lineno} imports {name}")
    return found


def test_no_module_imports_a_private_name():
    assert private_imports(ROOT) == []


def test_the_check_finds_a_private_import(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "page.py").write_text("from negotiate.moves import _number\n")
    assert private_imports(tmp_path) == ["app/page.py:1 imports _number"]
