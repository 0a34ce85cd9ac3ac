"""The layout's rules, checked on the import graph of facit/ (every import, at any depth):

    core  <-  domain apps (accounts, evidence, literature, directory, guidance, panel)  <-  api, web

- core imports no other facit app;
- no domain app imports facit.api or facit.web;
- no import cycle between apps;
- the pure packages import neither Django nor any facit app outside themselves.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "facit"
CORE = "core"
DOMAIN = {"accounts", "evidence", "literature", "directory", "guidance", "panel"}
OUTER = {"api", "web"}
PURE_PACKAGES = [
    "directory/hsds",
    "evidence/synthesis/stats",
    "guidance/terminology",
    "guidance/text",
    "literature/imports/formats",
    "literature/ranking",
]
# Plain-Python modules outside those packages that the pure packages may use (they import
# nothing but the standard library; checked below).
PURE_MODULES = ["core/csv_safe.py", "core/sentences.py"]
# Cycles still to be taken apart: none. Where a lower app needs something from one built on
# it, the upper app registers it in AppConfig.ready() (e.g. facit/panel/hooks.py: guidance's
# rounds and comments of a member, the directory's aftercare services).
KNOWN_CYCLES: set[frozenset[str]] = set()


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        found.append((parts[0], path))
    return found


def _app_graph() -> dict[str, dict[str, list[str]]]:
    """app -> imported app -> the files that import it."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app, path in _modules():
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "facit" or len(parts) < 2 or parts[1] in {app, "settings", "urls"}:
                continue
            graph[app][parts[1]].append(str(path.relative_to(ROOT.parent)))
    return graph


def test_every_app_is_placed_in_a_layer():
    apps = {app for app, _path in _modules()}
    assert apps <= {CORE} | DOMAIN | OUTER, apps - ({CORE} | DOMAIN | OUTER)


def test_core_imports_no_other_app():
    graph = _app_graph()
    assert not graph[CORE], dict(graph[CORE])


def test_no_domain_app_imports_the_api_or_web_layer():
    graph = _app_graph()
    wrong = {
        f"{app} -> {target}": files
        for app in DOMAIN
        for target, files in graph[app].items()
        if target in OUTER
    }
    assert not wrong, wrong


def _cycles(graph: dict[str, dict[str, list[str]]]) -> set[frozenset[str]]:
    """Strongly connected components with more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_apps():
    graph = _app_graph()
    cycles = _cycles(graph)
    new = cycles - KNOWN_CYCLES
    assert not new, {" <-> ".join(sorted(c)): {a: dict(graph[a]) for a in c} for c in new}
    gone = KNOWN_CYCLES - cycles
    assert not gone, f"remove from KNOWN_CYCLES, no longer a cycle: {gone}"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}) == {
        frozenset({"a", "b", "c"})
    }


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_neither_django_nor_the_rest_of_facit(package):
    base = ROOT / package
    own = "facit." + package.replace("/", ".")
    wrong = []
    for path in sorted(base.rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            shared = any(name == _dotted(m) for m in PURE_MODULES)
            if top == "django" or (top == "facit" and not name.startswith(own) and not shared):
                wrong.append(f"{path.relative_to(ROOT.parent)}: {name}")
    assert not wrong, wrong


def _dotted(module: str) -> str:
    return "facit." + module.removesuffix(".py").replace("/", ".")


@pytest.mark.parametrize("module", PURE_MODULES)
def test_shared_pure_modules_import_only_the_standard_library(module):
    names = [n.split(".")[0] for n in _imports(ROOT / module)]
    assert not [n for n in names if n in ("django", "facit")], names


# Writes ------------------------------------------------------------------------------------
# Every write to a model goes through a service. A "write call" is `.save()`, `.delete()`,
# `.create(...)` without positional arguments (a model, form or manager, not a cache key or a
# file), `.update(...)` without positional arguments on a queryset expression (not a dict
# named by a variable), and `update_or_create` / `get_or_create` / `bulk_create` /
# `bulk_update` anywhere. Allowed only in services modules (`services.py`, `*_services.py`,
# `*_service.py`, anything in a `services/` package), migrations, and the places named here.
WRITE_ALWAYS = {"update_or_create", "get_or_create", "bulk_create", "bulk_update"}
WRITE_PLAIN = {"save", "delete", "create", "update"}
WRITES_ALLOWED: dict[str, str] = {
    # core's own rows and the one optimistic-lock helper every service uses
    "core/audit.py": "audit entries (AuditEvent), written by every service",
    "core/concurrency.py": "the optimistic-lock helper (save_versioned, update_versioned)",
    "core/jobs.py": "background jobs' own progress rows (Job)",
    "core/rq_worker.py": "marks an abandoned RQ job's Job row failed",
    # Django's auth state kept in step with the roles, no person acting
    "accounts/roles.py": "the role groups and their permissions, after migrate",
    "accounts/signals.py": "is_staff follows role membership (m2m signal)",
    # services by another name: keyword-only, atomic, audited
    "evidence/appraisal/desk.py": "the extraction desk's services (extraction_submit, _consensus)",
    "evidence/revision.py": "bumps the evidence revision row (evidence_changed), for every service",
}


def _is_write(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    name = node.func.attr
    if name in WRITE_ALWAYS:
        return True
    if name not in WRITE_PLAIN or node.args:
        return False
    return name != "update" or isinstance(node.func.value, (ast.Call, ast.Attribute))


def _writes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{node.lineno}: {ast.unparse(node)[:80]}" for node in ast.walk(tree) if _is_write(node)
    ]


def _may_write(relative: str) -> bool:
    parts = relative.split("/")
    name = parts[-1]
    return (
        "migrations" in parts
        or "services" in parts[:-1]
        or name == "services.py"
        or name.endswith(("_services.py", "_service.py"))
        or relative in WRITES_ALLOWED
    )


def test_models_are_written_only_in_services():
    wrong = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if not _may_write(relative) and (found := _writes(path)):
            wrong[relative] = found
    assert not wrong, wrong


def test_every_allowed_writer_still_writes():
    idle = [m for m in WRITES_ALLOWED if not (ROOT / m).exists() or not _writes(ROOT / m)]
    assert not idle, f"remove from WRITES_ALLOWED, no longer writes: {idle}"


def test_the_write_finder_finds_writes_and_skips_dicts_and_caches():
    source = (
        "Thing.objects.filter(pk=1).update(x=1)\nthing.save()\nthing.delete()\n"
        "Thing.objects.create(x=1)\nThing.objects.get_or_create(x=1)\nform.save()\n"
        "state.update(ready=False)\ncontext.update(more)\ncache.delete(key)\n"
        "ranker.save(directory)\n"
    )
    found = [n for n in ast.walk(ast.parse(source)) if _is_write(n)]
    assert [n.lineno for n in found] == [1, 2, 3, 4, 5, 6]
