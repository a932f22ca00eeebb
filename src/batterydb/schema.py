"""Applying the DDL in ``schema/`` and reading back what it declared.

The DDL files are the single description of the tables: the loader, the
tests and the documentation all ask DuckDB's catalog what the tables,
columns and foreign keys are, rather than keeping a second list in Python.

A built database file lists its foreign keys in ``meta.foreign_keys``
rather than declaring them to DuckDB (see ``LoadingDdl``);
``foreign_keys`` reads whichever the connection has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb

from .errors import SchemaError
from .sqltext import q


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    default: str | None
    nullable: bool


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    references: frozenset[str]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def ddl_files(schema_dir: Path) -> list[Path]:
    """The DDL files, in the order they are applied: by file name."""
    files = sorted(Path(schema_dir).glob("*.sql"))
    if not files:
        raise SchemaError(f"{schema_dir}: no .sql files found; expected the DDL that defines the tables")
    return files


def apply(con: duckdb.DuckDBPyConnection, schema_dir: Path, comments: bool = True) -> None:
    """Run every DDL file against ``con``; without ``comments``, leave out the COMMENT statements.

    A build checks the seeds against a catalog of its own, which no one
    reads the comments of: they are two thirds of the DDL's cost.
    """
    for path in ddl_files(schema_dir):
        try:
            if comments:
                con.execute(path.read_text(encoding="utf-8"))
            else:
                con.execute("\n".join(s.query + ";" for s in con.extract_statements(path.read_text(encoding="utf-8"))
                                      if not _COMMENT.match(s.query)))
        except duckdb.Error as exc:
            raise SchemaError(f"{path}: {exc}") from None


#: A COMMENT statement, after the comments before it.
_COMMENT = re.compile(r"\s*(--[^\n]*\n\s*)*COMMENT\b", flags=re.I)


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, Table]:
    """The user tables of schema ``main``, keyed by name."""
    cols: dict[str, list[Column]] = {}
    for table, name, data_type, default, nullable in con.execute(
        """
        SELECT c.table_name, c.column_name, c.data_type, c.column_default, c.is_nullable
        FROM duckdb_columns() AS c
        JOIN duckdb_tables() AS t USING (database_name, schema_name, table_name)
        WHERE c.database_name = current_database() AND c.schema_name = 'main' AND NOT c.internal
        ORDER BY c.table_name, c.column_index
        """
    ).fetchall():
        cols.setdefault(table, []).append(Column(name, data_type, default, nullable))
    refs: dict[str, set[str]] = {name: set() for name in cols}
    for table, _, referenced, _ in foreign_keys(con):
        if referenced != table and table in refs:
            refs[table].add(referenced)
    return {
        name: Table(name, tuple(columns), frozenset(refs[name]))
        for name, columns in cols.items()
    }


META_FOREIGN_KEYS = "meta.foreign_keys"


def foreign_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[str, list[str], str, list[str]]]:
    """(table, columns, referenced table, referenced columns) of every foreign key of ``main``.

    Read from DuckDB's catalog, or, in a built database, from ``meta.foreign_keys``.
    """
    listed = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'meta' AND table_name = 'foreign_keys'").fetchall()[0][0]
    source = f"SELECT * FROM {META_FOREIGN_KEYS}" if listed else _DECLARED_FOREIGN_KEYS
    return [tuple(row) for row in con.execute(f"SELECT * FROM ({source}) ORDER BY ALL").fetchall()]


_DECLARED_FOREIGN_KEYS = """
    SELECT table_name, constraint_column_names AS column_names,
           referenced_table, referenced_column_names
    FROM duckdb_constraints()
    WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type = 'FOREIGN KEY'
"""

def list_foreign_keys(con: duckdb.DuckDBPyConnection, declared: str) -> None:
    """Write the foreign keys declared in database ``declared`` into ``meta.foreign_keys`` of the current one."""
    con.execute(f"""
        CREATE SCHEMA IF NOT EXISTS meta;
        CREATE TABLE {META_FOREIGN_KEYS} (
            table_name              VARCHAR NOT NULL,
            column_names            VARCHAR[] NOT NULL,
            referenced_table        VARCHAR NOT NULL,
            referenced_column_names VARCHAR[] NOT NULL
        );
        COMMENT ON TABLE {META_FOREIGN_KEYS} IS 'Every reference between the tables, as the DDL declares it. batterydb checked each one when it built this file.';
        COMMENT ON COLUMN {META_FOREIGN_KEYS}.table_name IS 'The referencing table.';
        COMMENT ON COLUMN {META_FOREIGN_KEYS}.column_names IS 'Its columns; a row''s values there, unless NULL, are a row of the referenced table.';
        COMMENT ON COLUMN {META_FOREIGN_KEYS}.referenced_table IS 'The table referred to.';
        COMMENT ON COLUMN {META_FOREIGN_KEYS}.referenced_column_names IS 'Its key columns, in the same order.';
    """)
    con.execute(f"INSERT INTO {META_FOREIGN_KEYS} "
                + _DECLARED_FOREIGN_KEYS.replace("current_database()", "$declared"), {"declared": declared})


@dataclass(frozen=True)
class LoadingDdl:
    """The DDL as a build runs it: ``script`` creates the tables without keys, ``keys`` adds them after the load.

    DuckDB checks a declared foreign key row by row as each row is
    inserted, through an index it builds on the referencing column: on a
    large seed folder that made loading four times slower. A build has
    already checked every reference, and reported each bad one with its
    file and line, so the built file lists its references in
    ``meta.foreign_keys`` instead of declaring them. A primary or unique
    key's index is built in about half the time in one go after the load
    than row by row during it. NOT NULL, defaults, CHECK rules, comments and
    every other statement stay as the DDL wrote them.
    """

    script: str
    keys: dict[str, list[str]]  # by table: the statements adding its primary and unique keys


def statements(schema_dir: Path) -> list[tuple[Path, str]]:
    """Every statement of the DDL files, as DuckDB's parser splits them, with its file."""
    splitter = duckdb.connect()
    found = []
    for path in ddl_files(schema_dir):
        try:
            found += [(path, s.query) for s in splitter.extract_statements(path.read_text(encoding="utf-8"))]
        except duckdb.Error as exc:
            raise SchemaError(f"{path}: {exc}") from None
    return found


def loading_ddl(schema_dir: Path, declare_foreign_keys: bool = False) -> LoadingDdl:
    """The DDL of ``schema_dir`` rewritten for loading (see ``LoadingDdl``).

    Each CREATE TABLE is read with sqlglot: its syntax tree says which
    primary, unique and foreign keys it declares, and its tokens where they
    are written, so that they are cut out of the text and the rest of the
    statement stays exactly as written (sqlglot would write some CHECK
    rules back in another form). With ``declare_foreign_keys`` the DDL is
    run as written, keys and all, for tools that draw diagrams from DuckDB's
    catalog (a declared foreign key needs its table's key in place).
    """
    import sqlglot  # here, not at the top: opening a built database should not pay for importing it
    from sqlglot import exp

    script: list[str] = []
    keys: dict[str, list[str]] = {}
    for path, statement in statements(schema_dir):
        if declare_foreign_keys or not _CREATE_TABLE.match(statement):
            script.append(statement.strip() + ";")
            continue
        try:
            tree = sqlglot.parse_one(statement, read="duckdb")
            tokens = sqlglot.tokenize(statement, read="duckdb")
        except sqlglot.errors.SqlglotError as exc:
            raise SchemaError(f"{path}: sqlglot cannot read this statement: {str(exc).splitlines()[0]}") from None
        table, added = tree.this.this.name, []
        for definition in tree.this.expressions:
            if isinstance(definition, exp.ColumnDef):
                added += [(_key_word(c.kind), [definition.name]) for c in definition.constraints
                          if isinstance(c.kind, (exp.PrimaryKeyColumnConstraint, exp.UniqueColumnConstraint))]
            elif isinstance(definition, exp.PrimaryKey):
                added.append(("PRIMARY KEY", [c.name for c in definition.expressions]))
            elif isinstance(definition, exp.UniqueColumnConstraint):
                added.append(("UNIQUE", [c.name for c in definition.this.expressions]))
        cuts = _key_spans(tokens)
        if len(cuts.keys) != len(added):
            raise SchemaError(f"{path}: cannot find the {len(added)} keys of table {table} in its text; "
                              "declare each as PRIMARY KEY or UNIQUE on a column or as a table constraint")
        text = statement
        for start, end in sorted(cuts.spans, reverse=True):
            text = text[:start] + text[end:]
        keys[table] = [f"ALTER TABLE {q(table)} ADD {word} ({', '.join(q(c) for c in columns)});"
                       for word, columns in added]
        script.append(text.strip() + ";")
    return LoadingDdl("\n".join(script), keys)


@dataclass(frozen=True)
class _Cuts:
    spans: list[tuple[int, int]]  # character ranges to remove
    keys: list[str]               # the primary and unique keys among them, in order


def _key_spans(tokens: list) -> _Cuts:
    """Where a CREATE TABLE's keys are written: a column's PRIMARY KEY, UNIQUE and REFERENCES ...,
    and the table's PRIMARY KEY (...), UNIQUE (...) and FOREIGN KEY (...) REFERENCES ... with their comma."""
    from sqlglot.tokens import TokenType

    spans, keys = [], []
    depth, element, elements = 0, [], []
    for i, token in enumerate(tokens):  # the column and constraint definitions, split at their commas
        if token.token_type == TokenType.L_PAREN:
            depth += 1
            if depth == 1:
                continue
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                elements.append(element)
                break
        if depth == 1 and token.token_type == TokenType.COMMA:
            elements.append(element)
            element = []
        elif depth >= 1:
            element.append(i)
    for n, element in enumerate(elements):
        first = tokens[element[0]]
        if first.token_type in (TokenType.PRIMARY_KEY, TokenType.UNIQUE, TokenType.FOREIGN_KEY):
            if first.token_type != TokenType.FOREIGN_KEY:
                keys.append(first.text)
            before = tokens[elements[n - 1][-1]].end + 1 if n else first.start  # from the end of the previous one
            after = tokens[element[-1]].end + 1
            if not n:  # the first definition: take the comma after it instead
                after = tokens[elements[1][0]].start if len(elements) > 1 else after
            spans.append((before, after))
            continue
        level, j = 0, 0
        while j < len(element):
            token = tokens[element[j]]
            level += (token.token_type == TokenType.L_PAREN) - (token.token_type == TokenType.R_PAREN)
            if level == 0 and token.token_type in (TokenType.PRIMARY_KEY, TokenType.UNIQUE):
                keys.append(token.text)
                spans.append((_space_before(tokens, element, j), token.end + 1))
            elif level == 0 and token.token_type == TokenType.REFERENCES:
                k = j + 1
                while k < len(element) and tokens[element[k]].token_type in (TokenType.VAR, TokenType.DOT):
                    k += 1
                if k < len(element) and tokens[element[k]].token_type == TokenType.L_PAREN:
                    while tokens[element[k]].token_type != TokenType.R_PAREN:
                        k += 1
                    k += 1
                spans.append((_space_before(tokens, element, j), tokens[element[k - 1]].end + 1))
                j = k - 1
            j += 1
    return _Cuts(spans, keys)


def _space_before(tokens: list, element: list[int], j: int) -> int:
    """Where the space before token ``element[j]`` starts: right after the token before it."""
    return tokens[element[j - 1]].end + 1 if j else tokens[element[j]].start


#: A statement that creates a table, after the comments before it.
_CREATE_TABLE = re.compile(r"\s*(--[^\n]*\n\s*)*CREATE\s+TABLE\b", flags=re.I)


def _key_word(node) -> str:
    return "PRIMARY KEY" if "Primary" in type(node).__name__ else "UNIQUE"


def load_order(all_tables: dict[str, Table]) -> list[Table]:
    """Tables ordered so that every table comes after the tables it references."""
    graph = {name: t.references for name, t in sorted(all_tables.items())}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise SchemaError(f"foreign keys form a cycle between tables {exc.args[1]}; no load order exists") from None
    return [all_tables[name] for name in order]
