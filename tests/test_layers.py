"""The stack is pages → ui → scoring → queries: no module imports a layer above its own, no
import cycle among the project's modules (lazy imports inside functions included), and
`data/` (the demo generator and reference data) uses `scoring` only through public names."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"pages": 3, "app": 3, "ui": 2, "scoring": 1, "data": 1}  # higher may import lower, not the reverse
PACKAGES = ("scoring", "ui", "data")


def _modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for folder in ("pages", *PACKAGES):
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


@cache
def _nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of the file's syntax tree (parsed once for all the checks)."""
    return tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in the file, at any depth."""
    found = []
    for node in _nodes(path):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def _targets(module: str, names: list[str]) -> list[str]:
    """The project modules an import statement reaches (`from scoring import db` reaches scoring.db)."""
    reached = [f"{module}.{name}" for name in names if f"{module}.{name}" in MODULES]
    return reached or ([module] if module in MODULES else [])


@cache
def _graph() -> dict[str, set[str]]:
    return {name: {target for module, names in _imports(path) for target in _targets(module, names)} - {name}
            for name, path in MODULES.items()}


def _layer(module: str) -> int:
    return LAYERS[module.split(".")[0]]


def test_no_module_imports_a_layer_above_its_own():
    upward = [(name, target) for name, targets in _graph().items() for target in targets
              if _layer(target) > _layer(name)]
    assert upward == []


def test_the_engine_never_imports_streamlit_and_pages_never_touch_the_database():
    for name, path in MODULES.items():
        imported = {module.split(".")[0] for module, _ in _imports(path)}
        if name.startswith(("scoring", "data")):
            assert "streamlit" not in imported, name
        if name.startswith(("pages", "app")):
            assert "duckdb" not in imported, name
            assert not {t for m, n in _imports(path) for t in _targets(m, n)} & {"scoring.db", "scoring.engine"}, name


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph`, or None (depth-first search, colouring nodes)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycle():
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_a_planted_cycle():
    """Positive control: db importing the demo set-up again (the cycle this stack used to have:
    db lazily imported calendar, data.demo, auth and runs) is found."""
    graph = _graph() | {"scoring.db": _graph()["scoring.db"] | {"scoring.bootstrap"}}
    assert _cycle(graph) is not None
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("data")))
def test_data_uses_scoring_only_through_public_names(name):
    """The demo generator reads the engine's public functions and constants, never the
    database layer or a private name."""
    for module, names in _imports(MODULES[name]):
        if not module.startswith("scoring"):
            continue
        assert module not in ("scoring.db", "scoring.engine") and not module.startswith("scoring.engine."), module
        assert names and all(not n.startswith("_") for n in names), (module, names)
        assert not {"db", "engine"} & set(names), (module, names)


SCOPE_PREDICATE = re.compile(r"\$scope_(inst|district)\s+is\s+null\s+or\b", re.IGNORECASE)


def _queries_with_the_scope_predicate(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.sql")
                  if SCOPE_PREDICATE.search(path.read_text(encoding="utf-8")))


def test_the_scope_predicate_is_written_only_in_the_staging_views():
    """Whose rows a user may see is said once per kind of row, in `queries/staging/scoped_*`;
    every other query reads those views (issue 12: it used to be copied into 21 queries)."""
    found = _queries_with_the_scope_predicate(ROOT / "queries")
    assert found and all(name.startswith("staging/scoped_") for name in found), found


def test_the_scope_predicate_check_finds_a_planted_copy(tmp_path):
    """Positive control: a query outside staging/ that filters on the scope itself is found."""
    (tmp_path / "overview").mkdir()
    (tmp_path / "overview" / "mine.sql").write_text(
        "select * from loans where ($scope_inst is null or inst_id = $scope_inst)", encoding="utf-8")
    assert _queries_with_the_scope_predicate(tmp_path) == ["overview/mine.sql"]


SQL_STATEMENT = re.compile(
    r"^\s*(select\b|insert\s+into\b|update\s+\w+\s+set\b|delete\s+from\b|drop\s+(table|view)\b|alter\s+table\b"
    r"|create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(table|view)\b|with\s+\w+\s+as\s*\(|begin\s+transaction\b"
    r"|set\s+\w+\s*=)", re.IGNORECASE)
# The modules that still hold SQL in Python, each for a reason (none of them can be a file):
INLINE_SQL = {
    # the query layer itself wraps any named query's text: as a temp table (Backend.materialise), and
    # counted before an XLSX sheet is written (Session.count); a file cannot wrap another file's text
    "scoring.engine.backend",
    "scoring.engine",
    # Spark's catalog, not a query: each Parquet file of an export is (re)registered as a table of its
    # own name (load_parquet); queries/ holds the DuckDB sources of both engines, and this statement has
    # no DuckDB counterpart
    "scoring.spark_backend",
    # build time, not run: the generator of the importer's per-table writes (queries/import/write/),
    # from the contract's columns, kinds and keys; tests/test_import_dml.py keeps the files fresh
    "scoring.importing.dml",
}


def _sql_literals(path: Path) -> list[str]:
    """The string literals (f-strings with their fixed parts) of a file that start a SQL statement,
    one per line."""
    found = {}
    for node in _nodes(path):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        else:
            continue
        if SQL_STATEMENT.search(text):
            found.setdefault(node.lineno, f"{path.name}:{node.lineno}: {text[:60]!r}")
    return [found[line] for line in sorted(found)]


def test_sql_lives_in_queries_not_in_python():
    """pages → ui → scoring → queries: every statement, writes and DDL included, is a file under
    queries/, run through scoring.engine; `data/` writes through scoring's public functions."""
    inline = {name: found for name, path in MODULES.items() if (found := _sql_literals(path))}
    assert set(inline) <= INLINE_SQL, {name: inline[name] for name in set(inline) - INLINE_SQL}


def test_the_sql_check_finds_planted_statements(tmp_path):
    """Positive control: plain, f-string and DDL statements in Python are found; prose that does not
    start like a statement is not (prose that does is flagged: reword it)."""
    planted = tmp_path / "planted.py"
    planted.write_text('A = "select 1"\nB = f"delete from {t} where x"\nC = "create temp table t (x int)"\n'
                       'D = "select the best three"\nE = "Selection line"\n', encoding="utf-8")
    assert [line.split(":")[1] for line in _sql_literals(planted)] == ["1", "2", "3", "4"]
