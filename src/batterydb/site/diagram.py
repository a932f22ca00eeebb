"""The entity-relationship diagram of every table, drawn by Graphviz's ``dot`` as SVG.

Each table is a box listing its columns (keys marked), linked to the
table's page; each foreign key is an arrow from the table that holds it to
the table it names. Graphviz lays it out: a hand-placed drawing would go
stale with the first table added.
"""

from __future__ import annotations

import html
import shutil
import subprocess

from ..errors import BatterydbError
from .model import Model

#: Where a table's page is, from the site's top folder; the diagram's links follow it.
def table_page(name: str) -> str:
    return f"tables/{name}.html"


def dot_source(model: Model, link_prefix: str = "") -> str:
    """The diagram in Graphviz's language: a node a table (its columns in an HTML-like label), an edge a key."""
    lines = ["digraph batterydb {", '  graph [rankdir=LR, fontname="sans-serif", bgcolor="transparent"];',
             '  node [shape=plaintext, fontname="sans-serif", fontsize=10];',
             '  edge [color="#667788", arrowsize=0.6];']
    for table in model.tables.values():
        rows = "".join(
            f'<tr><td align="left" port="{html.escape(c.name)}">{"<b>" if c.in_key else ""}'
            f'{html.escape(c.name)}{"</b>" if c.in_key else ""}</td>'
            f'<td align="left"><font color="#667788">{html.escape(c.data_type.lower())}</font></td></tr>'
            for c in table.columns)
        label = (f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">'
                 f'<tr><td colspan="2" bgcolor="#dde6f0"><b>{html.escape(table.name)}</b></td></tr>{rows}</table>>')
        href = html.escape(link_prefix + table_page(table.name), quote=True)
        lines.append(f'  "{table.name}" [id="table-{table.name}", label={label}, URL="{href}", '
                     f'tooltip="{html.escape(table.comment or table.name, quote=True)}"];')
    for table in model.tables.values():
        for ref in table.references:
            lines.append(f'  "{ref.table}":"{ref.columns[0]}" -> "{ref.referenced}":"{ref.referenced_columns[0]}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(source: str) -> str:
    """The SVG that ``dot`` draws from ``source``; a clear error when Graphviz is not installed."""
    dot = shutil.which("dot")
    if dot is None:
        raise BatterydbError("batterydb docs draws the model with Graphviz's dot, which is not installed: "
                             "apt-get install graphviz (Debian, Ubuntu) or brew install graphviz (macOS)")
    drawn = subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, text=True, timeout=120)
    if drawn.returncode != 0:
        raise BatterydbError(f"Graphviz's dot could not draw the model: {drawn.stderr.strip()}")
    svg = drawn.stdout
    return svg[svg.index("<svg"):]  # without the XML prolog and DOCTYPE, so that it can sit inside a page
