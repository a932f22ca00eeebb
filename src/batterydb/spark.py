"""Carrying the database to Spark: the tables as Parquet, and one SQL script that declares them and the queries.

A Spark user expects data in files and objects in the catalog. `export
--format spark` writes every table as a Parquet file (DuckDB's own writer)
and ``batterydb.sql``, a Spark SQL script that, run once in a session
(``spark-sql -f``, or statement by statement through ``spark.sql``),
creates:

- database ``batterydb``: every table over its Parquet file, with the
  table's and each column's comment, and the few functions the queries
  need beyond Spark's own (``name_key``, ``resolve_org``,
  ``resolve_subject``: see ``schema/spark/functions.sql``);
- database ``batterydb_analytics``: every named query that carries to Spark
  as a SQL table function (Spark 4's ``CREATE FUNCTION ... RETURNS TABLE``)
  with the same parameters and defaults, and a view of those that need no
  parameter, as ``publish postgres`` does.

The script names where the files are (``location``): by default the folder
it is written to, as a ``file:`` URI; a user who copies the folder to HDFS
or object storage gives that address instead. On a catalog that keeps
objects (a Hive metastore), they outlive the session; on Spark's default
in-memory catalog the script is run in each session.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from . import analytics, catalogue, dialects, paths, progress, schema, transpile
from .version import DESCRIPTION, __version__
from .catalogue import NamedQuery
from .database import Database
from .errors import BatterydbError, first_line
from .export import export
from .sqltext import spark_literal, spark_name

TABLES = "batterydb"
ANALYTICS = "batterydb_analytics"
SCRIPT = "batterydb.sql"


def spark_type(duckdb_type: str) -> str:
    """Spark's name for a DuckDB column type."""
    if duckdb_type.upper() == "HUGEINT":  # DuckDB's sum of integers
        return "DECIMAL(38,0)"
    return exp.DataType.build(duckdb_type, dialect="duckdb").sql(dialect="spark")


def name_key_ddl(con: duckdb.DuckDBPyConnection) -> str:
    """name_key() for Spark, folding as the DuckDB of ``con`` folds.

    Spark has no strip_accents. Its translate() maps each character of one
    text to the character at the same place in a second, and removes those
    past the second's end: so the first text lists every character of the
    Basic Multilingual Plane that DuckDB's strip_accents changes, those it
    maps to another character first and those it removes (combining marks)
    last, asked of DuckDB itself.
    """
    accented, plain, removed = con.execute(
        """
        SELECT
            string_agg(c, '' ORDER BY i) FILTER (WHERE length(s) = 1),
            string_agg(s, '' ORDER BY i) FILTER (WHERE length(s) = 1),
            string_agg(c, '' ORDER BY i) FILTER (WHERE length(s) = 0)
        FROM (
            SELECT i, chr(CAST(i AS INTEGER)) AS c, strip_accents(chr(CAST(i AS INTEGER))) AS s
            FROM (SELECT range AS i FROM range(128, 55296) UNION ALL SELECT range FROM range(57344, 65536))
            -- (55296 to 57343 are surrogate halves, not characters)
        )
        WHERE s <> c
        """
    ).fetchone()
    comment = ("A name folded for matching: trimmed, lower case, accents removed as DuckDB's strip_accents "
               "removes them (\"Önnerud\" and \"onnerud\" match).")
    return (f"CREATE OR REPLACE FUNCTION name_key(x STRING) RETURNS STRING\n"
            f"    COMMENT {spark_literal(comment)}\n"
            f"    RETURN lower(translate(trim(x), {spark_literal(accented + removed)}, {spark_literal(plain)}))")


def _comments(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    tables = dict(con.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND comment IS NOT NULL").fetchall())
    columns = {(t, c): text for t, c, text in con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND comment IS NOT NULL").fetchall()}
    return tables, columns


def table_ddl(con: duckdb.DuckDBPyConnection, location: str) -> list[str]:
    """A CREATE TABLE over each table's folder under ``location`` (its Parquet file inside), with the comments."""
    table_comments, column_comments = _comments(con)
    out = []
    for table in schema.load_order(schema.tables(con)):
        columns = ",\n".join(
            f"    {spark_name(c.name)} {spark_type(c.data_type)}"
            + (f" COMMENT {spark_literal(column_comments[table.name, c.name])}"
               if (table.name, c.name) in column_comments else "")
            for c in table.columns)
        comment = (f"\nCOMMENT {spark_literal(table_comments[table.name])}" if table.name in table_comments else "")
        out.append(f"CREATE TABLE {spark_name(TABLES)}.{spark_name(table.name)} (\n{columns}\n)\nUSING parquet"
                   f"{comment}\nLOCATION {spark_literal(location.rstrip('/') + '/' + table.name)}")
    return out


def query_ddl(db: Database, query: NamedQuery,
              known: dict[str, transpile.Macro] | None = None) -> list[str] | transpile.Carried:
    """The statements that create ``query`` as a Spark SQL table function (and view), or why it cannot be.

    The result columns and their types are DuckDB's own, asked of the
    installed ``analytics`` macro with NULL for each required parameter.
    """
    carried = transpile.carry(query, "spark", known, params_as=query.name)
    if not carried.ok:
        return carried
    body = sqlglot.parse_one(carried.sql, read="spark")
    tables = set(schema.tables(db.connection)) - {cte.alias for cte in body.find_all(exp.CTE)}
    # Spark looks a body's unqualified names up in the database the function is called from: name where
    # its tables and batterydb's own functions are
    for table in body.find_all(exp.Table):
        if not table.db and table.name in tables:
            table.set("db", exp.to_identifier(TABLES))
    for call in list(body.find_all(exp.Anonymous)):
        if call.name.lower() in dialects.get("spark").defines and not isinstance(call.parent, exp.Dot):
            call.replace(exp.Dot(this=exp.to_identifier(TABLES), expression=call.copy()))
    columns = ",\n".join(
        f"    {spark_name(name)} {spark_type(kind)}"
        + (f" COMMENT {spark_literal(query.descriptions[name])}" if name in query.descriptions else "")
        for name, kind in analytics.result_columns(db.connection, query))
    ordered = query.signature_params
    params = ", ".join(f"{spark_name(p.name)} {spark_type(p.sql_type)}"
                       + ("" if p.required else f" DEFAULT {_default(p)}") for p in ordered)
    name = f"{spark_name(ANALYTICS)}.{spark_name(query.name)}"
    statements = [f"CREATE OR REPLACE FUNCTION {name}({params})\nRETURNS TABLE (\n{columns}\n)\n"
                  f"COMMENT {spark_literal(analytics.macro_comment(query))}\n"
                  f"RETURN\n{body.sql(dialect='spark', pretty=True)}"]
    if not query.required:
        statements.append(f"CREATE OR REPLACE VIEW {name}\nCOMMENT {spark_literal(f'{query.title}: {query.question}')}"
                          f"\nAS SELECT * FROM {name}()")
    return statements


def _default(param: catalogue.Param) -> str:
    """A parameter's default as Spark reads it in a function's signature, where current_date needs its brackets."""
    tree = sqlglot.parse_one(f"CAST({param.default} AS {param.sql_type})", read="duckdb")
    tree = tree.transform(lambda node: exp.Anonymous(this="current_date") if isinstance(node, exp.CurrentDate) else node)
    return tree.sql(dialect="spark")


def script(db: Database, location: str, schema_dir: Path | str | None = None) -> tuple[list[str], list[transpile.Carried]]:
    """The statements of ``batterydb.sql``, and the queries left out with their reasons."""
    folder = paths.schema_dir(schema_dir)
    con = db.connection
    statements = [f"CREATE DATABASE IF NOT EXISTS {spark_name(TABLES)} COMMENT "
                  + spark_literal(DESCRIPTION),
                  f"USE {spark_name(TABLES)}"]
    statements += [f"DROP TABLE IF EXISTS {spark_name(TABLES)}.{spark_name(t)}"
                   for t in reversed([t.name for t in schema.load_order(schema.tables(con))])]
    statements += table_ddl(con, location)
    statements.append(name_key_ddl(con))
    statements += _statements(paths.engine_functions("spark", folder))
    statements.append(f"CREATE DATABASE IF NOT EXISTS {spark_name(ANALYTICS)} COMMENT "
                      + spark_literal("batterydb's named queries, as SQL table functions, and views of those "
                                      "that need no parameter."))
    known = transpile.macros(folder)
    left_out = []
    for query in db.queries.values():
        made = query_ddl(db, query, known)
        if isinstance(made, transpile.Carried):
            left_out.append(made)
        else:
            statements += made
    return statements, left_out


def _statements(path: Path) -> list[str]:
    """The statements of a Spark SQL file: each ends with a semicolon at the end of a line."""
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("--"))
    return [s.strip() for s in re.split(r";\s*$", text, flags=re.M) if s.strip()]


def export_spark(db: Database, out_dir: Path | str, location: str | None = None,
                 schema_dir: Path | str | None = None) -> dict:
    """Write every table as Parquet into ``out_dir`` and ``batterydb.sql`` beside them; returns the manifest.

    ``location`` is where Spark will find the folder (default: ``out_dir``
    itself, as a ``file:`` URI).
    """
    out_dir = Path(out_dir)
    location = location if location is not None else out_dir.resolve().as_uri()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", location):  # checked before anything is written
        raise BatterydbError(f"--location {location!r}: expected a URI Spark can read, such as "
                             "file:///data/batterydb, hdfs://namenode/batterydb or s3a://bucket/batterydb")
    manifest = export(db, out_dir, "parquet", schema_dir=schema_dir, folder_per_table=True)
    progress.stage("writing the Spark SQL script")
    statements, left_out = script(db, location, schema_dir)
    header = [f"-- batterydb {__version__} for Spark: the tables over the Parquet files at {location},",
              "-- and the named queries as SQL table functions. Run it once per session",
              "-- (spark-sql -f batterydb.sql), or once with a catalog that keeps objects.",
              *[f"-- not carried: {c.name}: {'; '.join(c.reasons)}" for c in left_out], ""]
    (out_dir / SCRIPT).write_text("\n".join(header) + ";\n\n".join(statements) + ";\n", encoding="utf-8")
    manifest["spark"] = {"script": SCRIPT, "location": location,
                         "queries": len(db.queries) - len(left_out),
                         "not_carried": {c.name: c.reasons for c in left_out}}
    return manifest


def load(session, folder: Path | str) -> int:
    """Run the ``batterydb.sql`` of an exported ``folder`` in a PySpark ``session``; returns the statements run.

    The same as ``spark-sql -f folder/batterydb.sql``, for a user (or a
    notebook) already holding a session. A statement Spark refuses raises
    BatterydbError naming it, with Spark's first line.
    """
    if not (Path(folder) / SCRIPT).is_file():
        raise BatterydbError(f"{folder}: holds no {SCRIPT}; write it with batterydb export --format spark --dir {folder}")
    statements = _statements(Path(folder) / SCRIPT)
    for number, statement in enumerate(statements, 1):
        try:
            session.sql(statement)
        except Exception as exc:  # PySpark's errors do not share a base class with its JVM's
            first = statement.splitlines()[0]
            raise BatterydbError(f"{Path(folder) / SCRIPT}: statement {number} ({first}) failed in Spark: "
                                 + first_line(exc)) from None
    return len(statements)
