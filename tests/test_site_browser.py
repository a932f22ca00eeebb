"""The catalogue site as a reader sees it: every page opened in a real browser (Debian's chromium, headless).

tests/test_site.py reads the files; this module opens them, so that what
only a browser does is tested too: the stylesheet and any image or script
actually requested (and nothing from elsewhere), the console's errors, the
links resolved as a click would resolve them, the diagram as drawn in the
page, the index's filter run by its own script, and the index rendered.

One browser serves the whole module, and every page of the site (found by
walking the folder, so that new kinds of page are covered unasked) is
opened once, in the ``visits`` fixture, which keeps what each showed and
did; the tests then judge those visits. The last class plants a fault in
a copy of a page, so that each check is seen to fail when it should.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import pytest
from selenium.webdriver.common.keys import Keys

import batterydb

import browser
from browser import BrowserMissing, Visit, outside, unresolved

#: What every page's title ends with (templates/base.html), after the page's own name.
TITLE_SUFFIX = " · batterydb"


@pytest.fixture(scope="module")
def driver():
    """One headless Chromium for the module; missing, it fails every test here with what installs it."""
    try:
        chromium, missing = browser.start(), None
    except BrowserMissing as problem:
        chromium, missing = None, str(problem)
    if missing:
        pytest.fail(missing, pytrace=False)
    yield chromium
    chromium.quit()


@pytest.fixture(scope="module")
def site(site_folder: Path) -> Path:
    return site_folder.resolve()


@pytest.fixture(scope="module")
def visits(driver, site: Path) -> dict[Path, Visit]:
    """Every HTML page of the site, opened once in the browser, by its resolved path."""
    return {path: browser.visit(driver, path) for path in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def ids(visits) -> dict[Path, set[str]]:
    return {path: v.ids for path, v in visits.items()}


def table_names(db) -> list[str]:
    return [t for (t,) in db.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
                                 "ORDER BY table_name").rows()]


def named(site: Path, pages: dict) -> dict[str, object]:
    """``pages`` ({page's path from the top: value}) for the pages where the value is not empty."""
    return {str(path.relative_to(site)): value for path, value in pages.items() if value}


class TestEveryPage:
    """Each page loads whole from its folder: named, with no console error and no request leaving the folder."""

    def test_the_walk_opened_every_kind_of_page(self, visits, site, db):
        """The walk is the folder's, so this only makes sure it found the site (and not an empty folder)."""
        folders = Counter(str(path.parent.relative_to(site)) for path in visits)
        assert folders["tables"] == len(table_names(db))
        assert folders["queries"] == len(batterydb.catalogue.load())
        assert folders["."] >= 1 and folders["sources"] >= 2
        assert len(visits) == len(list(site.rglob("*.html"))) >= 80

    def test_every_page_has_a_title_naming_it(self, visits, site):
        untitled = {path: v.title for path, v in visits.items()
                    if not v.title.endswith(TITLE_SUFFIX) or not v.title.removesuffix(TITLE_SUFFIX).strip()}
        assert named(site, untitled) == {}

    def test_no_page_logs_a_console_error(self, visits, site):
        """Failed loads (a missing stylesheet or image) and script errors are SEVERE entries."""
        assert named(site, {path: v.console for path, v in visits.items()}) == {}

    def test_no_page_requests_anything_outside_the_folder(self, visits, site):
        assert named(site, {path: outside(v, site) for path, v in visits.items()}) == {}

    def test_the_requests_were_seen_each_page_itself_first_and_the_stylesheet(self, visits, site):
        """Without this, an empty log (the performance log not read) would pass the test above."""
        style = (site / "style.css").as_uri()
        assert {path: (v.requests[:1], style in v.requests) for path, v in visits.items()} == {
            path: ([path.as_uri()], True) for path in visits}


class TestLinks:
    """Every link on every page, as the browser resolves it, leads to a file of the folder and to its anchor."""

    def test_every_link_resolves_to_a_file_of_the_folder_and_its_anchor(self, visits, site, ids):
        assert named(site, {path: unresolved(v, site, ids) for path, v in visits.items()}) == {}

    def test_the_links_checked_include_anchors_and_the_diagram(self, visits, site, db):
        """The check above means something only if links were read: anchors and the inline SVG's among them."""
        links = [link for v in visits.values() for link in v.links]
        assert len(links) > 400
        assert sum("#" in link for link in links) > 50
        index = visits[site / "index.html"]
        pages = [(site / "tables" / f"{t}.html").as_uri() for t in table_names(db)]
        assert sorted(index.svg_links) == pages  # a box in the diagram per table
        assert set(pages) <= set(index.html_links)  # and a row in the listing


class TestEachTableAndQuery:
    """Every table of the database and every named query has its page, headed by its name."""

    @pytest.mark.parametrize("folder", ["tables", "queries"])
    def test_has_its_page_headed_by_its_name(self, folder, visits, site, db):
        names = table_names(db) if folder == "tables" else sorted(batterydb.catalogue.load())
        pages = {path.stem: v for path, v in visits.items() if path.parent == site / folder}
        assert sorted(pages) == names
        assert {name: (v.h1, v.title) for name, v in pages.items()} == {
            name: (name, name + TITLE_SUFFIX) for name in names}

    @pytest.mark.parametrize("folder", ["tables", "queries"])
    def test_the_index_links_each_page(self, folder, visits, site):
        pages = {path.as_uri() for path in visits if path.parent == site / folder}
        assert pages <= set(visits[site / "index.html"].links)


#: Each box of the diagram as drawn in the page: its id, its links resolved, its first line and its size on screen.
BOXES = """
return Array.from(document.querySelectorAll("svg g.node"), g => {
    const box = g.getBoundingClientRect(), text = g.querySelector("text");
    return {
        id: g.id,
        links: Array.from(g.querySelectorAll("a"), a => new URL(a.href.baseVal, document.baseURI).href),
        text: text === null ? null : text.textContent,
        drawn: box.width > 0 && box.height > 0,
    };
});
"""


class TestDiagram:
    """The model's diagram, inline on the index and on its own, has a box per table linking to its page."""

    def test_the_index_draws_a_box_per_table_each_linking_to_its_page(self, driver, site, db):
        driver.get((site / "index.html").as_uri())
        boxes = driver.execute_script(BOXES)
        assert {b["id"]: (b["links"], b["text"], b["drawn"]) for b in boxes} == {
            f"table-{t}": ([(site / "tables" / f"{t}.html").as_uri()], t, True) for t in table_names(db)}
        assert len(boxes) == len(table_names(db))

    def test_the_diagram_opened_alone_has_the_same_boxes_and_loads_cleanly(self, driver, site, db, ids):
        """model.svg is a file of the site too: its links, relative to the top folder, resolve from there."""
        diagram = browser.visit(driver, site / "model.svg")
        assert (diagram.console, outside(diagram, site), unresolved(diagram, site, ids)) == ([], [], [])
        assert (diagram.html_links, sorted(diagram.svg_links)) == (
            [], [(site / "tables" / f"{t}.html").as_uri() for t in table_names(db)])
        boxes = driver.execute_script(BOXES)
        assert sorted(b["id"] for b in boxes) == [f"table-{t}" for t in table_names(db)]


#: Every row the filter may hide: which listing it is in, the name it links, whether it is drawn.
ROWS = """
return Array.from(document.querySelectorAll("tr[data-search]"), row => [
    row.closest("table").id, row.querySelector("a").textContent, row.getClientRects().length > 0]);
"""


def searchable(db) -> dict[tuple[str, str], str]:
    """What the filter is meant to search, from the database and the catalogue rather than the page:
    a table's name, column names and comment; a query's name, title, question and column names."""
    words = {("tables", name): f"{name} {columns} {comment or ''}" for name, columns, comment in db.sql(
        "SELECT t.table_name, string_agg(c.column_name, ' '), any_value(t.comment) FROM duckdb_tables() t "
        "JOIN duckdb_columns() c USING (schema_name, table_name) WHERE t.schema_name = 'main' "
        "GROUP BY t.table_name").rows()}
    for q in batterydb.catalogue.load().values():
        words["queries", q.name] = f"{q.name} {q.title} {q.question} {' '.join(c for c, _ in q.columns or ())}"
    return words


class TestIndexFilter:
    """The index's filter, typed into as a reader would: the rows holding every word typed stay, the rest hide."""

    @pytest.fixture
    def index(self, driver, site):
        driver.get((site / "index.html").as_uri())
        return driver

    def shown(self, driver) -> tuple[list[tuple[str, str]], str]:
        rows = driver.execute_script(ROWS)
        return [(listing, name) for listing, name, drawn in rows if drawn], driver.find_element("id", "shown").text

    def test_before_typing_every_row_is_shown_and_no_count(self, index, db):
        rows, count = self.shown(index)
        assert sorted(rows) == sorted(searchable(db))
        assert count == ""

    def test_a_column_name_leaves_exactly_the_tables_holding_that_column(self, index, db):
        holding = [("tables", t) for (t,) in db.sql(
            "SELECT table_name FROM duckdb_columns() WHERE schema_name = 'main' AND column_name = 'person_id' "
            "ORDER BY table_name").rows()]
        index.find_element("id", "filter").send_keys("person_id")
        rows, count = self.shown(index)
        assert rows == holding == [("tables", "people"), ("tables", "person_roles")]
        assert count == f"2 of {len(searchable(db))} shown"

    @pytest.mark.parametrize("typed", ["currency", "CURRENCY", "currency usd", " capacity   GWh "])
    def test_rows_holding_every_word_typed_in_any_case_stay(self, index, db, typed):
        words = typed.lower().split()
        expected = sorted(key for key, text in searchable(db).items() if all(w in text.lower() for w in words))
        assert 0 < len(expected) < 10  # a word that picks a few rows out of the 63, so the case tells
        index.find_element("id", "filter").send_keys(typed)
        rows, count = self.shown(index)
        assert sorted(rows) == expected
        assert count == f"{len(expected)} of {len(searchable(db))} shown"

    def test_a_second_word_narrows_what_the_first_left(self, index, db):
        box = index.find_element("id", "filter")
        box.send_keys("currency")
        first, _ = self.shown(index)
        box.send_keys(" usd")
        second, _ = self.shown(index)
        assert set(second) < set(first)
        assert sorted(second) == [("queries", "investments_usd"), ("tables", "fx_rates"), ("tables", "investments")]

    def test_a_word_no_row_holds_hides_them_all_and_clearing_shows_them_again(self, index, db):
        box = index.find_element("id", "filter")
        box.send_keys("zzqxj")
        assert self.shown(index) == ([], f"0 of {len(searchable(db))} shown")
        box.send_keys(Keys.BACKSPACE * len("zzqxj"))
        rows, count = self.shown(index)
        assert (len(rows), count) == (len(searchable(db)), "")


def colour(css: str, selector: str) -> bytes:
    """The background a rule of the stylesheet gives ``selector`` (a #rrggbb), as RGB bytes."""
    (hex_colour,) = re.findall(rf"^{re.escape(selector)} {{[^}}]*\bbackground: #([0-9a-f]{{6}})", css, re.M)
    return bytes.fromhex(hex_colour)


class TestScreenshot:
    """The index drawn at a desktop width is a page, not a blank: the header's band, text and the page's colour."""

    def test_the_index_renders_at_1280_wide(self, driver, site):
        driver.get((site / "index.html").as_uri())
        height = driver.execute_script("return window.innerHeight")
        width, drawn_height, pixels = browser.png_pixels(driver.get_screenshot_as_png())
        assert (width, drawn_height) == (browser.WIDTH, height)
        css = (site / "style.css").read_text(encoding="utf-8")
        counts = Counter(pixels)
        (most, most_count), = counts.most_common(1)
        assert most == colour(css, "body")  # the page's own background, so the stylesheet was applied
        assert pixels[5 * width + 5] == colour(css, "header")  # the header's band across the top
        assert len(counts) > 100  # text, anti-aliased, in several colours
        assert 0.05 < 1 - most_count / len(pixels) < 0.9  # a good share drawn on, but not a page of noise


def png(width: int, height: int) -> bytes:
    """A valid grey RGB PNG, for an image that loads without a console error."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\x80" * 3 * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class TestTheChecksCanFail:
    """A copy of the site with one fault planted in its index: each check finds that fault, and only it."""

    @pytest.fixture
    def planted(self, tmp_path, site, driver, visits):
        """Plant ``snippet`` at the end of the copy's index and open it: (the visit, the copy, its pages' ids)."""
        folder = tmp_path.resolve() / "site"
        shutil.copytree(site, folder)
        copied_ids = {folder / path.relative_to(site): v.ids for path, v in visits.items()}

        def plant(snippet: str) -> tuple[Visit, Path, dict]:
            index = folder / "index.html"
            text = index.read_text(encoding="utf-8")
            assert text.count("</main>") == 1
            index.write_text(text.replace("</main>", snippet + "\n</main>"), encoding="utf-8")
            return browser.visit(driver, index), folder, copied_ids
        return plant

    def test_the_copy_unplanted_passes_every_check(self, planted):
        visit, folder, ids = planted("")
        assert (visit.console, outside(visit, folder), unresolved(visit, folder, ids)) == ([], [], [])

    def test_a_request_to_another_host_is_caught_and_goes_nowhere(self, planted):
        visit, folder, ids = planted('<img src="http://example.invalid/x.png" alt="">')
        assert outside(visit, folder) == ["http://example.invalid/x.png"]
        assert [m.split(" - ")[0] for m in visit.console] == ["http://example.invalid/x.png"]  # it failed to load
        assert unresolved(visit, folder, ids) == []

    def test_a_file_beside_the_folder_is_caught_though_it_loads(self, planted, tmp_path):
        (tmp_path / "beside.png").write_bytes(png(4, 4))
        visit, folder, ids = planted('<img src="../beside.png" alt="">')
        assert outside(visit, folder) == [(tmp_path.resolve() / "beside.png").as_uri()]
        assert (visit.console, unresolved(visit, folder, ids)) == ([], [])

    @pytest.mark.parametrize("script", ['console.error("planted")', 'throw new Error("planted")'])
    def test_a_console_error_is_caught(self, planted, script):
        visit, folder, ids = planted(f"<script>{script}</script>")
        assert len(visit.console) == 1 and "planted" in visit.console[0], visit.console
        assert (outside(visit, folder), unresolved(visit, folder, ids)) == ([], [])

    @pytest.mark.parametrize("link, resolved", [
        ('<a href="tables/nowhere.html">x</a>', "tables/nowhere.html"),
        ('<a href="tables/organisations.html#column-nowhere">x</a>', "tables/organisations.html#column-nowhere"),
        ('<a href="#nowhere">x</a>', "index.html#nowhere"),
        ('<a href="tables/">x</a>', "tables/"),
        ('<svg><a href="queries/nowhere.html"><text y="10">x</text></a></svg>', "queries/nowhere.html"),
        ('<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="../x.html"><text y="9">x</text></a></svg>',
         "../x.html"),
    ], ids=["a missing page", "a missing anchor", "a missing anchor on the page", "a folder",
            "an svg href to a missing page", "an svg xlink:href out of the folder"])
    def test_a_link_to_nowhere_is_caught(self, planted, link, resolved):
        """``resolved`` is the link as the browser resolves it from the index."""
        visit, folder, ids = planted(link)
        assert unresolved(visit, folder, ids) == [urljoin((folder / "index.html").as_uri(), resolved)]
        assert (visit.console, outside(visit, folder)) == ([], [])

    def test_a_percent_encoded_file_name_resolves(self, planted, driver):
        """A source's page is named by its id percent-encoded, and linked with that name encoded once more."""
        visit, folder, ids = planted('<a href="sources/odd%2520id.html#here">x</a>')
        odd = folder / "sources" / "odd%20id.html"
        odd.write_text('<!DOCTYPE html><title>odd · batterydb</title><p id="here">', encoding="utf-8")
        ids[odd] = browser.visit(driver, odd).ids
        assert unresolved(visit, folder, ids) == []
        odd.unlink()
        assert unresolved(visit, folder, ids) == [f"{folder.as_uri()}/sources/odd%2520id.html#here"]

    def test_a_link_to_another_site_is_caught(self, planted):
        visit, folder, ids = planted('<a href="https://example.org/page">x</a>')
        assert unresolved(visit, folder, ids) == ["https://example.org/page"]
        assert (visit.console, outside(visit, folder)) == ([], [])  # a link is not a request until followed


class TestWithoutChromium:
    """Without the browser the module fails (it does not skip), saying what installs it."""

    def test_a_missing_chromedriver_says_what_installs_it(self, tmp_path):
        missing = tmp_path / "chromedriver"
        with pytest.raises(BrowserMissing) as caught:
            browser.start(chromedriver=missing)
        assert str(caught.value) == (
            f"the site's browser tests need Debian's chromium and chromium-driver ({missing} is missing): "
            "make test installs them when run as root; else sudo apt-get install chromium chromium-driver")
