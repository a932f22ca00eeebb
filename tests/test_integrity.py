"""Referential integrity and provenance of the built database."""

from __future__ import annotations

import re

import duckdb
import pytest

import batterydb
from batterydb import paths, schema
from conftest import SHARED_SOURCES, rows

#: Vocabularies: the only tables whose rows are not facts and so cite no source.
REFERENCE_TABLES = {
    "agreement_kinds", "agreement_statuses", "alias_kinds", "countries", "currencies",
    "document_kinds", "facility_kinds", "facility_statuses", "identifier_schemes", "metrics", "organisation_kinds",
    "party_roles", "qualifiers", "sectors", "source_kinds", "stake_kinds", "unit_conversions", "units",
    # a citation links two sources: its provenance is the citing source itself
    "source_citations",
}


def _foreign_keys(con):
    return schema.foreign_keys(con)


def test_built_file_lists_every_foreign_key_the_ddl_declares(con):
    ddl = duckdb.connect()
    schema.apply(ddl, paths.schema_dir())
    assert len(_foreign_keys(con)) >= 50
    assert rows(con, "SELECT * FROM meta.foreign_keys ORDER BY ALL") == _foreign_keys(ddl)


def test_built_file_declares_every_other_constraint_the_ddl_does(con):
    """Primary keys are added after the load, and the tables re-created without foreign keys: nothing else is lost."""
    ddl = duckdb.connect()
    schema.apply(ddl, paths.schema_dir())
    declared = """SELECT table_name, constraint_type, constraint_column_names, expression FROM duckdb_constraints()
                  WHERE schema_name = 'main' AND constraint_type <> 'FOREIGN KEY' ORDER BY ALL"""
    kinds = {kind for _, kind, _, _ in rows(ddl, declared)}
    assert kinds == {"PRIMARY KEY", "UNIQUE", "CHECK", "NOT NULL"}
    assert rows(con, declared) == rows(ddl, declared)


def test_foreign_keys_are_declared_to_duckdb_only_on_request(con, tmp_path):
    declared = """SELECT table_name, constraint_column_names, referenced_table, referenced_column_names
                  FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY' ORDER BY ALL"""
    assert rows(con, declared) == []
    path = tmp_path / "declared.duckdb"
    batterydb.build(out=path, declare_foreign_keys=True)
    with duckdb.connect(str(path)) as full:
        assert rows(full, declared) == rows(con, "SELECT * FROM meta.foreign_keys ORDER BY ALL")
        with pytest.raises(duckdb.ConstraintException, match="foreign key"):
            full.execute("UPDATE organisations SET country_code = 'XX' WHERE org_id = 'catl'")


def test_no_foreign_key_points_nowhere(con):
    orphans = []
    for table, cols, ref_table, ref_cols in _foreign_keys(con):
        on = " AND ".join(f'r."{rc}" = t."{c}"' for c, rc in zip(cols, ref_cols))
        not_null = " AND ".join(f't."{c}" IS NOT NULL' for c in cols)
        (n,) = con.execute(
            f'SELECT count(*) FROM "{table}" AS t WHERE {not_null} '
            f'AND NOT EXISTS (SELECT 1 FROM "{ref_table}" AS r WHERE {on})'
        ).fetchone()
        if n:
            orphans.append((table, cols, n))
    assert orphans == []


def test_every_fact_table_cites_a_source_in_every_row(con):
    tables = {t for (t,) in rows(con, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")}
    with_source = {t for (t,) in rows(con, """
        SELECT table_name FROM duckdb_columns()
        WHERE schema_name = 'main' AND column_name = 'source_id' AND NOT is_nullable
    """)}
    assert tables - with_source == REFERENCE_TABLES


def test_every_source_is_a_stored_article_or_cited_by_one(con):
    assert rows(con, """
        SELECT source_id FROM sources
        WHERE file_name IS NULL
          AND source_id NOT IN (
              SELECT c.cited_source_id FROM source_citations AS c
              JOIN sources AS s ON s.source_id = c.citing_source_id
              WHERE s.file_name IS NOT NULL)
    """) == []


def test_every_article_file_is_a_source(con):
    # Not a skip: CI and every checkout have the articles at ../shared/sources, and a run without them
    # would pass without checking what each source row claims to be.
    assert SHARED_SOURCES.is_dir(), f"{SHARED_SOURCES}: the source articles are not beside this checkout"
    index = (SHARED_SOURCES / "README.md").read_text()
    listed = set(re.findall(r"\b\d{3}_[0-9a-f]{16}\.txt\b", index))
    assert listed == {p.name for p in SHARED_SOURCES.glob("*.txt")}
    assert {f for (f,) in rows(con, "SELECT file_name FROM sources WHERE file_name IS NOT NULL")} == listed


def test_every_organisation_is_referenced_by_some_fact(con):
    """An organisation nobody points at is usually a typo in an id."""
    referencing = [
        (t, c) for t, c, rt, _ in (
            (t, cols[0], rt, rc) for t, cols, rt, rc in _foreign_keys(con)
        ) if rt == "organisations"
    ]
    union = " UNION ".join(f'SELECT "{c}" AS org_id FROM "{t}"' for t, c in referencing)
    assert rows(con, f"SELECT org_id FROM organisations WHERE org_id NOT IN ({union}) ORDER BY org_id") == []
