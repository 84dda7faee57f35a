"""No import circles between the project's modules.

Every import counts, including one inside a function (a deferred import hides a
circle, it does not break it); imports under ``if TYPE_CHECKING:`` do not, as
they never run. Work that must reach back (a service queueing the task that
calls it) goes by name through a registry (``jobs.kinds``, Celery's tasks).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts",
    "config",
    "console",
    "contracts",
    "evaluations",
    "integrations",
    "jobs",
    "needs",
    "notifications",
    "providers",
    "questionnaires",
    "responses",
)


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def runtime_nodes(tree: ast.AST):
    typing_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            typing_only.update(id(sub) for sub in ast.walk(node))
    return (node for node in ast.walk(tree) if id(node) not in typing_only)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in runtime_nodes(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets.update(known(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parents, base] if base else parents)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(known(full if full in modules else base))
        graph[name] = {target for target in targets if target and target != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back():
    assert circles(import_graph(project_modules())) == []


def test_a_deferred_import_still_counts():
    graph = {"a.services": {"a.tasks"}, "a.tasks": {"a.services"}, "a.views": {"a.services"}}
    assert circles(graph) == [["a.services", "a.tasks"]]


def test_the_graph_sees_function_level_imports():
    graph = import_graph(project_modules())
    assert "evaluations.services.scoring" in graph["evaluations.tasks.scoring"]
    assert "evaluations.tasks" not in graph["evaluations.services.scoring"]
