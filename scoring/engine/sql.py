"""Named queries and staging views: from a name to one SQL text and the parameters it binds.

A query file may read the staging views of `queries/staging/` by name, as dbt models
read `ref()`s. Each staging view says one thing once — the banks and leasing companies
(`roster`), a user's rows (`scoped_loans`, `scoped_applications`, `scoped_stages`), the
judged "3个1" stages (`sla_stages`) — and a query that names one gets it:

- as a CTE put in front of the query's own, for an ordinary view;
- as a temp table of the session, built once per parameter values, for a view whose
  file says `-- staging: materialised` (an expensive result several queries read).

Two kinds change places in a session that reads many cut-off days (`cut_offs`: the monthly
races evaluate twelve month ends): a view whose file says `-- staging: cut-off` (the
技改专项贷 or the judged stages as of one day) is materialised in an ordinary session and
inline in such a session, and a view whose file says `-- staging: book` (what it cuts off,
the same for every day) is inline in an ordinary session and materialised in such a session.
An ordinary session builds one cut-off in one pipeline; a session over many cut-offs builds
the book once and reads each day off it without writing it again (and where the process shares
books, `scoring.shared.books`, every such session of a page's run reads one build). A book whose
readers cut it off at a day anyway may say `-- shared book: $year = 9999`: where the process shares its
books, the one book built with that value serves every year asked for (`shared_book_values`).

A staging view whose file says `-- stored order: app_id, stage_order` is written in that order where a
table of the database keeps it (`Session.store`). A listing whose file says `-- in stored order of:
sla_stages` closes with that order and reads the view through selects of one table, which keep the
order they read (DuckDB's order preservation, insertion order kept): read from such a table, it needs no
sort (`Text.unsorted`). Sorting the 3.2 M judged stages of a million loans was a third of `sla`'s listing.

Parameters are `$name`s; a query binds only the ones its text (with its staging views)
uses, and fails on a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STAGING = "staging"
SCOPE_PARAMS = frozenset({"scope_inst", "scope_district"})
_COMMENT = re.compile(r"--[^\n]*")
# `$name` in DuckDB files, `:name` in the generated Spark SQL (never `::type`)
_PARAMETER = re.compile(r"(?<![:\w])[$:]([A-Za-z_][A-Za-z0-9_]*)")
_LEADING_WITH = re.compile(r"\A(?:\s|--[^\n]*\n)*with\b", re.IGNORECASE)
KIND_HEADERS = {"-- staging: materialised": "materialised", "-- staging: cut-off": "cut-off", "-- staging: book": "book"}
# `-- shared book: $year = 9999` in a book's file: where the process shares its books, one book built
# with that value serves every value asked for (its readers cut it off anyway: the book's file says why)
_SHARED_BOOK = re.compile(r"^-- shared book: \$([A-Za-z_][A-Za-z0-9_]*) = (\d+)\s*$", re.MULTILINE)
_ORDER_KEY = r"\w+(?: nulls last)?"
_STORED_ORDER = re.compile(rf"^-- stored order: ({_ORDER_KEY}(?:, {_ORDER_KEY})*)\s*$", re.MULTILINE)
_IN_STORED_ORDER = re.compile(r"^-- in stored order of: (\w+)\s*$", re.MULTILINE)
# the kinds materialised in an ordinary session, and in a session over many cut-off days
_MATERIALISED = {False: frozenset({"materialised", "cut-off"}), True: frozenset({"materialised", "book"})}


@dataclass(frozen=True)
class Text:
    """One named query, its staging views resolved: the SQL, what it binds, what it needs built."""

    sql: str
    params: frozenset[str]  # every $name in the text and its inline staging views
    materialised: tuple[str, ...]  # materialised staging views it reads, in build order
    books: frozenset[str] = frozenset()  # the books it reads, inline or through the views it builds
    sorted_view: str | None = None  # the staging view whose stored order its closing `order by` is
    unsorted: str | None = None  # `sql` without that `order by`, for when the view is read from a kept table

    @property
    def scoped(self) -> bool:
        return bool(self.params & SCOPE_PARAMS)

    def reads(self, table: str) -> bool:
        """Whether the text names `table` outside its comments (e.g. a table the caller registers)."""
        return re.search(rf"\b{re.escape(table)}\b", _COMMENT.sub("", self.sql)) is not None


@cache
def source(catalog: Path, name: str) -> str:
    """The text of `<catalog>/<name>.sql`, without a trailing semicolon."""
    path = catalog / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no query named {name!r} ({path})")
    return path.read_text(encoding="utf-8").rstrip().rstrip(";")


@cache
def staging_views(catalog: Path) -> dict[str, str]:
    """Every staging view's name, and its kind: ordinary, materialised, cut-off or book."""
    return {path.stem: _kind(path.read_text(encoding="utf-8")) for path in sorted((catalog / STAGING).glob("*.sql"))}


def _kind(text: str) -> str:
    return next((kind for header, kind in KIND_HEADERS.items() if header in text), "ordinary")


@cache
def shared_book_values(catalog: Path, view: str) -> dict[str, int]:
    """The parameter values the staging view `view` (a book) is built with where the process shares its
    books, whatever values were asked for (`-- shared book: $name = value` in its file); none: as asked."""
    return {name: int(value) for name, value in _SHARED_BOOK.findall(source(catalog, f"{STAGING}/{view}"))}


@cache
def stored_order(catalog: Path, view: str) -> str | None:
    """The order the rows of the staging view `view` are kept in by a table of the database
    (`-- stored order: …` in its file), or None."""
    if view not in staging_views(catalog):  # a table the caller registered under a name of its own
        return None
    found = _STORED_ORDER.search(source(catalog, f"{STAGING}/{view}"))
    return found.group(1) if found else None


def _in_stored_order(catalog: Path, name: str, text: str) -> tuple[str | None, str | None]:
    """(the view, `text` without its closing `order by`) for a query whose file says `-- in stored order of:
    view`, else (None, None). A closing order other than the view's stored order is an error in the files."""
    declared = _IN_STORED_ORDER.search(source(catalog, name))
    if declared is None:
        return None, None
    view = declared.group(1)
    order = stored_order(catalog, view)
    closing = re.search(rf"\border by {re.escape(order)}\s*\Z", text) if order else None
    if closing is None:
        raise ValueError(f"查询 {name} 声明按 {view} 的存储顺序列出，却不以 order by {order} 结尾")
    return view, text[:closing.start()].rstrip()


def parameters(text: str) -> frozenset[str]:
    return frozenset(_PARAMETER.findall(_COMMENT.sub("", text)))


@cache
def resolve(catalog: Path, name: str, materialise: bool = True, provided: frozenset[str] = frozenset(),
            cut_offs: bool = False, shared_books: bool = False) -> Text:
    """`name` with the staging views it reads inline as CTEs in front of its own: the ordinary ones,
    and (`cut_offs`, see the module's docstring) the cut-off or the book ones; with `materialise`
    false, every one (a query run once, whose result streams out, gains nothing from keeping them).
    A view in `provided` is a table the session was given (`Session.provide`, e.g. the subsidy items
    shared per data version): read by its name, not recomputed. With `shared_books` (the process
    shares its books) an ordinary session reads a cut-off off its book too, the book being a table."""
    text = source(catalog, name)
    # a process sharing its books (`scoring.shared.books`) has them as tables: materialised, read from those
    kinds = _MATERIALISED[cut_offs] | ({"book"} if shared_books else set())
    inline, materialised = _reads(catalog, text, tuple(sorted(provided)), kinds if materialise else frozenset())
    views = staging_views(catalog)
    books = frozenset(view for view in (*inline, *materialised) if views[view] == "book").union(
        *(resolve(catalog, f"{STAGING}/{view}", cut_offs=cut_offs, shared_books=shared_books).books
          for view in materialised))
    ctes = ",\n".join(f"{view} as (\n{source(catalog, f'{STAGING}/{view}')}\n)" for view in inline)
    if ctes:
        leading = _LEADING_WITH.match(text)
        text = (f"{text[:leading.end()]} {ctes},\n{text[leading.end():]}" if leading
                else f"with {ctes}\n{text}")
    return Text(text, parameters(text), tuple(materialised), books, *_in_stored_order(catalog, name, text))


def _reads(catalog: Path, text: str, seen: tuple[str, ...], materialise: frozenset[str]) -> tuple[list[str], list[str]]:
    """The staging views `text` reads, directly or through others, each before its readers:
    (inline ones, materialised ones: those of the kinds `materialise`)."""
    inline: list[str] = []
    materialised: list[str] = []
    views = staging_views(catalog)
    body = _COMMENT.sub("", text)
    for view in views:
        if view in seen or not re.search(rf"\b{view}\b", body):  # `seen` starts with the provided views
            continue
        if views[view] in materialise:
            materialised.append(view)  # built from its own text, with its own staging views
            continue
        inner, inner_materialised = _reads(catalog, source(catalog, f"{STAGING}/{view}"), (*seen, view), materialise)
        inline += [v for v in inner if v not in inline]
        materialised += [v for v in inner_materialised if v not in materialised]
        if view not in inline:
            inline.append(view)
    return inline, materialised
