"""Publishing the database to a PostgreSQL server, for BI tools that cannot open a DuckDB file.

The DDL in ``schema/`` is carried to PostgreSQL by sqlglot (tables with
their keys, constraints and comments; DuckDB macros stay behind), each table
is loaded with COPY from a CSV that DuckDB writes, and every named query
becomes a set-returning SQL function in a second schema, ``<schema>_analytics``
(as DuckDB's ``analytics`` schema holds them beside ``main``), plus a view
when it needs no parameter. A read-only role gets SELECT on both schemas and
nothing else. A publish builds fresh schemas and swaps them in at the end of
one transaction, so readers see the old copy or the new one, never half of
either, and a failed publish leaves the old one in place.

The functions use SQL-standard bodies (``BEGIN ATOMIC``), which PostgreSQL
parses once and binds to the tables themselves rather than to their names,
so they keep working when the staging schema is renamed into place.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from . import paths, schema, transpile
from .catalogue import NamedQuery
from .database import Database
from .errors import BatterydbError
from .sqltext import literal

ANALYTICS_SUFFIX = "_analytics"


def postgres_ddl(schema_dir: Path | str | None, target: str) -> list[str]:
    """The CREATE TABLE and COMMENT statements of the DDL, in PostgreSQL, in the schema ``target``."""
    return transpile.ddl("postgres", schema_dir, target)


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise BatterydbError("publishing to PostgreSQL needs psycopg: pip install 'batterydb[postgres]'") from None
    return psycopg


@dataclass
class Published:
    """What a publish put on the server."""

    schema: str
    analytics_schema: str
    row_counts: dict[str, int] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    not_carried: dict[str, list[str]] = field(default_factory=dict)


def _pg_type(duckdb_type: str) -> str:
    if duckdb_type.upper() == "HUGEINT":  # DuckDB's sum of integers; PostgreSQL's is numeric
        return "NUMERIC"
    return exp.DataType.build(duckdb_type, dialect="duckdb").sql(dialect="postgres")


def query_function_ddl(db: Database, query: NamedQuery, target: str,
                       known: dict[str, transpile.Macro] | None = None) -> list[str] | transpile.Carried:
    """The statements that create ``query`` as a function (and view) in ``target``, or why it cannot be.

    The result columns and their types are DuckDB's own, asked of the
    installed ``analytics`` macro with NULL for each required parameter.
    """
    carried = transpile.carry(query, "postgres", known, params_as=query.name)
    if not carried.ok:
        return carried
    nulls = ", ".join("NULL" for _ in query.required)
    described = db.connection.execute(f"DESCRIBE SELECT * FROM analytics.{query.name}({nulls})").fetchall()
    columns = ", ".join(f'"{name}" {_pg_type(kind)}' for name, kind, *_ in described)
    ordered = query.required + [p for p in query.params if not p.required]
    params = ", ".join(
        f"{p.name} {_pg_type(p.type)}" + ("" if p.required else " DEFAULT " + sqlglot.transpile(
            f"CAST({p.default} AS {p.type})", read="duckdb", write="postgres")[0])
        for p in ordered)
    signature = f"{target}.{query.name}({', '.join(_pg_type(p.type) for p in ordered)})"
    comment = literal(f"{query.title}: {query.question}")
    statements = [
        f"CREATE FUNCTION {target}.{query.name}({params})\nRETURNS TABLE ({columns})\n"
        f"LANGUAGE sql STABLE\nBEGIN ATOMIC\n{carried.sql};\nEND",
        f"COMMENT ON FUNCTION {signature} IS {comment}",
    ]
    if not query.required:
        statements += [f"CREATE VIEW {target}.{query.name} AS SELECT * FROM {target}.{query.name}()",
                       f"COMMENT ON VIEW {target}.{query.name} IS {comment}"]
    return statements


def publish_postgres(db: Database, dsn: str, target: str = "batterydb", reader: str = "batterydb_reader",
                     reader_password: str | None = None, schema_dir: Path | str | None = None) -> Published:
    """Publish every table and named query of ``db`` into PostgreSQL, replacing the previous copy atomically.

    Tables go to the schema ``target``; the queries to ``<target>_analytics``.
    """
    psycopg = _psycopg()
    from psycopg import sql

    token = secrets.token_hex(4)
    staging, staging_analytics = f"{target}_new_{token}", f"{target}_analytics_new_{token}"
    result = Published(target, target + ANALYTICS_SUFFIX)
    order = schema.load_order(schema.tables(db.connection))
    folder = Path(schema_dir) if schema_dir is not None else paths.schema_dir()
    known = transpile.macros(folder)
    try:
        with psycopg.connect(dsn) as pg, tempfile.TemporaryDirectory() as tmp:
            with pg.transaction():
                pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(staging)))
                pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(staging_analytics)))
                for statement in postgres_ddl(folder, staging):
                    pg.execute(statement)
                for table in order:
                    csv_path = Path(tmp) / f"{table.name}.csv"
                    db.connection.table(table.name).write_csv(str(csv_path), header=True)
                    copy = sql.SQL("COPY {}.{} FROM STDIN (FORMAT csv, HEADER true)").format(
                        sql.Identifier(staging), sql.Identifier(table.name))
                    with pg.cursor().copy(copy) as stream, csv_path.open("rb") as f:
                        while block := f.read(1 << 16):
                            stream.write(block)
                    result.row_counts[table.name] = pg.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(
                        sql.Identifier(staging), sql.Identifier(table.name))).fetchone()[0]
                # Unqualified names in the definitions below resolve to the staging schema, ahead of
                # pg_catalog so that its round(double precision, integer) is found.
                pg.execute("SELECT set_config('search_path', %s, true)", [f'"{staging}", pg_catalog'])
                for statement in _statements(folder / "postgres" / "functions.sql"):
                    pg.execute(statement)
                for query in db.queries.values():
                    made = query_function_ddl(db, query, f'"{staging_analytics}"', known)
                    if isinstance(made, transpile.Carried):
                        result.not_carried[query.name] = made.reasons
                        continue
                    try:
                        for statement in made:
                            pg.execute(statement)
                    except psycopg.Error as exc:
                        raise BatterydbError(
                            f"publishing to PostgreSQL failed, the previous copy is unchanged: named query "
                            f"{query.name} (carried by sqlglot) was refused: {str(exc).strip().splitlines()[0]}"
                        ) from None
                    result.functions.append(query.name)
                    if not query.required:
                        result.views.append(query.name)
                pg.execute("SELECT set_config('search_path', '', true)")
                for old, new in ((result.analytics_schema, staging_analytics), (target, staging)):
                    pg.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(old)))
                    pg.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(new),
                                                                               sql.Identifier(old)))
                _grant_reader(pg, sql, [target, result.analytics_schema], reader, reader_password)
    except psycopg.Error as exc:
        raise BatterydbError(f"publishing to PostgreSQL failed, the previous copy is unchanged: "
                             f"{str(exc).strip().splitlines()[0]}") from None
    return result


def _statements(path: Path) -> list[str]:
    """The statements of a PostgreSQL script, split where a line ends with ';' (no function body spans one)."""
    text = path.read_text(encoding="utf-8")
    return [s.strip() for s in re.split(r";\s*$", text, flags=re.M) if re.sub(r"--[^\n]*", "", s).strip()]


def _grant_reader(pg, sql, schemas: list[str], reader: str, password: str | None) -> None:
    """Create (or update) the role BI users log in as: it can read ``schemas`` and nothing else."""
    exists = pg.execute("SELECT count(*) > 0 FROM pg_roles WHERE rolname = %s", [reader]).fetchone()[0]
    if not exists:
        pg.execute(sql.SQL("CREATE ROLE {} LOGIN NOINHERIT NOCREATEDB NOCREATEROLE").format(sql.Identifier(reader)))
    if password is not None:
        # ALTER ROLE takes no bind parameters: the server quotes the bound password itself.
        pg.execute("SELECT set_config('batterydb.reader_password', %s, true)", [password])
        pg.execute(sql.SQL(
            "DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', {}, "
            "current_setting('batterydb.reader_password')); END $$").format(sql.Literal(reader)))
    for name in schemas:
        pg.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(name), sql.Identifier(reader)))
        pg.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(sql.Identifier(name),
                                                                                   sql.Identifier(reader)))
    pg.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(sql.Identifier(reader)))
