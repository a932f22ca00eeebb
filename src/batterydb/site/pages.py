"""Rendering pages from the templates in ``templates/``, with values escaped and shown as the site shows them."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path
from urllib.parse import quote

import jinja2

from ..sqltext import literal
from . import sources

TEMPLATES = Path(__file__).parent / "templates"


def cell(value) -> str:
    """A value in a table cell: NULL as NULL, numbers in full (never rounded), dates in ISO form."""
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (decimal.Decimal, int, dt.date)):
        return str(value) if not isinstance(value, dt.datetime) else value.isoformat(sep=" ")
    return str(value)


_ENVIRONMENT = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                  undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
_ENVIRONMENT.filters["cell"] = cell
_ENVIRONMENT.filters["sql_text"] = literal
# A page's file name as a link: a percent sign in a name (an encoded source id) must itself be encoded.
_ENVIRONMENT.filters["href"] = lambda path: quote(path, safe="/#")
_ENVIRONMENT.globals["source_page"] = sources.page


def write(site, path: str, template: str, **values) -> str:
    """Render ``template`` to ``path`` below the site's folder; ``root`` leads from the page back to the top."""
    target = site.folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    root = "../" * path.count("/")
    if site.built is None:  # asked once, not once for each of a large database's thousands of pages
        built = site.db.sql("SELECT strftime(built_at, '%Y-%m-%d %H:%M UTC') FROM meta.build").rows()
        site.built = built[0][0] if built else "unknown"
    text = _ENVIRONMENT.get_template(template).render(root=root, built=site.built, **values)
    target.write_text(text, encoding="utf-8")
    return path
