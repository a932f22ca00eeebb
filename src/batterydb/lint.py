"""Static checks of the named queries, so that a broken query is never found first by a user.

Each query is parsed with sqlglot in DuckDB's dialect and qualified against
the schema built from ``schema/`` (every table and column it names must
exist), its ``$parameters`` are compared with the declared ones, and it is
bound (not run) by DuckDB against an empty copy of the schema, which catches
what only DuckDB knows (functions, macros, types) and gives the result
columns to compare with those the header declares.

Then the layout (``LAYOUT``): every query is written one way, so that a
reader who knows one knows them all and a diff shows what changed, not how
it was typed. Casts are ``CAST(x AS type)``, a SELECT of several columns
has one a line, every column names its table's alias, and the final SELECT
after a WITH stands apart from the CTEs. The layout is read from sqlglot's
tokens and parse tree, so that strings and comments never count; only the
blank line, which sqlglot does not keep, is read from the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError, ParseError
from sqlglot.optimizer.qualify import qualify
from sqlglot.tokens import Token, TokenType

from . import catalogue, paths, schema
from .catalogue import NamedQuery
from .params import default
from .errors import Problem, first_line


def _problem(file: str, line: int, message: str) -> Problem:
    return Problem(file, line, None, message, rule="lint")


def schema_mapping(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Tables and their column types, as sqlglot's optimizer wants them."""
    mapping: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index"
    ).fetchall():
        mapping.setdefault(table, {})[column] = data_type
    return mapping


def lint(queries_dir: Path | str | None = None, schema_dir: Path | str | None = None) -> list[Problem]:
    """Every problem in every query of the folder, in file and line order."""
    queries = catalogue.load(queries_dir)
    with duckdb.connect() as con:
        schema.apply(con, paths.schema_dir(schema_dir))
        mapping = schema_mapping(con)
        problems = []
        for query in queries.values():
            problems += lint_query(con, query, mapping)
    return sorted(problems, key=lambda p: (p.file, p.line))


@dataclass(frozen=True)
class QueryText:
    """A query's text as the checks read it: its file, its tokens, and the line of any offset in it."""

    file: str
    query: NamedQuery
    tokens: list[Token]
    line_starts: list[int]  # the offset at which each line begins

    @classmethod
    def of(cls, query: NamedQuery) -> QueryText:
        starts = [0] + [i + 1 for i, char in enumerate(query.sql) if char == "\n"]
        return cls(str(query.path), query, sqlglot.tokenize(query.sql, read="duckdb"), starts)

    def line(self, offset: int) -> int:
        """The line (from 1) of an offset in the text: sqlglot's own count drifts after a $."""
        return bisect_right(self.line_starts, offset)

    def line_text(self, line: int) -> str:
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.query.sql)
        return self.query.sql[self.line_starts[line - 1]:end]

    def node_line(self, node: exp.Expression) -> int:
        """The line of a node of the tree, from where it or its first part starts; 1 when unknown."""
        for candidate in (node, node.this if isinstance(node.this, exp.Expression) else None):
            if candidate is not None and "start" in candidate.meta:
                return self.line(candidate.meta["start"])
        return 1


def lint_query(con: duckdb.DuckDBPyConnection, query: NamedQuery,
               mapping: dict[str, dict[str, str]]) -> list[Problem]:
    file = str(query.path)
    problems = [_problem(file, line, message) for line, message in query.problems]
    try:
        statements = [s for s in sqlglot.parse(query.sql, read="duckdb") if s is not None]
    except ParseError as exc:
        error = exc.errors[0] if exc.errors else {}
        return problems + [_problem(file, error.get("line") or 1,
                                       f"does not parse as DuckDB SQL: {error.get('description', exc)}")]
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        return problems + [_problem(file, 1, "a named query must be exactly one SELECT statement "
                                                "(WITH ... SELECT and UNION allowed)")]
    tree = statements[0]
    text = QueryText.of(query)
    problems += _check_parameters(text, tree)
    problems += _check_names(text, tree, mapping)
    if len(problems) == len(query.problems):  # the SQL itself is sound: bind it, whatever the header lacks
        problems += _check_binding(con, file, query)
    for check in LAYOUT:
        problems += check(text, tree)
    return problems


def _check_parameters(text: QueryText, tree: exp.Expression) -> list[Problem]:
    file, query, tokens = text.file, text.query, text.tokens
    problems = []
    used: dict[str, int] = {}
    for i, token in enumerate(tokens):
        line = text.line(token.start)
        if token.token_type == TokenType.PLACEHOLDER:
            problems.append(_problem(file, line, "use named parameters ($name), not ?"))
        elif token.token_type == TokenType.PARAMETER and i + 1 < len(tokens):
            name = tokens[i + 1].text
            if name.isdigit():
                problems.append(_problem(file, line, f"use named parameters ($name), not ${name}"))
            else:
                used.setdefault(name, line)
    declared = {p.name: p for p in query.params}
    for name, line in sorted(used.items(), key=lambda kv: kv[1]):
        if name not in declared:
            problems.append(_problem(file, line, f"parameter ${name} is used but not declared in the header"))
    for name, p in declared.items():
        if name not in used:
            problems.append(_problem(file, p.line, f"parameter ${name} is declared but never used"))
    for column in tree.find_all(exp.Column):
        if not column.table and column.name in declared:
            problems.append(_problem(
                file, text.node_line(column),
                f"column {column.name} shares its name with parameter ${column.name}; qualify it "
                f"(e.g. t.{column.name}) so that the analytics.{query.name} macro reads it as the column"))
    return problems


def _check_names(text: QueryText, tree: exp.Expression, mapping: dict[str, dict[str, str]]) -> list[Problem]:
    """Tables and columns that the schema does not have, found by qualifying the query."""
    file = text.file
    problems = []
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        plain = isinstance(table.this, exp.Identifier) and table.db in ("", "main")
        if plain and table.name not in mapping and table.name not in ctes:
            problems.append(_problem(file, text.node_line(table), f"unknown table {table.name}"))
    if problems:
        return problems
    try:
        qualify(tree.copy(), schema=mapping, dialect="duckdb", validate_qualify_columns=True,
                quote_identifiers=False)
    except OptimizeError as exc:
        message = str(exc).split(". Line:")[0]
        line = 1
        for column in tree.find_all(exp.Column):
            if f"'{column.name}'" in message or f" {column.name}" in message:
                line = text.node_line(column)
                break
        problems.append(_problem(file, line, f"refers to a column the schema does not have: {message}"))
    return problems


def _check_binding(con: duckdb.DuckDBPyConnection, file: str, query: NamedQuery) -> list[Problem]:
    """Bind the query in DuckDB against the empty schema; compare declared result columns."""
    params = {p.name: (default(con, p) if not p.required else None) for p in query.params}
    body = query.sql.strip().rstrip(";")
    try:
        rel = con.sql(f"SELECT * FROM ({body}\n) LIMIT 0", params=params or None)
        actual = list(zip(rel.columns, (str(t) for t in rel.types)))
    except duckdb.Error as exc:
        message = first_line(exc)
        match = re.search(r'name "?(\w+)"? does not exist|"(\w+)"', message)
        word = next((g for g in match.groups() if g), None) if match else None
        return [_problem(file, _line_of(query.sql, word), "DuckDB cannot bind the query: " + message)]
    if query.columns is not None and list(query.columns) != actual:
        declared = ", ".join(f"{n} {t}" for n, t in query.columns)
        shown = ", ".join(f"{n} {t}" for n, t in actual)
        return [_problem(file, 1, f"declared result columns ({declared}) differ from what the query "
                                        f"returns ({shown})")]
    return []


def _line_of(text: str, word: str | None) -> int:
    """Line of the first use of ``word`` outside the comment header, else 1."""
    if word:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.startswith("--") and re.search(rf"\b{re.escape(word)}\b", line):
                return number
    return 1


# The layout every query is written in, one check a rule. Each is given the query's tokens and tree.

def _check_casts(text: QueryText, tree: exp.Expression) -> list[Problem]:
    """Casts are ``CAST(x AS type)``: the standard form, which every engine and reader knows, and one
    form only, so that a search for casts finds them all; ``x::type`` is PostgreSQL's and DuckDB's own."""
    return [_problem(text.file, text.line(token.start), "write casts as CAST(x AS type), not x::type")
            for token in text.tokens if token.token_type == TokenType.DCOLON]


def _check_one_column_a_line(text: QueryText, tree: exp.Expression) -> list[Problem]:
    """A SELECT of more than one column has each on a line of its own, below SELECT, so that the columns
    are read down the page and a change to one is a change to one line; a single column may stay on
    the SELECT line (``SELECT count(*) AS n``)."""
    problems = []
    for select in _select_lists(text.tokens):
        if len(select.items) < 2:
            continue
        above = text.line(select.keyword.end)  # the last line taken by SELECT or the item before
        for first, last in select.items:
            if text.line(first.start) <= above:
                problems.append(_problem(text.file, text.line(first.start),
                                         "put each column of a SELECT on a line of its own, below SELECT"))
                break
            above = text.line(last.end)
    return problems


def _check_qualified_columns(text: QueryText, tree: exp.Expression) -> list[Problem]:
    """Every column names its table or alias (``o.name``, not ``name``), so that a reader need not know
    the schema to tell where a column comes from, and a column added to a table later cannot make a
    name ambiguous. Bare names are left where no table has them: an output column named in ORDER BY
    (or GROUP BY, HAVING or QUALIFY, where DuckDB takes output names too). Lambda parameters, struct
    fields, ``$parameters`` and the names in USING are not columns in sqlglot's tree. A bare column
    named like a parameter is left to the parameter check, which tells what the macro would read."""
    declared = {p.name for p in text.query.params}
    return [_problem(text.file, text.node_line(column),
                     f"column {column.name} is not qualified with its table's alias")
            for column in tree.find_all(exp.Column)
            if not column.table and column.name not in declared and not _names_an_output_column(column)]


def _check_blank_line_before_final_select(text: QueryText, tree: exp.Expression) -> list[Problem]:
    """In a query with a WITH clause, a blank line sets the final SELECT apart from the last CTE (a
    comment may come between them, below the blank line), so that what the query returns is found
    at a glance."""
    if not text.tokens or text.tokens[0].token_type != TokenType.WITH:
        return []
    depth = 0
    for token in text.tokens:
        if token.token_type in _CLOSING:
            depth -= 1
        elif token.token_type == TokenType.SELECT and depth == 0:
            line = text.line(token.start)
            before = text.query.sql[text.line_starts[line - 1]:token.start]
            above = line - 1
            while above > 1 and text.line_text(above).lstrip().startswith("--"):
                above -= 1
            if before.strip() or text.line_text(above).strip():
                return [_problem(text.file, line, "leave a blank line before the final SELECT")]
            return []
        if token.token_type in _OPENING:
            depth += 1
    return []


#: The layout checks, in the order README's paragraph on lint gives the rules.
LAYOUT = (_check_casts, _check_one_column_a_line, _check_qualified_columns, _check_blank_line_before_final_select)

_OPENING = {TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE}
_CLOSING = {TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE}
#: What ends a select list at its own depth of brackets: the next clause, a set operation, the statement's end.
_AFTER_SELECT_LIST = {TokenType.FROM, TokenType.WHERE, TokenType.GROUP_BY, TokenType.HAVING, TokenType.WINDOW,
                      TokenType.QUALIFY, TokenType.ORDER_BY, TokenType.LIMIT, TokenType.OFFSET, TokenType.FETCH,
                      TokenType.UNION, TokenType.INTERSECT, TokenType.EXCEPT, TokenType.INTO, TokenType.SEMICOLON}
#: What may come between SELECT and its first item: DISTINCT, ALL, DISTINCT ON's ON and the ) after it.
_SELECT_MODIFIERS = {TokenType.DISTINCT, TokenType.ALL, TokenType.ON, TokenType.R_PAREN}
#: The clauses in which DuckDB takes a name of the select list as well as a column of a table.
_OUTPUT_NAME_CLAUSES = {"order", "group", "having", "qualify"}


@dataclass
class _SelectList:
    keyword: Token  # the SELECT
    depth: int  # how many brackets are open around it
    items: list[tuple[Token, Token]]  # the first and last token of each item
    starting: bool = True  # the next token at its depth starts an item


def _select_lists(tokens: list[Token]) -> list[_SelectList]:
    """Every select list, from the tokens: the tree does not keep where its nodes are.

    A select list runs from SELECT (and DISTINCT, DISTINCT ON (...) or ALL) to the next clause at the
    same depth of brackets, or to the bracket that closes around it; its items are split by the commas
    at that depth. What else has commas or FROM is in brackets (arguments, subqueries,
    ``extract(year FROM d)``), but for ``IS DISTINCT FROM``.
    """
    found: list[_SelectList] = []
    reading: list[_SelectList] = []  # the lists not yet ended, innermost last
    depth = 0
    previous: Token | None = None
    for token in tokens:
        kind = token.token_type
        if kind in _CLOSING:
            depth -= 1
            while reading and reading[-1].depth > depth:
                reading.pop()
        current = reading[-1] if reading and reading[-1].depth == depth else None
        if current is None:
            pass
        elif kind in _AFTER_SELECT_LIST and not (kind == TokenType.FROM and previous.token_type == TokenType.DISTINCT):
            reading.pop()
        elif kind == TokenType.COMMA:
            current.starting = True
        elif not current.starting:
            current.items[-1] = (current.items[-1][0], token)
        elif not current.items and (kind in _SELECT_MODIFIERS or kind == TokenType.L_PAREN
                                    and previous.token_type == TokenType.ON):
            pass  # DISTINCT, ALL or DISTINCT ON (...), before the first item
        else:
            current.items.append((token, token))
            current.starting = False
        if kind == TokenType.SELECT:
            found.append(_SelectList(token, depth, []))
            reading.append(found[-1])
        elif kind in _OPENING:
            depth += 1
        previous = token
    return found


def _names_an_output_column(column: exp.Column) -> bool:
    """Whether a bare name is a name of its query's output, in a clause where DuckDB reads it so: an
    alias in the SELECT's list (``ORDER BY n`` after ``count(*) AS n``), or any output column of a
    UNION (whose ORDER BY has no table to name)."""
    child, node = column, column.parent
    while node is not None and not isinstance(node, (exp.Select, exp.SetOperation)):
        child, node = node, node.parent
    if node is None or child.arg_key not in _OUTPUT_NAME_CLAUSES:
        return False
    if isinstance(node, exp.Select):
        return column.name in {e.alias for e in node.expressions if isinstance(e, exp.Alias)}
    return column.name in node.named_selects
