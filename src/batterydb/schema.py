"""Applying the DDL in ``schema/`` and reading back what it declared.

The DDL files are the single description of the tables: the loader, the
tests and the documentation all ask DuckDB's catalog what the tables,
columns and foreign keys are, rather than keeping a second list in Python.

DuckDB keeps no name for a CHECK constraint, so each table-level CHECK is
written ``CONSTRAINT name CHECK (...)`` below a comment ``-- on column:
message`` (``named_checks``); ``apply`` keeps those in the temporary table
``check_messages`` beside the catalog, where the seed checks find them.

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
    con.execute("CREATE OR REPLACE TEMP TABLE check_messages "
                "(table_name VARCHAR, position INTEGER, name VARCHAR, column_name VARCHAR, message VARCHAR)")
    for path in ddl_files(schema_dir):
        text = path.read_text(encoding="utf-8")
        declared = named_checks(path, text)
        if declared:
            con.executemany("INSERT INTO check_messages VALUES (?, ?, ?, ?, ?)",
                            [(c.table, c.position, c.name, c.column, c.message) for c in declared])
        try:
            if comments:
                con.execute(text)
            else:
                con.execute("\n".join(s.query + ";" for s in con.extract_statements(text)
                                      if not _COMMENT.match(s.query)))
        except duckdb.Error as exc:
            raise SchemaError(f"{path}: {exc}") from None


@dataclass(frozen=True)
class NamedCheck:
    """A table-level CHECK as the DDL names it, with the message a seed row breaking it gets.

    ``position`` is its place among the table's CHECKs, column CHECKs
    included, counted from 1: the order DuckDB lists them in. ``message``
    is text in which ``{column}`` stands for the row's value (numbers as
    ``number_text`` shows them) and ``{column:format}`` for a date in
    strftime's format; ``column`` is the column the problem points at.
    """

    table: str
    position: int
    name: str
    column: str
    message: str


_ON_COLUMN = re.compile(r"^\s*on (\w+): (.*\S)\s*$")


def named_checks(path: Path, text: str) -> list[NamedCheck]:
    """The named CHECKs of the CREATE TABLE statements in ``text``; a table CHECK without name or message is refused.

    Read from sqlglot's tokens, which keep the comment above a token with
    it: a CHECK right after ``(`` or ``,`` of a table's list stands for
    itself (a column's CHECK follows its type).
    """
    from sqlglot.dialects.duckdb import DuckDB
    from sqlglot.tokens import TokenType

    found, table, position, depth = [], None, 0, 0
    tokens = DuckDB().tokenize(text)
    for i, token in enumerate(tokens):
        if token.token_type == TokenType.TABLE and i and tokens[i - 1].token_type == TokenType.CREATE:
            table, position, depth = tokens[i + 1].text, 0, 0
        elif token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif token.token_type == TokenType.SEMICOLON:
            table = None
        elif table and token.text.upper() == "CHECK" and tokens[i + 1].token_type == TokenType.L_PAREN:
            position += 1
            named = i >= 2 and tokens[i - 2].token_type == TokenType.CONSTRAINT
            if not named and (depth != 1 or tokens[i - 1].token_type not in (TokenType.COMMA, TokenType.L_PAREN)):
                continue  # a column's CHECK: its message follows from its form
            comment = tokens[i - 2].comments[-1] if named and tokens[i - 2].comments else ""
            message = _ON_COLUMN.match(comment)
            if not named or message is None:
                raise SchemaError(f"{path}:{token.line}: CHECK of table {table} needs a name and a message: write "
                                  "-- on <column>: <message> on the line above CONSTRAINT <name> CHECK (...)")
            found.append(NamedCheck(table, position, tokens[i - 1].text, message[1], message[2]))
    return found


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
    """Write the foreign keys declared in database ``declared`` into ``meta.foreign_keys`` (meta.sql) of the current one."""
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
    """Every statement of the DDL files, with its file, each without its closing semicolon.

    DuckDB's parser checks each file. The text of each statement is cut at
    the semicolons of DuckDB's tokenizer, whose positions count bytes:
    ``extract_statements`` also gives each statement's text, but past a
    non-ASCII character its cuts drift by the character's extra bytes.
    """
    splitter = duckdb.connect()
    found = []
    for path in ddl_files(schema_dir):
        text = path.read_text(encoding="utf-8")
        try:
            parsed = splitter.extract_statements(text)
        except duckdb.Error as exc:
            raise SchemaError(f"{path}: {exc}") from None
        pieces = _split(text)
        if len(pieces) != len(parsed):
            raise SchemaError(f"{path}: DuckDB reads {len(parsed)} statements here, but finds {len(pieces)} "
                              "semicolons between them; write each statement once, ended by a semicolon")
        found += [(path, piece) for piece in pieces]
    return found


def _split(text: str) -> list[str]:
    """The statements of ``text``, cut at each semicolon token; comments with no statement after them go."""
    data = text.encode("utf-8")
    tokens = duckdb.tokenize(text)
    pieces, start, seen = [], 0, False
    for position, kind in tokens:
        if kind.name == "operator" and data[position:position + 1] == b";":
            if seen:  # an empty statement (;;) is none, as for DuckDB
                pieces.append(data[start:position].decode("utf-8"))
            start, seen = position + 1, False
        elif kind.name != "comment":
            seen = True
    if seen:
        pieces.append(data[start:].decode("utf-8"))
    return pieces


def loading_ddl(schema_dir: Path, declare_foreign_keys: bool = False) -> LoadingDdl:
    """The DDL of ``schema_dir`` rewritten for loading (see ``LoadingDdl``).

    Each CREATE TABLE is split into tokens by DuckDB's own tokenizer: they
    say where its primary, unique and foreign keys are written, so that they
    are cut out of the text and the rest of the statement stays exactly as
    written (a printer would write some CHECK rules back in another form).
    With ``declare_foreign_keys`` the DDL is run as written, keys and all,
    for tools that draw diagrams from DuckDB's catalog (a declared foreign
    key needs its table's key in place).
    """
    script: list[str] = []
    keys: dict[str, list[str]] = {}
    for path, statement in statements(schema_dir):
        if declare_foreign_keys or not _CREATE_TABLE.match(statement):
            script.append(statement.strip() + ";")
            continue
        text = statement.encode("utf-8")  # DuckDB's token positions count bytes
        tokens = _tokens(text)
        words = [t.word() for t in tokens]
        named = words.index("TABLE") + 1 + 3 * (words[words.index("TABLE") + 1:][:3] == ["IF", "NOT", "EXISTS"])
        table = _identifier(tokens[named].text)
        cuts = _key_spans(tokens)
        for start, end in sorted(cuts.spans, reverse=True):
            text = text[:start] + text[end:]
        keys[table] = [f"ALTER TABLE {q(table)} ADD {word} ({', '.join(q(c) for c in columns)});"
                       for word, columns in cuts.keys]
        script.append(text.decode("utf-8").strip() + ";")
    return LoadingDdl("\n".join(script), keys)


@dataclass(frozen=True)
class _Token:
    start: int  # byte offsets into the statement
    end: int
    kind: str   # DuckDB's token type: keyword, identifier, operator, numeric_const, string_const, comment
    text: str

    def word(self) -> str:
        return self.text.upper() if self.kind == "keyword" else ""


def _tokens(text: bytes) -> list[_Token]:
    """A statement's tokens: DuckDB gives each one's start, and it ends where the text before the next one does."""
    found = duckdb.tokenize(text.decode("utf-8"))
    starts = [start for start, _ in found] + [len(text)]
    tokens = []
    for (start, kind), following in zip(found, starts[1:]):
        piece = text[start:following].rstrip()
        tokens.append(_Token(start, start + len(piece), kind.name, piece.decode("utf-8")))
    return [t for t in tokens if t.kind != "comment"]


def _identifier(text: str) -> str:
    return text[1:-1].replace('""', '"') if text.startswith('"') else text


@dataclass(frozen=True)
class _Cuts:
    spans: list[tuple[int, int]]            # byte ranges to remove
    keys: list[tuple[str, list[str]]]       # the primary and unique keys among them: word and columns, in order


def _key_spans(tokens: list[_Token]) -> _Cuts:
    """Where a CREATE TABLE's keys are written: a column's PRIMARY KEY, UNIQUE and REFERENCES ...,
    and the table's PRIMARY KEY (...), UNIQUE (...) and FOREIGN KEY (...) REFERENCES ... with their comma."""
    spans, keys = [], []
    depth, element, elements = 0, [], []
    for token in tokens:  # the column and constraint definitions, split at their commas
        if token.text == "(":
            depth += 1
            if depth == 1:
                continue
        elif token.text == ")":
            depth -= 1
            if depth == 0:
                elements.append(element)
                break
        if depth == 1 and token.text == ",":
            elements.append(element)
            element = []
        elif depth >= 1:
            element.append(token)
    for n, element in enumerate(elements):
        first = element[0]
        if first.word() in ("PRIMARY", "UNIQUE", "FOREIGN"):
            if first.word() != "FOREIGN":
                inside = element[element.index(next(t for t in element if t.text == "(")) + 1:]
                columns = [_identifier(t.text) for t in inside[:inside.index(next(t for t in inside if t.text == ")"))]
                           if t.kind != "operator"]  # a column may be named by a keyword (alias, role)
                keys.append(("PRIMARY KEY" if first.word() == "PRIMARY" else "UNIQUE", columns))
            before = elements[n - 1][-1].end if n else first.start  # from the end of the previous one
            after = element[-1].end
            if not n:  # the first definition: take the comma after it instead
                after = elements[1][0].start if len(elements) > 1 else after
            spans.append((before, after))
            continue
        level, j = 0, 0
        while j < len(element):
            token = element[j]
            level += (token.text == "(") - (token.text == ")")
            if level == 0 and token.word() in ("PRIMARY", "UNIQUE"):
                last = element[j + 1] if token.word() == "PRIMARY" else token  # PRIMARY KEY is two tokens
                keys.append(("PRIMARY KEY" if token.word() == "PRIMARY" else "UNIQUE", [_identifier(first.text)]))
                spans.append((_space_before(element, j), last.end))
                j += 1 if token.word() == "PRIMARY" else 0
            elif level == 0 and token.word() == "REFERENCES":
                k = j + 1
                while k < len(element) and (element[k].kind == "identifier" or element[k].text == "."):
                    k += 1
                if k < len(element) and element[k].text == "(":
                    while element[k].text != ")":
                        k += 1
                    k += 1
                spans.append((_space_before(element, j), element[k - 1].end))
                j = k - 1
            j += 1
    return _Cuts(spans, keys)


def _space_before(element: list[_Token], j: int) -> int:
    """Where the space before token ``element[j]`` starts: right after the token before it."""
    return element[j - 1].end if j else element[j].start


#: A statement that creates a table, after the comments before it.
_CREATE_TABLE = re.compile(r"\s*(--[^\n]*\n\s*)*CREATE\s+TABLE\b", flags=re.I)


def load_order(all_tables: dict[str, Table]) -> list[Table]:
    """Tables ordered so that every table comes after the tables it references, the same in every process.

    The references are sorted: a frozenset's order follows the hash of its
    strings, which Python seeds anew in each process.
    """
    graph = {name: sorted(t.references) for name, t in sorted(all_tables.items())}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise SchemaError(f"foreign keys form a cycle between tables {exc.args[1]}; no load order exists") from None
    return [all_tables[name] for name in order]
