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

The server is shared with people and objects batterydb knows nothing of, so
a publish replaces only what batterydb made: schemas and the reader role
carry a comment batterydb sets when it creates them (its mark), anything
without the mark is refused, and so is a copy that objects outside it depend
on, which replacing it would drop along with it.

The functions use SQL-standard bodies (``BEGIN ATOMIC``), which PostgreSQL
parses once and binds to the tables themselves rather than to their names,
so they keep working when the staging schema is renamed into place.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp

from . import analytics, paths, progress, schema, transpile
from .catalogue import NamedQuery
from .database import Database
from .errors import BatterydbError, first_line
from .progress import plural
from .sqltext import literal, q

ANALYTICS_SUFFIX = "_analytics"

# PostgreSQL silently cuts longer names (NAMEDATALEN - 1), which could make two names one.
NAME_LIMIT = 63
_STAGING_SUFFIX = len(ANALYTICS_SUFFIX + "_new_") + 8  # <schema>_analytics_new_<8 hex digits>
SCHEMA_LIMIT = NAME_LIMIT - _STAGING_SUFFIX

# Lower case only: sqlglot writes the staging schema's name unquoted, and PostgreSQL folds that.
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")
_RESERVED_ROLES = frozenset({"public", "none", "current_user", "current_role", "session_user"})

# The marks are compared exactly: changing their wording would strand every copy published before.
READER_MARK = "Read-only role created by batterydb publish postgres, which updates it on every publish."


def tables_mark(target: str) -> str:
    """The comment that marks ``target`` as a schema batterydb published its tables to."""
    return (f"The tables of batterydb, published by batterydb publish postgres, which replaces "
            f"{target} and {target}{ANALYTICS_SUFFIX} whole on every publish.")


def queries_mark(target: str) -> str:
    """The comment that marks ``<target>_analytics`` as batterydb's schema of named queries."""
    return (f"The named queries of batterydb over the tables in {target}, published by batterydb publish "
            f"postgres, which replaces {target} and {target}{ANALYTICS_SUFFIX} whole on every publish.")


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
    """What a publish put on the server.

    ``temporary_revoked`` says whether the publisher could revoke TEMPORARY
    on the database from PUBLIC (only the database's owner can): when not,
    the reader can still create temporary tables.
    """

    schema: str
    analytics_schema: str
    row_counts: dict[str, int] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    not_carried: dict[str, list[str]] = field(default_factory=dict)
    temporary_revoked: bool = False


def _pg_type(duckdb_type: str) -> str:
    if duckdb_type.upper() == "HUGEINT":  # DuckDB's sum of integers; PostgreSQL's is numeric
        return "NUMERIC"
    return exp.DataType.build(duckdb_type, dialect="duckdb").sql(dialect="postgres")


def query_function_ddl(db: Database, query: NamedQuery, target: str,
                       known: dict[str, transpile.Macro] | None = None) -> list[str] | transpile.Carried:
    """The statements that create ``query`` as a function (and view) in the schema ``target``, or why it cannot be.

    The result columns and their types are DuckDB's own, asked of the
    installed ``analytics`` macro with NULL for each required parameter.
    """
    carried = transpile.carry(query, "postgres", known, params_as=query.name)
    if not carried.ok:
        return carried
    columns = ", ".join(f"{q(name)} {_pg_type(kind)}" for name, kind in analytics.result_columns(db.connection, query))
    ordered = query.signature_params
    params = ", ".join(
        f"{q(p.name)} {_pg_type(p.sql_type)}" + ("" if p.required else " DEFAULT " + sqlglot.transpile(
            f"CAST({p.default} AS {p.sql_type})", read="duckdb", write="postgres")[0])
        for p in ordered)
    name = f"{q(target)}.{q(query.name)}"
    signature = f"{name}({', '.join(_pg_type(p.sql_type) for p in ordered)})"
    comment = literal(f"{query.title}: {query.question}")
    described = literal(analytics.macro_comment(query))
    statements = [
        f"CREATE FUNCTION {name}({params})\nRETURNS TABLE ({columns})\n"
        f"LANGUAGE sql STABLE\nBEGIN ATOMIC\n{carried.sql};\nEND",
        f"COMMENT ON FUNCTION {signature} IS {described}",
    ]
    if not query.required:
        statements += [f"CREATE VIEW {name} AS SELECT * FROM {name}()", f"COMMENT ON VIEW {name} IS {comment}"]
        statements += [f"COMMENT ON COLUMN {name}.{q(column)} IS {literal(text)}"
                       for column, text in query.descriptions.items()]
    return statements


def check_names(target: str, reader: str) -> None:
    """Refuse, before connecting, a schema or role name batterydb must not or cannot publish to."""
    if target in ("public", "information_schema") or target.startswith("pg_"):
        raise BatterydbError(f"publishing to PostgreSQL refused: schema {target} belongs to PostgreSQL (as public, "
                             f"information_schema and every pg_* schema do); batterydb publishes only to schemas "
                             f"of its own")
    if not _SCHEMA_NAME.match(target):
        raise BatterydbError(f"publishing to PostgreSQL refused: schema name {q(target)} must be lower-case letters, "
                             f"digits and underscores, not starting with a digit")
    if len(target) > SCHEMA_LIMIT:
        raise BatterydbError(
            f"publishing to PostgreSQL refused: schema name {target} is {len(target)} bytes; PostgreSQL cuts names "
            f"at {NAME_LIMIT} bytes, and while publishing batterydb also creates "
            f"{target}{ANALYTICS_SUFFIX}_new_<8 hex digits>, so a schema name can have {SCHEMA_LIMIT} bytes at most")
    size = len(reader.encode("utf-8"))
    if not reader or "\0" in reader or reader in _RESERVED_ROLES or reader.startswith("pg_"):
        raise BatterydbError(f"publishing to PostgreSQL refused: {q(reader)} cannot be a role's name in PostgreSQL")
    if size > NAME_LIMIT:
        raise BatterydbError(f"publishing to PostgreSQL refused: role name {reader} is {size} bytes; "
                             f"PostgreSQL cuts names at {NAME_LIMIT} bytes")


def publish_postgres(db: Database, dsn: str, target: str = "batterydb", reader: str = "batterydb_reader",
                     reader_password: str | None = None, schema_dir: Path | str | None = None, *,
                     lock_timeout: float = 3.0, swap_attempts: int = 5, swap_pause: float = 1.0) -> Published:
    """Publish every table and named query of ``db`` into PostgreSQL, replacing the previous copy atomically.

    Tables go to the schema ``target``; the queries to ``<target>_analytics``.
    The swap waits at most ``lock_timeout`` seconds at a time for readers of
    the previous copy to let go, so readers arriving meanwhile queue behind
    it no longer than that, and gives up after ``swap_attempts`` tries
    ``swap_pause`` seconds apart.
    """
    check_names(target, reader)
    psycopg = _psycopg()
    folder = paths.schema_dir(schema_dir)
    result = Published(target, target + ANALYTICS_SUFFIX)
    progress.stage("connecting to PostgreSQL")
    try:
        pg = psycopg.connect(dsn)
    except psycopg.Error as exc:
        raise BatterydbError(f"publishing to PostgreSQL failed, the previous copy is unchanged: {first_line(exc)}"
                             ) from None
    committing = False
    with pg:
        try:
            with pg.transaction():
                _replaceable(pg, target)
                _make_reader(pg, reader, reader_password)
                staging, staging_analytics = _build(pg, psycopg, db, folder, result)
                result.temporary_revoked = _grant_reader(pg, [staging, staging_analytics], reader)
                _swap(pg, psycopg, target, staging, staging_analytics, lock_timeout, swap_attempts, swap_pause)
                committing = True
        except psycopg.Error as exc:
            # Told apart here, inside ``with pg``: once that has closed the connection it no longer shows as broken.
            raise _failure(pg, exc, committing) from None
    return result


def _build(pg, psycopg, db: Database, folder: Path, result: Published) -> tuple[str, str]:
    """The new copy, in two staging schemas (returned) that only this transaction sees until the swap."""
    token = secrets.token_hex(4)
    staging, staging_analytics = f"{result.schema}_new_{token}", f"{result.analytics_schema}_new_{token}"
    for name, mark in ((staging, tables_mark(result.schema)), (staging_analytics, queries_mark(result.schema))):
        pg.execute(f"CREATE SCHEMA {q(name)}")
        pg.execute(f"COMMENT ON SCHEMA {q(name)} IS {literal(mark)}")
    tables = schema.load_order(schema.tables(db.connection))
    progress.stage(f"creating {plural(len(tables), 'table')} in a new copy of schema {result.schema}")
    for statement in postgres_ddl(folder, staging):
        pg.execute(statement)
    rows = sum(db.connection.execute(f"SELECT count(*) FROM {q(t.name)}").fetchall()[0][0] for t in tables)
    progress.stage(f"copying {plural(len(tables), 'table')} ({plural(rows, 'row')})")
    with tempfile.TemporaryDirectory() as tmp:
        for table in progress.counted(tables, "copying tables"):
            csv_path = Path(tmp) / f"{table.name}.csv"
            db.connection.table(table.name).write_csv(str(csv_path), header=True)
            qualified = f"{q(staging)}.{q(table.name)}"
            with pg.cursor().copy(f"COPY {qualified} FROM STDIN (FORMAT csv, HEADER true)") as stream, \
                    csv_path.open("rb") as f:
                while block := f.read(1 << 16):
                    stream.write(block)
            result.row_counts[table.name] = pg.execute(f"SELECT count(*) FROM {qualified}").fetchone()[0]
    # Unqualified names in the definitions below resolve to the staging schema, ahead of
    # pg_catalog so that its round(double precision, integer) is found.
    pg.execute("SELECT set_config('search_path', %s, true)", [f"{q(staging)}, pg_catalog"])
    for statement in _statements(paths.engine_functions("postgres", folder)):
        pg.execute(statement)
    known = transpile.macros(folder)
    progress.stage(f"creating {plural(len(db.queries), 'named query', 'named queries')} as functions in schema "
                   f"{result.analytics_schema}")
    for query in progress.counted(db.queries.values(), "creating named queries"):
        made = query_function_ddl(db, query, staging_analytics, known)
        if isinstance(made, transpile.Carried):
            result.not_carried[query.name] = made.reasons
            continue
        try:
            for statement in made:
                pg.execute(statement)
        except psycopg.Error as exc:
            if pg.broken:
                raise
            raise BatterydbError(
                f"publishing to PostgreSQL failed, the previous copy is unchanged: named query "
                f"{query.name} (carried by sqlglot) was refused: {first_line(exc)}") from None
        result.functions.append(query.name)
        if not query.required:
            result.views.append(query.name)
    pg.execute("SELECT set_config('search_path', '', true)")
    return staging, staging_analytics


def _failure(pg, exc: Exception, committing: bool) -> BatterydbError:
    """What went wrong, for the user: a lost connection is not a statement the server refused."""
    if not pg.broken:
        return BatterydbError(f"publishing to PostgreSQL failed, the previous copy is unchanged: {first_line(exc)}"
                              + _missing_right(exc))
    if committing:
        return BatterydbError(
            f"publishing to PostgreSQL failed: the connection to the server was lost while committing "
            f"({first_line(exc)}), so whether the new copy replaced the previous one is not known; publish again")
    return BatterydbError(
        f"publishing to PostgreSQL failed: the connection to the server was lost ({first_line(exc)}) before "
        f"the publish was committed, so the previous copy is unchanged")


#: What a publishing role lacks, by the words of PostgreSQL's refusal (README: "Connecting a BI tool").
_RIGHTS = {
    "permission denied to create role": "the publishing role needs CREATEROLE to create the reader role",
    "permission denied for database": "the publishing role needs CREATE on the database to create the schemas",
}


def _missing_right(exc: Exception) -> str:
    import psycopg

    if not isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return ""
    text = first_line(exc)
    hint = next((h for words, h in _RIGHTS.items() if text.startswith(words)), None)
    return f" ({hint or 'the README lists the rights a publishing role needs'})"



def _statements(path: Path) -> list[str]:
    """The statements of a PostgreSQL script, split where a line ends with ';' outside a $$-quoted body."""
    text = path.read_text(encoding="utf-8")
    statements, start = [], 0
    for m in re.finditer(r"\$\$.*?\$\$|;[ \t]*$", text, flags=re.M | re.S):
        if m[0].startswith(";"):
            statements.append(text[start:m.start()])
            start = m.end()
    statements.append(text[start:])
    return [s.strip() for s in statements if re.sub(r"--[^\n]*", "", s).strip()]


# Objects outside the given schemas that depend on something inside them: what DROP SCHEMA ... CASCADE
# would drop beyond the schemas. "inside" lists every object that lives in them, sub-objects of their
# relations (and their TOAST tables in pg_toast) included, so that any dependent it does not list
# counts as outside; a view's dependency is its rewrite rule's, named by the view.
_DEPENDENTS = """
WITH ours AS (SELECT oid FROM pg_namespace WHERE nspname::text = ANY(%(schemas)s)),
toast AS (SELECT reltoastrelid AS oid FROM pg_class
    WHERE relnamespace IN (SELECT oid FROM ours) AND reltoastrelid <> 0),
inside (classid, objid) AS (
    SELECT 'pg_namespace'::regclass::oid, oid FROM ours
    UNION ALL SELECT 'pg_class'::regclass::oid, oid FROM pg_class WHERE relnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_class'::regclass::oid, oid FROM toast
    UNION ALL SELECT 'pg_class'::regclass::oid, indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM toast)
    UNION ALL SELECT 'pg_proc'::regclass::oid, oid FROM pg_proc WHERE pronamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_type'::regclass::oid, oid FROM pg_type WHERE typnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_constraint'::regclass::oid, oid FROM pg_constraint
        WHERE connamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_operator'::regclass::oid, oid FROM pg_operator WHERE oprnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_opclass'::regclass::oid, oid FROM pg_opclass WHERE opcnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_opfamily'::regclass::oid, oid FROM pg_opfamily WHERE opfnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_collation'::regclass::oid, oid FROM pg_collation
        WHERE collnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_conversion'::regclass::oid, oid FROM pg_conversion
        WHERE connamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_statistic_ext'::regclass::oid, oid FROM pg_statistic_ext
        WHERE stxnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_ts_config'::regclass::oid, oid FROM pg_ts_config WHERE cfgnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_ts_dict'::regclass::oid, oid FROM pg_ts_dict WHERE dictnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_ts_parser'::regclass::oid, oid FROM pg_ts_parser WHERE prsnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_ts_template'::regclass::oid, oid FROM pg_ts_template
        WHERE tmplnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_rewrite'::regclass::oid, r.oid FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
        WHERE c.relnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_trigger'::regclass::oid, t.oid FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_attrdef'::regclass::oid, a.oid FROM pg_attrdef a JOIN pg_class c ON c.oid = a.adrelid
        WHERE c.relnamespace IN (SELECT oid FROM ours)
    UNION ALL SELECT 'pg_policy'::regclass::oid, p.oid FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
        WHERE c.relnamespace IN (SELECT oid FROM ours)
),
outside AS (
    SELECT DISTINCT coalesce(r.ev_class, d.objid) AS objid,
           CASE WHEN r.oid IS NULL THEN d.classid ELSE 'pg_class'::regclass::oid END AS classid,
           d.refclassid, d.refobjid
    FROM pg_depend d
    JOIN inside i ON i.classid = d.refclassid AND i.objid = d.refobjid
    LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass::oid AND r.oid = d.objid
    WHERE NOT EXISTS (SELECT FROM inside o WHERE o.classid = d.classid AND o.objid = d.objid)
)
SELECT dependent.type || ' ' || dependent.identity,
       string_agg(DISTINCT used.type || ' ' || used.identity, ', ')
FROM outside, pg_identify_object(outside.classid, outside.objid, 0) dependent,
     pg_identify_object(outside.refclassid, outside.refobjid, 0) used
GROUP BY 1 ORDER BY 1
"""


def _replaceable(pg, target: str) -> list[str]:
    """The schemas of the previous copy, once it is clear that batterydb made them and that nothing outside
    them depends on them; otherwise a refusal."""
    marks = {target: tables_mark(target), target + ANALYTICS_SUFFIX: queries_mark(target)}
    found = dict(pg.execute("SELECT nspname, obj_description(oid, 'pg_namespace') FROM pg_namespace "
                            "WHERE nspname::text = ANY(%s)", [list(marks)]).fetchall())
    for name, mark in marks.items():
        if name in found and found[name] != mark:
            raise BatterydbError(
                f"publishing to PostgreSQL refused: schema {name} exists and batterydb did not create it (it lacks "
                f"the comment batterydb marks its schemas with), so it is left as it is; nothing was changed. "
                f"Publish to another schema, or drop {name} yourself if it is a copy a batterydb older than "
                f"this check published")
    existing = [name for name in marks if name in found]
    dependents = pg.execute(_DEPENDENTS, {"schemas": existing}).fetchall() if existing else []
    if dependents:
        listed = "; ".join(f"{dependent} (on {used})" for dependent, used in dependents)
        raise BatterydbError(
            f"publishing to PostgreSQL refused: objects outside batterydb's schemas depend on the published copy "
            f"in {' and '.join(existing)}, and replacing it would drop them: {listed}; nothing was changed. "
            f"Drop those objects or make them independent of the copy, then publish again")
    return existing


def _swap(pg, psycopg, target: str, staging: str, staging_analytics: str,
          lock_timeout: float, attempts: int, pause: float) -> None:
    """Drop the previous copy and rename the new one into its place, without queueing readers for long.

    The previous copy's relations are locked first, in a savepoint, waiting
    at most ``lock_timeout``; with them locked nobody can add a view over
    them, so the checks made again then still hold at the DROP. A reader
    that holds them (or a deadlock with one) makes the attempt give up its
    locks and try again.
    """
    timeout = f"{max(1, round(lock_timeout * 1000))}ms"
    pg.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])
    names = [target + ANALYTICS_SUFFIX, target]
    attempts = max(1, attempts)
    progress.stage(f"putting the new copy in place of schemas {target} and {target}{ANALYTICS_SUFFIX}")
    for attempt in range(1, attempts + 1):
        try:
            with pg.transaction():
                relations = pg.execute(
                    "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname::text = ANY(%s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1, 2",
                    [names]).fetchall()
                if relations:
                    # lock_timeout bounds each table's wait; statement_timeout the wait for all of them.
                    before = pg.execute("SELECT current_setting('statement_timeout')").fetchone()[0]
                    pg.execute("SELECT set_config('statement_timeout', %s, true)", [timeout])
                    pg.execute("LOCK TABLE " + ", ".join(f"{q(s)}.{q(r)}" for s, r in relations)
                               + " IN ACCESS EXCLUSIVE MODE")
                    pg.execute("SELECT set_config('statement_timeout', %s, true)", [before])
                existing = _replaceable(pg, target)
                if existing:
                    pg.execute("DROP SCHEMA " + ", ".join(q(name) for name in existing) + " CASCADE")
                for new, old in ((staging_analytics, target + ANALYTICS_SUFFIX), (staging, target)):
                    pg.execute(f"ALTER SCHEMA {q(new)} RENAME TO {q(old)}")
            return
        except (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled, psycopg.errors.DeadlockDetected):
            if pg.broken:
                raise
            if attempt == attempts:
                raise BatterydbError(
                    f"publishing to PostgreSQL failed: a reader holds the published schema {target} (a transaction "
                    f"that read it is still open), and {attempts} attempts of {lock_timeout:g} s each could not "
                    f"take it over; the previous copy is unchanged. Publish again when that transaction has ended"
                ) from None
            progress.stage(f"a reader holds schema {target}; trying again in {pause:g} s "
                           f"(attempt {attempt + 1} of {attempts})")
            time.sleep(pause)


def _make_reader(pg, reader: str, password: str | None) -> None:
    """Create the role BI users log in as, or update the one batterydb created before; refuse any other role."""
    row = pg.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, "
        "shobj_description(oid, 'pg_authid'), "
        "ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "      WHERE m.member = r.oid ORDER BY 1) "
        "FROM pg_roles r WHERE rolname = %s", [reader]).fetchone()
    if row is not None:
        powers = [power for power, held in zip(("SUPERUSER", "CREATEROLE", "CREATEDB", "REPLICATION", "BYPASSRLS"),
                                               row[:5]) if held]
        powers += [f"membership in {group}" for group in row[6]]
        if powers:
            raise BatterydbError(
                f"publishing to PostgreSQL refused: the reader role {reader} has {', '.join(powers)}, which a "
                f"read-only role must not have, so batterydb leaves it alone; nothing was changed")
        if row[5] != READER_MARK:
            raise BatterydbError(
                f"publishing to PostgreSQL refused: role {reader} exists and batterydb did not create it (it lacks "
                f"the comment batterydb marks its reader role with), so batterydb will not change its password or "
                f"privileges; nothing was changed. Name a reader role that does not exist yet")
    else:
        pg.execute(f"CREATE ROLE {q(reader)} LOGIN NOINHERIT NOCREATEDB NOCREATEROLE")
        pg.execute(f"COMMENT ON ROLE {q(reader)} IS {literal(READER_MARK)}")
    if password is not None:
        # ALTER ROLE takes no bind parameters: the server quotes the bound name and password itself.
        pg.execute("SELECT set_config('batterydb.reader', %s, true), set_config('batterydb.reader_password', %s, true)",
                   [reader, password])
        pg.execute("DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', current_setting('batterydb.reader'), "
                   "current_setting('batterydb.reader_password')); END $$")
        pg.execute("SELECT set_config('batterydb.reader_password', '', true)")


def _grant_reader(pg, schemas: list[str], reader: str) -> bool:
    """Let ``reader`` read ``schemas`` and run their functions, and nobody else (bar their owner) do more.

    Returns whether TEMPORARY on the database could be revoked from PUBLIC,
    which only the database's owner can do.
    """
    role = q(reader)
    for name in map(q, schemas):
        # Default privileges may have granted more at creation; take it all back first.
        pg.execute(f"REVOKE ALL ON SCHEMA {name} FROM PUBLIC, {role}")
        for kind in ("TABLES", "SEQUENCES", "FUNCTIONS"):
            pg.execute(f"REVOKE ALL ON ALL {kind} IN SCHEMA {name} FROM PUBLIC, {role}")
        pg.execute(f"GRANT USAGE ON SCHEMA {name} TO {role}")
        pg.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {name} TO {role}")
        pg.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {name} TO {role}")
    database, owner = pg.execute("SELECT current_database(), pg_has_role(current_user, datdba, 'USAGE') "
                                 "FROM pg_database WHERE datname = current_database()").fetchone()
    if owner:
        pg.execute(f"REVOKE TEMPORARY ON DATABASE {q(database)} FROM PUBLIC, {role}")
    return owner
