"""Ownership data as the Beneficial Ownership Data Standard (BODS 0.4): organisations and stakes as statements.

``export(db, path)`` writes an entity statement per organisation (with its
other names and its identifiers in registers) and a
relationship statement per ownership stake, plus one per joint venture and
date whose stated shares leave part of it undisclosed, with an unspecified
interested party (BODS's way of saying who holds it is not known). The
vocabularies say how batterydb's kinds read in BODS's codelists
(``organisation_kinds.bods_entity_type``, ``stake_kinds.bods_interest_type``,
``source_kinds.bods_source_type``), so that mapping is data, described once.

A share is written exactly as stored: an exact share as ``exact``, a bound
as ``minimum``/``maximum`` or, where the bound itself is excluded,
``exclusiveMinimum``/``exclusiveMaximum``, and an unknown share as no
share at all, never zero. ``about 20%``, which BODS cannot qualify, is
``exact`` with the wording in the interest's ``details``.

Ids are stable: a record's id is its row's key, and a statement's id the
digest DuckDB works out of everything its row holds (``row_digest`` in
the SQL) and of ``MAPPING``, so that exporting the same data again gives
the same ids and a changed stake a new statement for the same record,
which BODS readers take as replacing the earlier one.

The rows come from DuckDB a batch at a time (``bods/*.sql``) and each
statement is written as it is made, so a large export holds one batch in
memory: a JSON array for a ``.json`` file, JSON Lines for ``.jsonl``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from .. import progress
from ..database import Database
from ..errors import BatterydbError
from ..version import __version__

SQL = Path(__file__).parent
BODS_VERSION = "0.4"
#: Rows read from DuckDB at a time.
BATCH_ROWS = 10_000
RECORD_PREFIX = "batterydb"
#: Part of every statement id: raised when a row comes to be stated otherwise, so that its id changes too.
MAPPING = 1


def export(db: Database, path: Path | str) -> dict[str, int]:
    """Write the statements of ``db`` to ``path`` (.json: an array; .jsonl: one statement a line); counts by type."""
    path = Path(path)
    if path.suffix not in (".json", ".jsonl"):
        raise BatterydbError(f"{path}: a BODS file is .json (an array of statements) or .jsonl (one a line)")
    if not path.parent.is_dir():
        raise BatterydbError(f"{path.parent}: no such folder")
    if path.is_dir():
        raise BatterydbError(f"{path}: is a folder; give the file to write")
    built = db.sql("SELECT CAST(built_at AS DATE) FROM meta.build").rows()
    publication = {"publicationDate": (built[0][0] if built else dt.date.today()).isoformat(),
                   "bodsVersion": BODS_VERSION,
                   "publisher": {"name": f"batterydb {__version__}"}}
    counts = {"entity": 0, "relationship": 0}
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as out:
            lines = path.suffix == ".jsonl"
            out.write("" if lines else "[\n")
            first = True
            for statement in _statements(db, publication):
                if not lines and not first:
                    out.write(",\n")
                out.write(json.dumps(statement, ensure_ascii=False, default=_number) + ("\n" if lines else ""))
                counts[statement["recordType"]] += 1
                first = False
            out.write("" if lines else "\n]\n")
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return counts


def _statements(db: Database, publication: dict) -> Iterator[dict]:
    progress.stage("writing BODS statements: entities")
    for row in _rows(db, "entities.sql"):
        yield _statement(row, row["org_id"], "entity", _record_id("entity", row["org_id"]), _entity(row),
                         publication, row["source_published_on"])
    progress.stage("writing BODS statements: relationships")
    for row in _rows(db, "relationships.sql"):
        record = _record_id("relationship", row["relationship_key"])
        yield _statement(row, row["owned_org_id"], "relationship", record, _relationship(row), publication,
                         row["reported_on"])


def _rows(db: Database, name: str) -> Iterator[dict]:
    cursor = db.connection.cursor()
    try:
        cursor.execute((SQL / name).read_text(encoding="utf-8"))
        columns = [d[0] for d in cursor.description]
        while batch := cursor.fetchmany(BATCH_ROWS):
            for values in batch:
                yield dict(zip(columns, values))
    finally:
        cursor.close()


def _record_id(kind: str, key: str) -> str:
    return f"{RECORD_PREFIX}-{'org' if kind == 'entity' else 'stake'}-{key}"


def _statement(row: dict, subject_org: str, record_type: str, record_id: str, details: dict, publication: dict,
               dated: dt.date | None) -> dict:
    """One statement of ``row``; its id from the row's digest, so unchanged data keeps its id."""
    digest = hashlib.sha256(f"{MAPPING}:{row['row_digest']}".encode()).hexdigest()[:40]
    statement = {"statementId": f"{RECORD_PREFIX}-{digest}",
                 "statementDate": dated.isoformat() if dated else publication["publicationDate"],
                 "publicationDetails": publication, "declarationSubject": _record_id("entity", subject_org),
                 "recordId": record_id, "recordType": record_type, "recordStatus": "new", "recordDetails": details}
    source = _source(row)
    if source is not None:
        statement["source"] = source
    return statement


def _entity(row: dict) -> dict:
    entity_type = {"type": row["bods_entity_type"]}
    if row["bods_entity_subtype"]:
        entity_type["subtype"] = row["bods_entity_subtype"]
    details = {"isComponent": False, "entityType": entity_type, "name": row["name"]}
    if row["alternate_names"]:
        details["alternateNames"] = list(row["alternate_names"])
    if row["identifiers"]:
        details["identifiers"] = [dict(identifier) for identifier in row["identifiers"]]
    if row["country_code"]:
        details["jurisdiction"] = {"name": row["country_name"], "code": row["country_code"]}
    return details


def _relationship(row: dict) -> dict:
    # A stake is an owner's own holding; who holds an undisclosed remainder, and how, is not known.
    interest = {"type": row["bods_interest_type"],
                "directOrIndirect": "direct" if row["owner_org_id"] is not None else "unknown"}
    share = _share(row)
    if share:
        interest["share"] = share
    if row["qualifier"] == "about":
        interest["details"] = f"about {_number(row['share_pct'])}%, as the source gives it"
    interest["startDate"] = row["reported_on"].isoformat()
    if row["owner_org_id"] is None:
        party = {"reason": "informationUnknownToPublisher",
                 "description": "The part of the joint venture its reported stakes leave undisclosed"}
    else:
        party = _record_id("entity", row["owner_org_id"])
    return {"isComponent": False, "subject": _record_id("entity", row["owned_org_id"]), "interestedParty": party,
            "interests": [interest]}


def _share(row: dict) -> dict:
    """The share as stored: exact, or each bound under the name of its kind; nothing for an unknown share."""
    if row["share_pct"] is not None:
        return {"exact": row["share_pct"]}
    share = {}
    if row["share_min_pct"] is not None:
        share["exclusiveMinimum" if row["share_min_exclusive"] else "minimum"] = row["share_min_pct"]
    if row["share_max_pct"] is not None:
        share["exclusiveMaximum" if row["share_max_exclusive"] else "maximum"] = row["share_max_pct"]
    return share


def _source(row: dict) -> dict | None:
    if row["source_id"] is None:
        return None  # worked out from other statements' stakes, not stated by a source
    said = "; ".join(part for part in (row["source_title"], row["source_publisher_note"]) if part)
    description = f"batterydb source {row['source_id']}" + (f": {said}" if said else "")
    if row["source_published_text"]:
        description += f", published {row['source_published_text']}"
    if row["source_file_name"]:
        description += f" (stored copy {row['source_file_name']})"
    return {"type": [row["bods_source_type"]], "description": description}


def _number(value):
    """A DECIMAL share as a JSON number with the digits it has: 51.000000 as 51, 33.333334 as 33.333334."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {value!r} as JSON")
