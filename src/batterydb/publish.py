"""Publishing the database to a PostgreSQL server, for BI tools that cannot open a DuckDB file.

The DDL in ``schema/`` is carried to PostgreSQL by sqlglot (tables with
their keys, constraints and comments; DuckDB macros stay behind), each table
is loaded with COPY from a CSV that DuckDB writes, and a read-only role gets
SELECT on the published schema and nothing else. A publish builds a fresh
schema and swaps it in at the end of one transaction, so readers see the
old copy or the new one, never half of either, and a failed publish leaves
the old one in place.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from . import paths, schema
from .database import Database
from .errors import BatterydbError


def postgres_ddl(schema_dir: Path | str | None, target: str) -> list[str]:
    """The CREATE TABLE and COMMENT statements of the DDL, in PostgreSQL, in the schema ``target``."""
    out = []
    with duckdb.connect() as con:
        for path in schema.ddl_files(Path(schema_dir) if schema_dir is not None else paths.schema_dir()):
            for statement in con.extract_statements(path.read_text(encoding="utf-8")):
                text = statement.query.strip()
                head = re.sub(r"^(\s*--[^\n]*\n)*\s*", "", text).upper()
                if head.startswith(("CREATE MACRO", "COMMENT ON MACRO")):
                    continue  # DuckDB macros have no PostgreSQL counterpart here
                tree = sqlglot.parse_one(text, read="duckdb")
                for table in tree.find_all(exp.Table):
                    table.set("db", exp.to_identifier(target))
                if isinstance(tree, exp.Comment) and isinstance(tree.this, exp.Column):
                    tree.this.set("db", exp.to_identifier(target))  # COMMENT ON COLUMN table.column
                out.append(tree.sql(dialect="postgres"))
    return out


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise BatterydbError("publishing to PostgreSQL needs psycopg: pip install 'batterydb[postgres]'") from None
    return psycopg


def publish_postgres(db: Database, dsn: str, target: str = "batterydb", reader: str = "batterydb_reader",
                     reader_password: str | None = None, schema_dir: Path | str | None = None) -> dict[str, int]:
    """Publish every table of ``db`` into the PostgreSQL schema ``target``, replacing it atomically.

    Returns the row count of each published table.
    """
    psycopg = _psycopg()
    from psycopg import sql

    staging = f"{target}_new_{secrets.token_hex(4)}"
    order = schema.load_order(schema.tables(db.connection))
    counts: dict[str, int] = {}
    try:
        with psycopg.connect(dsn) as pg, tempfile.TemporaryDirectory() as tmp:
            with pg.transaction():
                pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(staging)))
                for statement in postgres_ddl(schema_dir, staging):
                    pg.execute(statement)
                for table in order:
                    csv_path = Path(tmp) / f"{table.name}.csv"
                    db.connection.table(table.name).write_csv(str(csv_path), header=True)
                    copy = sql.SQL("COPY {}.{} FROM STDIN (FORMAT csv, HEADER true)").format(
                        sql.Identifier(staging), sql.Identifier(table.name))
                    with pg.cursor().copy(copy) as stream, csv_path.open("rb") as f:
                        while block := f.read(1 << 16):
                            stream.write(block)
                    counts[table.name] = pg.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(
                        sql.Identifier(staging), sql.Identifier(table.name))).fetchone()[0]
                pg.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(target)))
                pg.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(staging),
                                                                           sql.Identifier(target)))
                _grant_reader(pg, sql, target, reader, reader_password)
    except psycopg.Error as exc:
        raise BatterydbError(f"publishing to PostgreSQL failed, the previous copy is unchanged: "
                             f"{str(exc).strip().splitlines()[0]}") from None
    return counts


def _grant_reader(pg, sql, target: str, reader: str, password: str | None) -> None:
    """Create (or update) the role BI users log in as: it can read ``target`` and nothing else."""
    exists = pg.execute("SELECT count(*) > 0 FROM pg_roles WHERE rolname = %s", [reader]).fetchone()[0]
    if not exists:
        pg.execute(sql.SQL("CREATE ROLE {} LOGIN NOINHERIT NOCREATEDB NOCREATEROLE").format(sql.Identifier(reader)))
    if password is not None:
        # ALTER ROLE takes no bind parameters: the server quotes the bound password itself.
        pg.execute("SELECT set_config('batterydb.reader_password', %s, true)", [password])
        pg.execute(sql.SQL(
            "DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', {}, "
            "current_setting('batterydb.reader_password')); END $$").format(sql.Literal(reader)))
    pg.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(target), sql.Identifier(reader)))
    pg.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(sql.Identifier(target),
                                                                               sql.Identifier(reader)))
    pg.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(sql.Identifier(reader)))
