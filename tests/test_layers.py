"""The layers run one way (docs/architecture.md, "Layers"): a lower app never imports a higher one.

Every `import` in `cityeval/` and `scoring/` counts, wherever it stands: at the top of a module,
inside a function (a lazy import is still a dependency) or under `TYPE_CHECKING`. Apps of the same
layer may import each other one way; two apps that reach each other (directly or round a longer
circle) are reported as a circle, and so are two modules that import each other. The project
modules (`settings`, `urls`, `env`, `cli`, `wsgi`, `pytest_env`) mount everything and stand
outside the layers.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import cityeval
import scoring

# Lowest first. A new app needs a row here (test_every_app_has_a_layer).
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("engine", frozenset({"scoring"})),
    (
        "ground",
        frozenset({"core", "regions", "frameworks", "accounts", "audit", "notifications", "jobs"}),
    ),
    ("workflow", frozenset({"masterplans", "evaluations", "evidence", "reviews", "discussions"})),
    # Finalising and publishing (`reports`) write the snapshots and ranks of `results` in their
    # own transaction: `results` never imports `reports` (a layer apart, so the test says so).
    ("official results", frozenset({"results"})),
    ("reports and publishing", frozenset({"reports"})),
    (
        "results and presentation",
        frozenset(
            {
                "scorecards",
                "dashboard",
                "exports",
                "api",
                "workbooks",
                "help",
                "mentoring",
                "library",
            }
        ),
    ),
    ("operations", frozenset({"operations"})),
)
LEVEL = {app: level for level, (_name, apps) in enumerate(LAYERS) for app in apps}
PROJECT_MODULES = {"settings", "urls", "env", "cli", "wsgi", "pytest_env", "__init__"}

PACKAGE = Path(cityeval.__file__).parent
ENGINE = Path(scoring.__file__).parent


@dataclass(frozen=True)
class Import:
    source: str  # app
    target: str  # app
    where: str  # file:line and the module imported

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}: {self.where}"


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "scoring":
        return "scoring"
    if parts[0] == "cityeval" and len(parts) > 1 and parts[1] not in PROJECT_MODULES:
        return parts[1]
    return None


def module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(node: ast.AST, path: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:  # relative: from the module's package upwards
        package = module_name(path)
        if path.name != "__init__.py":
            package = package[:-1]
        base = package[: len(package) - node.level + 1]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    # `from cityeval import evaluations` names the app in the imported names.
    return [f"{module}.{alias.name}" for alias in node.names] + [module]


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py")) + sorted(ENGINE.rglob("*.py"))


def cross_app_imports() -> list[Import]:
    found: list[Import] = []
    for path in sources():
        source = app_of(".".join(module_name(path)))
        if source is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = {app_of(m) for m in imported_modules(node, path)} - {None, source}
            for target in sorted(t for t in targets if t is not None):
                where = f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"
                found.append(Import(source, target, where))
    return found


def back_pointing(imports: list[Import]) -> list[Import]:
    return [i for i in imports if LEVEL.get(i.target, -1) > LEVEL.get(i.source, -1)]


def circles(imports: list[Import]) -> list[list[str]]:
    """Groups of two or more apps that reach each other (strongly connected), sorted."""
    apps = sorted({i.source for i in imports} | {i.target for i in imports})
    reach: dict[str, set[str]] = defaultdict(set)
    for i in imports:
        reach[i.source].add(i.target)
    for middle in apps:  # transitive closure (Warshall); a few dozen apps
        for start in apps:
            if middle in reach[start]:
                reach[start] |= reach[middle]
    groups = {
        tuple(sorted({a} | {b for b in apps if b in reach[a] and a in reach[b]})) for a in apps
    }
    return sorted(list(g) for g in groups if len(g) > 1)


def module_imports() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (`from a import b` counts `a.b` when a module)."""
    paths = {".".join(module_name(path)): path for path in sources()}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        named = {
            m
            for node in ast.walk(ast.parse(path.read_text()))
            for m in imported_modules(node, path)
        }
        graph[module] = {m for m in named if m in paths and m != module}
    return graph


def module_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    reach: dict[str, set[str]] = {}
    for start in graph:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo += graph[module]
        reach[start] = seen
    groups = {tuple(sorted({m} | {o for o in reach[m] if m in reach[o]})) for m in graph}
    return sorted(list(g) for g in groups if len(g) > 1)


def test_every_app_has_a_layer() -> None:
    # formats: the date formats per language (FORMAT_MODULE_PATH), data like locale.
    apps = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - {"locale", "static", "formats"}
    assert sorted(apps - set(LEVEL)) == []
    assert sorted(set(LEVEL) - apps - {"scoring"}) == []


def test_no_app_imports_an_app_of_a_higher_layer() -> None:
    wrong = [str(i) for i in back_pointing(cross_app_imports())]
    assert wrong == [], "\n".join(wrong)


def test_no_two_apps_import_each_other() -> None:
    imports = cross_app_imports()
    report = []
    for group in circles(imports):
        report.append(" <-> ".join(group))
        report += [f"    {i}" for i in imports if i.source in group and i.target in group]
    assert report == [], "\n".join(report)


def test_no_two_modules_import_each_other() -> None:
    """Inside an app too: a module circle works only by the order of imports (or a lazy one)."""
    assert module_circles(module_imports()) == []


def test_the_walk_finds_lazy_relative_and_package_imports(tmp_path: Path) -> None:
    """The checks above only mean something if the walk sees every kind of import."""
    path = PACKAGE / "core" / "example.py"  # never written: parsed from text below
    code = (
        "from .mail import x\n"
        "from cityeval import evaluations\n"
        "def f():\n"
        "    import cityeval.operations.demo\n"
        "    from ..reports import scores\n"
    )
    found = {
        app_of(m)
        for node in ast.walk(ast.parse(code))
        for m in imported_modules(node, path)
        if app_of(m)
    }
    assert found == {"core", "evaluations", "operations", "reports"}
    fake = [
        Import("core", "evaluations", "a"),
        Import("evaluations", "core", "b"),
        Import("regions", "accounts", "c"),
        Import("accounts", "audit", "d"),
        Import("audit", "regions", "e"),
    ]
    assert [str(i) for i in back_pointing(fake)] == ["core -> evaluations: a"]
    assert circles(fake) == [["accounts", "audit", "regions"], ["core", "evaluations"]]
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "b": {"a.x"}}
    assert module_circles(graph) == [["a.x", "a.y", "a.z"]]


def test_results_sit_below_the_reports_that_publish_them() -> None:
    """`results` importing `reports` (e.g. to read a figure back) is a layer error."""
    wrong = back_pointing([Import("results", "reports", "cityeval/results/x.py:1")])
    assert [str(i) for i in wrong] == ["results -> reports: cityeval/results/x.py:1"]
    assert back_pointing([Import("reports", "results", "cityeval/reports/x.py:1")]) == []
