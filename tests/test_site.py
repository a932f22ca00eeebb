"""The catalogue site (batterydb docs): a page per table and query, the model's diagram, and nothing from elsewhere.

The site of the shipped database is written once through the library;
the tests read its files as a browser would find them: links followed
from page to page, the diagram's boxes and arrows counted, the values on
a page compared with the database's.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pytest

import batterydb
from batterydb import BatterydbError, cli, site
from batterydb.site import model, questions, sources
from batterydb.site import pages as rendering

from conftest import REPO, run_cli


class Page(HTMLParser):
    """What a page points at (links, stylesheets, scripts, images) and the ids its anchors can reach."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, target)
        self.ids: set[str] = set()
        self.text_parts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src", "xlink:href"):
            if attrs.get(name):
                self.links.append((tag, attrs[name]))

        if tag in BLOCKS:
            self.text_parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.text_parts.append(" ")

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        """The words a reader sees, a space between cells and blocks, spaces run together."""
        return " ".join("".join(self.text_parts).split())


#: Elements whose text a reader sees apart from their neighbours'.
BLOCKS = {"p", "li", "td", "th", "tr", "dt", "dd", "h1", "h2", "pre", "header", "title", "span"}


@pytest.fixture(scope="module")
def written(site_folder) -> Path:
    return site_folder


def pages(folder: Path) -> dict[Path, Page]:
    return {path: Page(path.read_text(encoding="utf-8")) for path in sorted(folder.rglob("*.html"))}


def table_names(db) -> list[str]:
    return [t for (t,) in db.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
                                 "ORDER BY table_name").rows()]


class TestPages:
    def test_every_table_and_query_has_its_page(self, written, db):
        assert sorted(p.stem for p in (written / "tables").glob("*.html")) == table_names(db)
        assert sorted(p.stem for p in (written / "queries").glob("*.html")) == sorted(batterydb.catalogue.load())
        assert len(table_names(db)) == 42 and len(batterydb.catalogue.load()) == 23

    def test_every_link_leads_to_a_file_of_the_site_and_its_anchor(self, written):
        found = pages(written)
        checked = 0
        for path, page in found.items():
            for tag, target in page.links:
                assert "//" not in target and not target.startswith(("/", "data:", "javascript:")), (path, target)
                file, anchor = urldefrag(target)
                goal = (path.parent / file).resolve() if file else path
                assert goal.is_file() and written.resolve() in goal.parents, (path, target)
                if anchor:
                    assert anchor in found[goal].ids, (path, target)
                checked += 1
        assert checked > 400

    def test_nothing_is_loaded_from_elsewhere(self, written):
        """Stylesheets, scripts and images: only the site's own stylesheet; the one script is inline."""
        loaded = {(tag, target) for page in pages(written).values() for tag, target in page.links if tag != "a"}
        assert {target for _, target in loaded} <= {"style.css", "../style.css"}
        assert all(re.search(r"<script\b[^>]*\bsrc=", p.read_text(encoding="utf-8")) is None
                   for p in written.rglob("*.html"))
        assert "@import" not in (written / "style.css").read_text(encoding="utf-8")


class TestTablePage:
    def test_columns_with_type_nullability_key_and_comment(self, written, db):
        text = Page((written / "tables" / "ownership_stakes.html").read_text(encoding="utf-8")).text
        for name, data_type, nullable, comment in db.sql(
                "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
                "WHERE table_name = 'ownership_stakes' ORDER BY column_index").rows():
            null = "may be NULL" if nullable else "never NULL"
            assert f"{name} {data_type} {null}" in text, name
            assert " ".join(comment.split()) in text, name

    def test_foreign_keys_both_ways_as_links(self, written):
        stakes = Page((written / "tables" / "ownership_stakes.html").read_text(encoding="utf-8"))
        assert ("a", "organisations.html#column-org_id") in stakes.links
        assert ("a", "stake_kinds.html") in stakes.links
        organisations = Page((written / "tables" / "organisations.html").read_text(encoding="utf-8"))
        assert ("a", "ownership_stakes.html") in organisations.links
        assert "ownership_stakes (owner_org_id)" in organisations.text
        assert "ownership_stakes (owned_org_id)" in organisations.text

    def test_a_vocabulary_lists_every_value_with_its_description(self, written):
        with (REPO / "seeds" / "qualifiers.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        text = Page((written / "tables" / "qualifiers.html").read_text(encoding="utf-8")).text
        assert len(rows) == 8 and "Every row of the 8, by key" in text
        for row in rows:
            assert " ".join(" ".join(row.values()).split()) in text

    def test_row_count_and_a_sample_in_key_order_with_null_shown_and_numbers_whole(self, written, db):
        text = Page((written / "tables" / "ownership_stakes.html").read_text(encoding="utf-8")).text
        (count,) = db.sql("SELECT count(*) FROM ownership_stakes").rows()[0]
        assert f"{count} rows." in text
        first = db.sql("SELECT * FROM ownership_stakes ORDER BY stake_id LIMIT 1").rows()[0]
        shown = " ".join("NULL" if v is None else str(v) for v in first)
        assert " ".join(shown.split()) in text
        assert f"The first {model.SAMPLE_ROWS} by key, of {count}" in text


class TestQueryPage:
    def test_question_parameters_columns_usage_and_sql(self, written):
        query = batterydb.catalogue.load()["owners_of"]
        text = Page((written / "queries" / "owners_of.html").read_text(encoding="utf-8")).text
        assert f"{query.title}: {query.question}" in text
        for p in query.params:
            assert f"{p.name} {p.type}" in text and " ".join(p.description.split()) in text
        for name, data_type in query.columns:
            assert f"{name} {data_type} {' '.join(query.descriptions[name].split())}" in text
        assert "batterydb query owners_of --param org=beijing_era" in text
        assert 'batterydb.connect().run("owners_of", org="beijing_era").show()' in text
        assert "SELECT * FROM analytics.owners_of(org := 'beijing_era');" in text
        assert " ".join(query.sql.split()) in text

    def test_what_it_reads_linked_to_each_table_and_column(self, written):
        page = Page((written / "queries" / "owners_of.html").read_text(encoding="utf-8"))
        assert ("organisations: name, org_id ownership_stakes: kind, owned_org_id, owner_org_id, qualifier, "
                "reported_on, share_max_exclusive, share_max_pct, share_min_exclusive, share_min_pct, share_pct, "
                "source_id Example") in page.text
        links = [target for tag, target in page.links if tag == "a"]
        assert "../tables/ownership_stakes.html#column-share_pct" in links
        assert "../tables/organisations.html#column-name" in links
        assert "tie VARCHAR The kind of stake (ownership_stakes.kind), or undisclosed for the remainder. " \
               "ownership_stakes.kind share_as_stated" in page.text

    def test_the_example_answer_from_this_database(self, written):
        """Beijing Era's stakes as the source gives them (51, 39 and 5%), and the 5% the three leave undisclosed."""
        text = Page((written / "queries" / "owners_of.html").read_text(encoding="utf-8")).text
        rows = [f"Beijing Era New Energy Technology {owner} {tie} {share} {share}.000000 {share}.000000 2024-03-11 "
                f"{source}" for owner, tie, share, source in [("CATL", "jv_partner", 51, "electrive_2024_03"),
                                                              ("BAIC", "jv_partner", 39, "electrive_2024_03"),
                                                              ("Xiaomi", "jv_partner", 5, "electrive_2024_03"),
                                                              ("NULL", "undisclosed", 5, "NULL")]]
        assert ("batterydb query owners_of --param org=beijing_era on this database: 4 rows; NULL is shown as NULL. "
                "organisation owner tie share_as_stated share_min_pct share_max_pct reported_on source_id "
                + " ".join(rows) + " How to ask it") in text

    def test_a_long_answer_shows_its_first_rows_and_its_count(self, written, db):
        count = len(db.run("data_gaps"))
        assert count > questions.EXAMPLE_ROWS
        page = (written / "queries" / "data_gaps.html").read_text(encoding="utf-8")
        assert f"{count:,} rows, the first {questions.EXAMPLE_ROWS} shown" in Page(page).text
        example = page[page.index('id="example"'):page.index("</table>", page.index('id="example"'))]
        assert example.count("<tr>") == 1 + questions.EXAMPLE_ROWS

    def test_a_place_it_does_not_carry_to_is_said(self, written):
        text = Page((written / "queries" / "ownership_chain.html").read_text(encoding="utf-8")).text
        assert "PostgreSQL SELECT * FROM batterydb_analytics.ownership_chain(org => 'beijing_era');" in text
        assert ("It does not carry to Spark (batterydb transpile ownership_chain --dialect spark says why)."
                in text)

    def test_an_example_that_fails_says_why_on_the_page(self, db, tmp_path):
        """On another database the example may name what is not there: the page says so rather than fail."""
        query = dataclasses.replace(db.queries["owners_of"], example="org='Nobody Ltd'")
        question = questions.read(db, {"owners_of": query})["owners_of"]
        rendering.write(site.Site(db, tmp_path), "queries/owners_of.html", "query.html", query=query,
                        title=query.name, notes=query.notes, q=question)
        text = Page((tmp_path / "queries" / "owners_of.html").read_text(encoding="utf-8")).text
        assert ("batterydb query owners_of --param 'org=Nobody Ltd' on this database: no organisation matches "
                "'Nobody Ltd'; none has a similar id, name or alias How to ask it") in text

    def test_a_table_page_lists_the_queries_that_read_it(self, written, schema_reads):
        page = Page((written / "tables" / "ownership_stakes.html").read_text(encoding="utf-8"))
        readers = sorted(name for name, reads in schema_reads.items() if "ownership_stakes" in reads)
        assert readers == ["attributable_capacity", "data_gaps", "joint_venture_owners", "organisation_profile",
                           "organisation_sources", "owners_of", "ownership_chain", "partner_network", "provenance",
                           "timeline"]
        assert [target for tag, target in page.links if target.startswith("../queries/")] == [
            f"../queries/{name}.html" for name in readers]
        assert "partner_network: kind, owned_org_id, owner_org_id, source_id" in page.text


@pytest.fixture(scope="module")
def schema_reads(con):
    from batterydb import lineage, transpile

    schema, known = lineage.schema_of(con), transpile.macros()
    return {name: lineage.of(query, schema, known).reads for name, query in batterydb.catalogue.load().items()}


class TestDiagram:
    def test_a_box_a_table_linked_to_its_page_and_an_arrow_a_foreign_key(self, written, db):
        svg = (written / "model.svg").read_text(encoding="utf-8")
        boxes = re.findall(r'<g id="table&#45;(\w+)" class="node"', svg)
        assert sorted(boxes) == table_names(db)
        assert sorted(re.findall(r'xlink:href="tables/(\w+)\.html"', svg)) == table_names(db)
        keys = batterydb.schema.foreign_keys(db.connection)
        assert len(re.findall(r'class="edge"', svg)) == len(keys) > 40

    def test_the_index_holds_the_diagram_and_lists_every_table_and_query(self, written, db):
        index = Page((written / "index.html").read_text(encoding="utf-8"))
        assert {f"tables/{t}.html" for t in table_names(db)} <= {target for _, target in index.links}
        assert {f"queries/{q}.html" for q in batterydb.catalogue.load()} <= {target for _, target in index.links}
        assert "table-organisations" in index.ids  # the diagram is inline, so its boxes are links on the page
        assert "42 tables" in index.text and "23 named queries" in index.text

    def test_without_graphviz_the_error_says_what_to_install(self, db, tmp_path, monkeypatch):
        monkeypatch.setenv("PATH", str(tmp_path))
        with pytest.raises(BatterydbError) as caught:
            site.write(db, tmp_path / "site")
        assert str(caught.value) == ("batterydb docs draws the model with Graphviz's dot, which is not installed: "
                                     "apt-get install graphviz (Debian, Ubuntu) or brew install graphviz (macOS)")
        assert [p.name for p in tmp_path.iterdir()] == []  # nothing left behind


class TestTheFolder:
    def test_a_folder_that_is_not_a_site_is_never_written_over(self, db, tmp_path):
        (tmp_path / "notes.txt").write_text("mine\n")
        with pytest.raises(BatterydbError) as caught:
            site.write(db, tmp_path)
        assert str(caught.value) == (f"{tmp_path}: holds files that are not a batterydb site; give a new or empty "
                                     "folder (the site replaces the folder whole)")
        assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]

    def test_a_failed_run_leaves_the_previous_site_as_it_was(self, db, written, tmp_path, monkeypatch):
        folder = tmp_path / "site"
        shutil.copytree(written, folder)  # a site written before
        before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

        def broken(s):
            raise RuntimeError("half way")

        monkeypatch.setattr(site, "STEPS", site.STEPS[:2] + (broken,))
        with pytest.raises(RuntimeError):
            site.write(db, folder)
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-written folder beside it

    def test_a_site_written_before_is_replaced_and_readable_by_all(self, db, written, tmp_path):
        folder = tmp_path / "site"
        shutil.copytree(written, folder)
        folder.chmod(0o700)
        (folder / "tables" / "gone.html").write_text("an old page\n")
        site.write(db, folder)
        assert not (folder / "tables" / "gone.html").exists()
        assert oct(folder.stat().st_mode & 0o777) == "0o755"

    def test_the_command_says_where_the_site_is(self, built_db, tmp_path):
        result = run_cli("docs", "--db", str(built_db), "--out", "site", cwd=tmp_path)
        # a page per table, query and source, the index, the list of sources, and the charts' index and
        # their four pages: 85 on the shipped data
        assert (result.returncode, result.stdout) == (0, "wrote 87 pages to site; open site/index.html\n")
        assert result.stderr.splitlines() == [f"batterydb: writing the site: {step}" for step in (
            "read model", "read sources", "read questions", "draw model", "table pages", "source pages",
            "query pages", "chart pages", "index page")]

    def test_quiet_keeps_the_steps_back(self, built_db, tmp_path, capsys, monkeypatch):
        monkeypatch.setattr(site, "STEPS", site.STEPS[:1])  # the telling is the same for every step
        assert cli.main(["docs", "--db", str(built_db), "--out", str(tmp_path / "site"), "--quiet"]) == 0
        out = tmp_path / "site"
        assert capsys.readouterr() == (f"wrote 0 pages to {out}; open {out / 'index.html'}\n", "")


class TestSourcePages:
    """A page per source, with what it cites and every fact row naming it; the reverse on each table's page."""

    def test_every_source_has_its_page(self, written, con):
        ids = [r[0] for r in con.execute("SELECT source_id FROM sources ORDER BY source_id").fetchall()]
        assert sorted(p.stem for p in (written / "sources").glob("*.html") if p.stem != "index") == ids

    def test_an_article_page_lists_its_citations_and_counts_its_rows(self, written, con):
        text = Page((written / "sources" / "bloomberg_2012_08_08.html").read_text()).text
        n, tables = con.execute(
            "SELECT count(*), count(DISTINCT table_name) FROM row_sources() "
            "WHERE source_id = 'bloomberg_2012_08_08' AND table_name NOT IN ('sources', 'source_citations')").fetchone()
        # (its citations are listed under "What it cites", not as rows resting on it)
        assert f"{n} rows in {tables} tables name it as their source" in text
        assert "Published 2012-08-08 (known to the day)" in text
        assert "bnef_email_2012: Quotes an analyst" in text

    def test_a_source_resting_many_rows_of_a_table_lists_the_first_by_key_and_counts_all(self, db, monkeypatch):
        """carboncreditsusa_2008_12_29 names 8 organisations; with the cap at 3, the first 3 by org_id, of 8."""
        monkeypatch.setattr(sources, "ROWS_PER_TABLE", 3)
        tables = sources.fact_tables(model.read(db))
        resting = dict(sources.resting(db, tables))["carboncreditsusa_2008_12_29"]
        organisations = next(r for r in resting if r.table == "organisations")
        assert organisations.count == 8
        assert [(row[0], row[1]) for row in organisations.rows] == [
            ("aesc", "AESC"), ("carboncreditsusa", "carboncreditsusa"), ("nec", "NEC")]

    def test_a_table_page_links_the_sources_its_rows_cite(self, written, con):
        page = Page((written / "tables" / "capacities.html").read_text())
        expected = {f"../sources/{s}.html#table-capacities" for (s,) in con.execute(
            "SELECT DISTINCT source_id FROM capacities").fetchall()}
        assert {href for tag, href in page.links if "#table-capacities" in href} == expected
