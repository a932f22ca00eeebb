"""The catalogue site: static HTML pages of every table, column and named query, generated from a built database.

``write(db, out)`` writes a folder that opens from a USB stick or an
intranet share: no CDN, no fonts or scripts from elsewhere, every link
relative. Its steps run in order (``STEPS``); the folder is written beside
``out`` and put in its place at the end, so that a failed run leaves the
previous site as it was, and a folder that is not a site is never written
over (it would be replaced whole).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import progress
from ..database import Database
from ..errors import BatterydbError
from ..version import DESCRIPTION
from . import charts, diagram, model, pages, questions, sources

#: Written into every site, so that a later run knows the folder is one it may replace.
MARKER = ".batterydb-site"


@dataclass
class Site:
    """What the steps share: the model read from the database, the folder being written, and the pages so far."""

    db: Database
    folder: Path
    model: model.Model | None = None
    diagram_svg: str = ""
    pages: list[str] = field(default_factory=list)  # paths from the top folder, in the order written
    charts: list = field(default_factory=list)  # charts.Chart, each with its page, listed on the index
    sources: dict = field(default_factory=dict)  # sources.Source by id
    questions: dict = field(default_factory=dict)  # questions.Question by query name
    built: str | None = None  # when the database was built, as every page's header shows it


def read_model(site: Site) -> None:
    """Tables, columns, keys, counts, samples and queries, from the database's catalog and catalogue."""
    site.model = model.read(site.db)


def read_sources(site: Site) -> None:
    """The sources, and which of them each fact table's rows cite (shown on the table's page)."""
    site.sources = sources.read(site.db)
    for name, cited in sources.cited(site.db, sources.fact_tables(site.model)).items():
        site.model.tables[name].cited = cited


def read_questions(site: Site) -> None:
    """What each query reads (by sqlglot), its example's answer here, and how to ask it; on each table's page,
    the queries that read it."""
    site.questions = questions.read(site.db, site.model.queries)
    for table, read_by in questions.readers(site.questions).items():
        site.model.tables[table].read_by = read_by


def draw_model(site: Site) -> None:
    """The entity-relationship diagram, by Graphviz, linked to the table pages."""
    site.diagram_svg = diagram.render_svg(diagram.dot_source(site.model))
    (site.folder / "model.svg").write_text(site.diagram_svg, encoding="utf-8")


def table_pages(site: Site) -> None:
    for table in site.model.tables.values():
        site.pages.append(pages.write(site, diagram.table_page(table.name), "table.html", t=table,
                                      title=table.name))


def source_pages(site: Site) -> None:
    """A page per source with the rows resting on it, streamed one source at a time; then the list of them all."""
    written = set()
    for source_id, resting in sources.resting(site.db, sources.fact_tables(site.model)):
        site.pages.append(_source_page(site, site.sources[source_id], resting))
        written.add(source_id)
    for source in site.sources.values():
        if source.source_id not in written:
            site.pages.append(_source_page(site, source, []))
    site.pages.append(pages.write(site, "sources/index.html", "sources.html", title="Sources",
                                  sources=list(site.sources.values())))


def _source_page(site: Site, source: sources.Source, resting: list[sources.Resting]) -> str:
    return pages.write(site, sources.page(source.source_id), "source.html", s=source, resting=resting,
                       tables=site.model.tables, title=source.source_id)


def query_pages(site: Site) -> None:
    for query in site.model.queries.values():
        site.pages.append(pages.write(site, f"queries/{query.name}.html", "query.html", query=query,
                                      title=query.name, notes=query.notes, q=site.questions[query.name]))


def chart_pages(site: Site) -> None:
    """The charts, drawn from the named queries to SVG: a page per family, and their index."""
    site.pages.extend(charts.write(site))


def index_page(site: Site) -> None:
    tables = list(site.model.tables.values())
    site.pages.append(pages.write(site, "index.html", "index.html", title="Catalogue", tables=tables,
                                  queries=list(site.model.queries.values()), diagram=site.diagram_svg,
                                  total_rows=sum(t.rows for t in tables), description=DESCRIPTION,
                                  sources=list(site.sources.values()), charts=site.charts))
    shutil.copyfile(pages.TEMPLATES / "style.css", site.folder / "style.css")


STEPS: tuple[Callable[[Site], None], ...] = (read_model, read_sources, read_questions, draw_model, table_pages,
                                             source_pages, query_pages, chart_pages, index_page)


def write(db: Database, out: Path | str) -> list[str]:
    """Write the site of ``db`` into the folder ``out`` (new, empty, or a site written before); returns its pages."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise BatterydbError(f"{out}: is a file; give a folder for the site")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise BatterydbError(f"{out}: holds files that are not a batterydb site; give a new or empty folder "
                             "(the site replaces the folder whole)")
    if not out.parent.is_dir():
        raise BatterydbError(f"{out.parent}: no such folder")
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        site = Site(db, building)
        for step in STEPS:
            progress.stage("writing the site: " + step.__name__.replace("_", " "))
            step(site)
        (building / MARKER).write_text(json.dumps({"pages": len(site.pages)}) + "\n", encoding="utf-8")
        building.chmod(0o755)  # a temporary folder is the owner's alone; a site is for everyone to read
        _put_in_place(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return site.pages


def _put_in_place(built: Path, out: Path) -> None:
    """Replace ``out`` by ``built``: the old site moves aside first, and is removed once the new one is there."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
    built.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
