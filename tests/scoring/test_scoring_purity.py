"""The scoring package stays pure: no Django anywhere in it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import scoring

PACKAGE = Path(scoring.__file__).parent


def test_no_module_of_the_package_imports_django() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        for statement in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(statement, ast.Import):
                names = [alias.name for alias in statement.names]
            elif isinstance(statement, ast.ImportFrom):
                names = [statement.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "django" for n in names), path.name


def test_importing_the_package_loads_no_django() -> None:
    code = "import sys, scoring; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parent)
