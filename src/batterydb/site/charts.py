"""The site's charts: Vega-Lite specs built from the named queries' answers, drawn to static SVG as the site is written.

Each family of charts reads what a named query answers, through the
query's ``analytics`` macro, so that SQL (``sql/charts_*.sql``) groups the
rows into charts and keeps the few a page draws: capacity by country and
status, targets against reported figures, the owners of each joint venture.
Capacity over time reads the capacities table the way capacity_history
does, for every plant and organisation at once, since the query answers
for one at a time and gives a figure in battery units only as text. A
chart's data is those rows, never rounded; its spec sits on the page beside
its SVG, so that a reader (or a test) takes the numbers from the spec and
not from the drawing.

Bounds stay bounds: a figure is a point (hollow when approximate), a range
between two bound marks, an open range (one bound mark and a dashed tail to
the plot's edge: "up to 400", "over 100") or a band marked unknown, never a
zero. A value axis has one unit, named in its title: figures in units that
do not convert to one another get a chart each. At scale a page draws at
most ``CHARTS_PER_PAGE`` charts, those with the most figures first, and
says how many it leaves out; vl_convert draws each with its own copy of
Vega, fetching no data and no fonts.
"""

from __future__ import annotations

import decimal
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert

from ..database import Database
from . import pages

SQL = Path(__file__).parent / "sql"

#: Charts drawn on one page; the rest are counted. Each takes vl_convert 15 to 40 ms, most of it laying out axes.
CHARTS_PER_PAGE = 20
#: Sources listed under a chart for one of its points; a row of capacity by country can rest on thousands.
SOURCES_PER_FACT = 10
#: The Vega-Lite the specs are written in, and that vl_convert draws them with.
VEGA_LITE = "5.21"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: A chart's plot, in pixels (a chart of rows grows a step per row).
WIDTH, HEIGHT = 320, 180
#: The colours of a chart's series (Vega's tableau10), named here so that the page can draw the legend.
PALETTE = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d",
           "#bab0ac")


@dataclass(frozen=True)
class Chart:
    """One chart: its spec (with its data), its SVG, and the page it is drawn on."""

    name: str  # unique on the site: the figure's id is chart-<name>
    title: str
    page: str  # from the top folder
    family: str  # the title of its page
    spec: dict
    svg: str
    facts: list = field(default_factory=list)  # its data points, each with a label and its sources, listed under it
    legend: list = field(default_factory=list)  # (colour, what it stands for), drawn on the page rather than in the SVG

    @property
    def spec_json(self) -> str:
        return _json(self.spec)


@dataclass
class Section:
    heading: str
    note: str
    charts: list[Chart]
    total: int  # how many charts there would be without the cap

    @property
    def left_out(self) -> int:
        return self.total - len(self.charts)


@dataclass
class Family:
    """A page of charts: what they show, the named queries they come from, and their sections."""

    page: str
    title: str
    intro: str
    source: str  # where the data comes from, in words, before the links to the queries
    queries: tuple[str, ...]
    key: str  # "bounds" or "graph": which explanation of the marks the page gives
    sections: list[Section] = field(default_factory=list)
    missing: tuple[str, ...] = ()  # the queries the catalogue lacks, so that nothing is drawn

    @property
    def file(self) -> str:
        return self.page.rsplit("/", 1)[-1]


def write(site) -> list[str]:
    """Draw every family's charts, a page for each family and the index of them all; returns the pages."""
    families = [capacity_family(site.db), country_family(site.db), target_family(site.db),
                joint_venture_family(site.db)]
    written = []
    for family in families:
        site.charts.extend(c for section in family.sections for c in section.charts)
        written.append(pages.write(site, family.page, "chart_family.html", family=family, title=family.title))
    written.append(pages.write(site, "charts/index.html", "charts.html", families=families, title="Charts"))
    return written


def _sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")


def _lacking(db: Database, family: Family) -> bool:
    """Whether the catalogue lacks a query the family draws (its analytics macro would be missing too)."""
    family.missing = tuple(q for q in family.queries if q not in db.queries)
    return bool(family.missing)


# --- the families -----------------------------------------------------------------------------------------------

def capacity_family(db: Database) -> Family:
    family = Family(
        "charts/capacity.html", "Capacity over time",
        "Every capacity figure of a plant, and of an organisation (its own and those of the plants it runs), "
        "year by year. Figures in MWh per year are drawn in GWh per year; figures in units that do not convert "
        "to GWh (battery units, vehicles' worth of batteries) get a chart of their own, never an axis shared "
        "with GWh.",
        "The figures that capacity_history gives for one plant or organisation, read for all of them at once "
        "from the capacities table, with the bounds in the chart's unit:",
        tuple(q for q in ("capacity_history",) if q in db.queries), "bounds")
    rows = db.sql(_sql("charts_capacity"), {"charts": CHARTS_PER_PAGE // 2}).records()
    names = _Names()
    for kind, heading in (("plant", "Plants"), ("organisation", "Organisations")):
        of_kind = [r for r in rows if r["subject_kind"] == kind]
        family.sections.append(Section(
            heading, f"A chart per {kind} and unit, those with the most figures first.",
            [_capacity_chart(family, r, names) for r in of_kind], of_kind[0]["charts_of_kind"] if of_kind else 0))
    return family


def _capacity_chart(family: Family, row: dict, names: _Names) -> Chart:
    title = f"{row['subject']}: capacity in {row['unit']}"
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(row["series"]))]
    spec = _spec(title, row["points"], {
        "kind": row["subject_kind"], "id": row["subject_id"], "unit_code": row["unit_code"], "unit": row["unit"],
        "value_axis": "y"})
    spec.update(width=WIDTH, height=HEIGHT)
    spec["encoding"] = {
        "x": {"field": "year", "type": "ordinal", "title": "year", "axis": {"labelAngle": 0}},
        "xOffset": {"field": "series", "type": "nominal"},
        # The legend is on the page: drawing one takes vl_convert longer than the rest of the chart.
        "color": {"field": "series", "type": "nominal", "scale": {"domain": row["series"], "range": colours},
                  "legend": None},
    }
    spec["layer"] = _bound_layers(value="y", unit=row["unit"])
    return _chart(names.new(f"capacity-{row['subject_kind']}-{row['subject_id']}-{row['unit_code']}"), title,
                  family, spec, row["points"], list(zip(colours, row["series"])))


def country_family(db: Database) -> Family:
    family = Family(
        "charts/capacity_by_country.html", "Capacity by country and status",
        "The plants' capacity in GWh per year in each country (or region, where no country is known), by their "
        "latest status, in the latest year the data reaches, so that every plant and its latest figures are in "
        "it. A group whose plants have no GWh figure is drawn as unknown; plants with figures only in other "
        "units are counted, never added.",
        "The answer of the named query, for that year, without its list of sources (under the chart, the "
        "first sources of each row):", ("capacity_by_country",), "bounds")
    if _lacking(db, family):
        return family
    year, unit = db.sql(_sql("charts_snapshot_year")).rows()[0]
    if year is None:
        family.sections.append(Section("No plants", "The database holds no plant status or capacity.", [], 0))
        return family
    rows = db.sql(_sql("charts_by_country"), {"year": year, "sources": SOURCES_PER_FACT}).records()
    title = f"Capacity by country and status, as of {year}"
    spec = _spec(title, rows, {"year": year, "unit_code": "gwh_per_year", "unit": unit, "value_axis": "x"})
    spec["width"] = WIDTH + 120
    spec["height"] = {"step": 18}
    spec["transform"] = [
        {"window": [{"op": "row_number", "as": "row"}]},  # the query's order, kept by every layer
        {"calculate": "datum.country_or_region + ' · ' + datum.status", "as": "group"},
        {"calculate": "datum.capacity_gwh_min", "as": "low"},
        {"calculate": "datum.capacity_gwh_max", "as": "high"},
        {"calculate": "false", "as": "low_exclusive"},
        {"calculate": "false", "as": "high_exclusive"},
        {"calculate": "false", "as": "approximate"},
    ]
    spec["encoding"] = {
        "y": {"field": "group", "type": "nominal", "sort": {"field": "row", "op": "min"},
              "title": "country or region · status"},
        "color": {"field": "status", "type": "nominal", "sort": {"field": "row", "op": "min"},
                  "title": "latest status", "legend": {"orient": "bottom", "symbolOpacity": 1}},
    }
    # The least capacity of a group as a bar: that much it certainly has.
    certain = {"transform": [{"filter": "datum.low != null"}], "mark": {"type": "bar", "opacity": 0.3, "height": 10},
               "encoding": {"x": _value_channel("low", unit)}}
    spec["layer"] = [certain, *_bound_layers(value="x", unit=unit)]
    family.sections.append(Section(
        f"As of {year}", "A row per country or region and status; the bar is the least capacity the group "
        "certainly has, the marks its bounds.", [_chart("capacity-by-country", title, family, spec, rows)], 1))
    return family


def target_family(db: Database) -> Family:
    family = Family(
        "charts/targets.html", "Targets against reported figures",
        "Each target with a figure, against the figure targets_vs_reported compares it with (the latest "
        "reported figure for its metric and scope, their sum for a cumulative target, or the capacity of the "
        "plants in its country), in the target's unit. Where the database holds no reported figure, that is "
        "drawn as unknown.",
        "The target's bounds from the targets query (and from the targets table whether each is excluded), "
        "the compared figure's from targets_vs_reported:", ("targets", "targets_vs_reported"), "bounds")
    if _lacking(db, family):
        return family
    rows = db.sql(_sql("charts_targets"), {"charts": CHARTS_PER_PAGE}).records()
    names = _Names()
    with_figure, targets = (rows[0]["with_figure"], rows[0]["targets"]) if rows else (0, 0)
    family.sections.append(Section(
        "Targets", f"Those with a reported figure first, then by deadline. Of the {targets:,} targets, "
        f"{targets - with_figure:,} are milestones without a figure, with nothing to draw.",
        [_target_chart(family, r, names) for r in rows], with_figure))
    return family


def _target_chart(family: Family, row: dict, names: _Names) -> Chart:
    met = {True: "met", False: "not met", None: "whether it is met, the figures cannot tell"}[row["met"]]
    title = f"Target {row['target_id']}: {row['metric']}, {row['scope']}, {row['deadline'] or 'no deadline'}; {met}"
    spec = _spec(title, row["points"], {
        "target_id": row["target_id"], "unit_code": row["unit_code"], "unit": row["unit"], "value_axis": "x",
        "met": row["met"]})
    spec["width"] = WIDTH + 100
    spec["height"] = {"step": 34}
    spec["transform"] = [{"window": [{"op": "row_number", "as": "row"}]}]  # the target, then the reported figure
    spec["encoding"] = {
        "y": {"field": "what", "type": "nominal", "sort": {"field": "row", "op": "min"}, "title": None,
              "axis": {"labelLimit": 220}},
        "color": {"field": "what", "type": "nominal", "sort": {"field": "row", "op": "min"}, "legend": None},
    }
    spec["layer"] = _bound_layers(value="x", unit=row["unit"])
    return _chart(names.new(f"target-{row['target_id']}"), title, family, spec, row["points"])


def joint_venture_family(db: Database) -> Family:
    family = Family(
        "charts/joint_ventures.html", "Owners of each joint venture",
        "Each joint venture's partners as reported on one date: an edge from each to the venture, labelled with "
        "its share in percent as the source gives it (a bound stays a bound, e.g. under 5%), and the "
        "undisclosed remainder the stated shares leave over. A share the source does not give is drawn as "
        "unknown, never as zero.",
        "The rows of the named query, a graph per joint venture and date:", ("joint_venture_owners",), "graph")
    if _lacking(db, family):
        return family
    rows = db.sql(_sql("charts_joint_ventures"), {"charts": CHARTS_PER_PAGE}).records()
    names = _Names()
    family.sections.append(Section(
        "Joint ventures", "Those with the most stakes first.",
        [_joint_venture_chart(family, r, names) for r in rows], rows[0]["graphs"] if rows else 0))
    return family


def _joint_venture_chart(family: Family, row: dict, names: _Names) -> Chart:
    title = f"{row['joint_venture']}, as reported on {row['reported_on_text']}"
    points = row["points"]
    spec = _spec(title, points, {"joint_venture": row["joint_venture"], "reported_on": row["reported_on"],
                                 "unit_code": "percent", "unit": "percent", "value_axis": None})
    spec.update(width=WIDTH, height=44 * len(points))
    spec["config"]["view"] = {"stroke": None}  # a graph, not a plot: no frame
    spec["transform"] = [
        {"window": [{"op": "row_number", "as": "place"}]},  # an owner's place from the top, in the query's order
        {"joinaggregate": [{"op": "count", "as": "nodes"}]},
        {"calculate": "(datum.nodes + 1) / 2", "as": "venture_place"},
        {"calculate": "(datum.place + datum.venture_place) / 2", "as": "edge_place"},
        {"calculate": "datum.owner === null ? 'undisclosed remainder' : datum.owner", "as": "node"},
        {"calculate": "datum.owner === null ? 'undisclosed remainder' : "
                      "(datum.share_min_pct === null && datum.share_max_pct === null ? 'share unknown' "
                      ": 'share stated')", "as": "edge"},
        {"calculate": "datum.share_as_stated === 'unknown' ? 'share unknown' : datum.share_as_stated + '%'",
         "as": "edge_label"},
        {"calculate": "0", "as": "owner_x"}, {"calculate": "1", "as": "venture_x"},
        {"calculate": "0.5", "as": "edge_x"},
    ]
    x = {"type": "quantitative", "scale": {"domain": [0, 1]}, "axis": None}
    y = {"type": "quantitative", "scale": {"domain": [0.5, len(points) + 0.5], "reverse": True}, "axis": None}
    owner_at = {"x": {"field": "owner_x", **x}, "y": {"field": "place", **y}}
    venture_at = {"x": {"field": "venture_x", **x}, "y": {"field": "venture_place", **y}}
    kinds = ["share stated", "share unknown", "undisclosed remainder"]
    # No legend (vl_convert takes longer over one than over the graph): the page's key says what the edges are.
    color = {"field": "edge", "type": "nominal", "scale": {"domain": kinds, "range": ["#24415e", "#8895a2", "#a9b3bd"]},
             "legend": None}
    dash = {"field": "edge", "type": "nominal", "scale": {"domain": kinds, "range": [[1, 0], [6, 3], [2, 3]]},
            "legend": None}
    the_venture = [{"filter": "datum.place == 1"}]  # one row draws the venture, not one per owner
    spec["layer"] = [
        {"mark": {"type": "rule", "strokeWidth": 2},
         "encoding": {**owner_at, "x2": {"field": "venture_x"}, "y2": {"field": "venture_place"},
                      "color": color, "strokeDash": dash}},
        {"mark": {"type": "text", "dy": -7, "fontSize": 11, "fontWeight": "bold"},
         "encoding": {"x": {"field": "edge_x", **x}, "y": {"field": "edge_place", **y},
                      "text": {"field": "edge_label"}}},
        {"mark": {"type": "point", "filled": True, "size": 90, "shape": "circle", "opacity": 1},
         "encoding": {**owner_at, "color": color}},
        {"mark": {"type": "text", "align": "right", "dx": -9, "fontSize": 11},
         "encoding": {**owner_at, "text": {"field": "node"}}},
        {"transform": the_venture,
         "mark": {"type": "point", "filled": True, "size": 160, "shape": "square", "color": "#b5542d", "opacity": 1},
         "encoding": venture_at},
        {"transform": the_venture,
         "mark": {"type": "text", "align": "left", "dx": 10, "fontSize": 11, "fontWeight": "bold"},
         "encoding": {**venture_at, "text": {"field": "joint_venture"}}},
    ]
    return _chart(names.new(f"joint-venture-{row['joint_venture']}-{row['reported_on']}"), title, family, spec,
                  points)


# --- drawing ----------------------------------------------------------------------------------------------------

def _spec(title: str, values: list[dict], meta: dict) -> dict:
    """A spec's common parts. No title drawn: the page captions the chart, and a title costs vl_convert time."""
    return {"$schema": SCHEMA, "description": title, "data": {"values": values}, "usermeta": meta,
            "config": {"view": {"stroke": "#dde3ea"}}}


def _value_channel(name: str, unit: str) -> dict:
    """A figure's value: the unit, and it alone, is the axis title."""
    return {"field": name, "type": "quantitative", "title": unit, "scale": {"zero": True, "nice": True}}


def _bound_layers(value: str, unit: str) -> list[dict]:
    """The marks of figures given as bounds (fields low, high, low_exclusive, high_exclusive, approximate).

    ``value`` is the channel of the values: y for a chart over the years, x
    for a chart of rows. A figure is a disc, a ring when approximate; a
    bound is a triangle pointing to where the figure lies, hollow when the
    bound itself is excluded; two bounds are joined by a line, and a figure
    with one bound has a dashed tail to the plot's edge on the open side, so
    that nothing is drawn at a zero the source never gave. An unknown figure
    is a grey band across the plot, marked unknown. (Few layers, and the
    symbols in one: each layer costs vl_convert some milliseconds.)
    """
    second = f"{value}2"
    edge = "height" if value == "y" else "width"
    more, less = ({"value": 0}, {"value": edge}) if value == "y" else ({"value": edge}, {"value": 0})  # pixels
    shapes = _SYMBOLS[value]
    unknown = "datum.low == null && datum.high == null"
    return [
        {"transform": [{"filter": unknown}],
         "mark": {"type": "rect", "opacity": 0.18},
         "encoding": {value: {"value": 0}, second: {"value": edge}, "color": {"value": "#8895a2"}}},
        {"transform": [{"filter": unknown}],
         "mark": {"type": "text", "fontStyle": "italic", "text": "unknown",
                  **({"baseline": "top"} if value == "y" else {"align": "left"})},
         "encoding": {value: {"value": 4}, "color": {"value": "#5b6570"}}},
        # Room beyond a lone lower bound, so that its open tail shows however near the edge the bound is.
        {"transform": [{"filter": "datum.low != null && datum.high == null"},
                       {"calculate": "datum.low * 1.25", "as": "room"}],
         "mark": {"type": "point", "opacity": 0},
         "encoding": {value: _value_channel("room", unit)}},
        {"transform": [{"filter": "datum.low != null && datum.high != null && datum.low != datum.high"}],
         "mark": {"type": "rule", "strokeWidth": 2},
         "encoding": {value: _value_channel("low", unit), second: {"field": "high"}}},
        {"transform": [{"filter": "datum.low != null && datum.high == null"}],
         "mark": {"type": "rule", "strokeWidth": 2, "strokeDash": [4, 3]},
         "encoding": {value: _value_channel("low", unit), second: more}},
        {"transform": [{"filter": "datum.high != null && datum.low == null"}],
         "mark": {"type": "rule", "strokeWidth": 2, "strokeDash": [4, 3]},
         "encoding": {value: _value_channel("high", unit), second: less}},
        {"transform": [
            {"fold": ["low", "high"], "as": ["end", "bound"]},
            {"filter": "datum.bound != null && !(datum.end == 'high' && datum.low == datum.high)"},
            {"calculate": "datum.low == datum.high ? (datum.approximate ? 'approximate figure' : 'figure') "
                          ": (datum.end == 'low' ? 'lower bound' : 'upper bound') + "
                          "((datum.end == 'low' ? datum.low_exclusive : datum.high_exclusive) ? ', excluded' : '')",
             "as": "symbol"}],
         "mark": {"type": "point", "filled": True, "size": 80, "opacity": 1},
         "encoding": {value: _value_channel("bound", unit),
                      "shape": {"field": "symbol", "type": "nominal", "legend": None,
                                "scale": {"domain": list(shapes), "range": list(shapes.values())}}}},
    ]


def _path(points: list[tuple[float, float]], hollow: bool) -> str:
    """A triangle as an SVG path in Vega's unit square; hollow, a smaller one inside it, wound the other way."""
    outer = "M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z"
    if not hollow:
        return outer
    cx, cy = sum(x for x, _ in points) / 3, sum(y for _, y in points) / 3
    inner = [(round(cx + (x - cx) * 0.45, 3), round(cy + (y - cy) * 0.45, 3)) for x, y in reversed(points)]
    return outer + "M" + "L".join(f"{x:g},{y:g}" for x, y in inner) + "Z"


_UP, _DOWN = [(0, -1), (1, 0.75), (-1, 0.75)], [(0, 1), (-1, -0.75), (1, -0.75)]
_RIGHT, _LEFT = [(1, 0), (-0.75, 1), (-0.75, -1)], [(-1, 0), (0.75, -1), (0.75, 1)]
_RING = "M-1,0A1,1,0,1,1,1,0A1,1,0,1,1,-1,0ZM-0.5,0A0.5,0.5,0,1,0,0.5,0A0.5,0.5,0,1,0,-0.5,0Z"
#: The symbol of each kind of mark, by the channel the values are on: a bound points to where the figure lies.
_SYMBOLS = {
    value: {"figure": "circle", "approximate figure": _RING,
            "lower bound": _path(more, False), "lower bound, excluded": _path(more, True),
            "upper bound": _path(less, False), "upper bound, excluded": _path(less, True)}
    for value, more, less in (("y", _UP, _DOWN), ("x", _RIGHT, _LEFT))
}


def _chart(name: str, title: str, family: Family, spec: dict, facts: list, legend: list | None = None) -> Chart:
    svg = vl_convert.vegalite_to_svg(_json(spec), vl_version=VEGA_LITE, allowed_base_urls=[])
    return Chart(name, title, family.page, family.title, spec, _own_ids(svg, name), facts, legend or [])


def _json(spec: dict) -> str:
    """A spec as JSON, also fit for a data block in a page: nothing in it can end the script element."""
    return (json.dumps(spec, default=_json_value, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _own_ids(svg: str, name: str) -> str:
    """The SVG's ids (its clip paths) prefixed with the chart's: many charts share a page, and so its ids."""
    return re.sub(r'(\bid="|url\(#|href="#)([^")]+)', lambda m: f"{m.group(1)}chart-{name}-{m.group(2)}", svg)


class _Names:
    """Chart names as ids and anchors take them (letters, digits, _ and -), each given once."""

    def __init__(self):
        self.used: set[str] = set()

    def new(self, text: str) -> str:
        base = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "chart"
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add(name)
        return name


def _json_value(value):
    """A DECIMAL as the number it is: a share has six decimals at most, which a float keeps digit for digit."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} in a chart's data")
