"""The site's charts (batterydb docs): their data points, read from each chart's spec and from its SVG.

The site of the shipped database is written once (``site_folder``); each
chart page holds, per chart, the SVG drawn at build time and the Vega-Lite
spec it was drawn from, as a JSON data block. The expected points are
worked out by hand from the seeds: capacities.csv (400 MWh is 0.4 GWh),
facility_status_history.csv (the latest status, 2024-03-11, sets the
snapshot year), targets.csv with reported_figures.csv, and
ownership_stakes.csv (51 + 39 + 5 leaves 5% undisclosed).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from batterydb import site
from batterydb.site import charts

PAGES = ("capacity", "capacity_by_country", "targets", "joint_ventures")


class ChartPage(HTMLParser):
    """A chart page's figures: per chart, its spec (parsed) and its SVG text, and everything the page loads."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.specs: dict[str, dict] = {}
        self.loaded: list[tuple[str, str]] = []  # (tag, target) of every href and src
        self.scripts: list[dict] = []
        self._spec_of: str | None = None
        self.feed(text)
        self.svgs = {name: self._svg(name) for name in self.specs}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "xlink:href"):
            if attrs.get(name):
                self.loaded.append((tag, attrs[name]))
        if tag == "script":
            self.scripts.append(attrs)
            if "vega-lite-spec" in (attrs.get("class") or ""):
                self._spec_of = attrs["data-chart"]

    def handle_data(self, data):
        if self._spec_of:
            self.specs[self._spec_of] = json.loads(data)
            self._spec_of = None

    def _svg(self, name: str) -> str:
        """The SVG inside the chart's figure, as written into the page."""
        figure = re.search(rf'<figure class="chart" id="chart-{re.escape(name)}">(.*?)</figure>', self.text, re.S)
        found = re.search(r"<svg\b.*?</svg>", figure.group(1), re.S)
        return found.group(0) if found else ""


@pytest.fixture(scope="module")
def chart_pages(site_folder: Path) -> dict[str, ChartPage]:
    return {name: ChartPage((site_folder / "charts" / f"{name}.html").read_text(encoding="utf-8")) for name in PAGES}


@pytest.fixture(scope="module")
def specs(chart_pages) -> dict[str, dict]:
    return {name: spec for page in chart_pages.values() for name, spec in page.specs.items()}


def points(spec: dict, *fields: str) -> list[tuple]:
    return [tuple(p[f] for f in fields) for p in spec["data"]["values"]]


def drawn_symbols(svg: str) -> list[str]:
    """The aria-labels of the symbols Vega drew for figures and bounds (value, row or year, and which symbol)."""
    return re.findall(r'<path aria-label="([^"]*; symbol: [^"]*)"', svg)


class TestCapacityOverTime:
    def test_an_upper_bound_in_mwh_is_an_open_range_in_gwh(self, specs, chart_pages):
        """Capacity 1: "up to 400 MWh a year" from 2012: no lower end (NULL, not 0), 0.4 GWh at most."""
        spec = specs["capacity-plant-boston_power_shanghai_plant-gwh_per_year"]
        assert points(spec, "year", "year_qualifier", "basis", "low", "high", "low_exclusive", "high_exclusive",
                      "unit_code", "stated_unit_code", "as_stated") == [
            (2012, "from", "planned", None, 0.4, False, False, "gwh_per_year", "mwh_per_year",
             "up to 400 MWh per year")]
        svg = chart_pages["capacity"].svgs["capacity-plant-boston_power_shanghai_plant-gwh_per_year"]
        assert drawn_symbols(svg) == ["year: 2012; GWh per year: 0.4; series: Boston-Power plant near Shanghai, "
                                      "planned; symbol: upper bound"]  # one mark, at the bound: none at zero
        assert 'stroke-dasharray="4,3"' in svg  # its open tail

    def test_an_exact_figure_is_one_point(self, specs):
        """Capacity 2: 120 MWh a year in 2012, drawn as 0.12 GWh per year."""
        spec = specs["capacity-plant-boston_power_taiwan_line-gwh_per_year"]
        assert points(spec, "year", "low", "high", "approximate", "unit_code") == [
            (2012, 0.12, 0.12, False, "gwh_per_year")]

    def test_an_organisation_has_a_chart_per_unit_that_does_not_convert(self, specs):
        """AESC's three figures: battery units (13,000 from 2009, 65,000 in 2011) and vehicle sets (about
        200,000 from 2011 at the earliest) never share an axis."""
        units = specs["capacity-organisation-aesc-battery_units_per_year"]
        assert points(units, "year", "year_qualifier", "low", "high", "unit_code") == [
            (2009, "from", 13000.0, 13000.0, "battery_units_per_year"),
            (2011, "in", 65000.0, 65000.0, "battery_units_per_year")]
        sets = specs["capacity-organisation-aesc-vehicle_sets_per_year"]
        assert points(sets, "year", "year_qualifier", "low", "high", "approximate", "unit_code") == [
            (2011, "not_before", 200000.0, 200000.0, True, "vehicle_sets_per_year")]
        assert not any(name.startswith("capacity-organisation-aesc-") and name.endswith("gwh_per_year")
                       for name in specs)

    def test_an_organisations_chart_holds_the_figures_of_the_plants_it_runs(self, specs):
        spec = specs["capacity-organisation-boston_power-gwh_per_year"]
        assert points(spec, "figure_of", "year", "low", "high") == [
            ("Boston-Power plant near Shanghai", 2012, None, 0.4),
            ("Boston-Power production line in Taiwan", 2012, 0.12, 0.12)]

    def test_every_plant_and_organisation_with_figures_and_no_other(self, specs):
        assert sorted(n for n in specs if n.startswith("capacity-") and n != "capacity-by-country") == [
            "capacity-organisation-aesc-battery_units_per_year",
            "capacity-organisation-aesc-vehicle_sets_per_year",
            "capacity-organisation-boston_power-gwh_per_year",
            "capacity-plant-boston_power_shanghai_plant-gwh_per_year",
            "capacity-plant-boston_power_taiwan_line-gwh_per_year"]


class TestCapacityByCountry:
    def test_the_snapshot_is_the_latest_year_and_unknown_stays_unknown(self, specs):
        spec = specs["capacity-by-country"]
        assert spec["usermeta"]["year"] == 2024  # Beijing Era's plant, announced 2024-03-11
        assert points(spec, "country_or_region", "status", "facilities", "capacity_gwh_min", "capacity_gwh_max",
                      "capacity_as_stated") == [
            ("CN", "under_construction", 1, 0.0, 0.4, "up to 0.4"),
            ("CN", "announced", 2, None, None, "unknown (2 plants without a GWh figure)"),
            ("Europe", "considered", 1, None, None, "unknown (1 plant without a GWh figure)"),
            ("FR", "considered", 1, None, None, "unknown (1 plant without a GWh figure)"),
            ("TW", "operating", 1, 0.12, 0.12, "0.12"),
            ("US", "considered", 1, None, None, "unknown (1 plant without a GWh figure)")]

    def test_its_data_is_the_named_querys_answer(self, specs, db):
        rows = db.run("capacity_by_country", year=2024).records()
        drawn = [{k: v for k, v in p.items() if k in rows[0]} for p in specs["capacity-by-country"]["data"]["values"]]
        assert drawn == [{k: v for k, v in r.items() if k != "source_ids"} for r in rows]

    def test_an_unknown_group_is_a_band_marked_unknown_and_no_symbol(self, chart_pages):
        svg = chart_pages["capacity_by_country"].svgs["capacity-by-country"]
        row = "country or region · status: {0}; latest status: {1}"
        assert drawn_symbols(svg) == [
            f"GWh per year: 0; {row.format('CN · under_construction', 'under_construction')}; symbol: lower bound",
            f"GWh per year: 0.4; {row.format('CN · under_construction', 'under_construction')}; symbol: upper bound",
            f"GWh per year: 0.12; {row.format('TW · operating', 'operating')}; symbol: figure"]
        assert svg.count(">unknown</text>") == 4  # CN announced, Europe, FR and US


class TestTargets:
    def test_a_cumulative_target_against_the_sum_reported_a_lower_bound(self, specs):
        """Target 1: 500,000 vehicles sold in China by 2015; reported, 8,795 in 2011 (at least, so no maximum)."""
        assert points(specs["target-1"], "what", "low", "high", "unit_code") == [
            ("target, by 2015", 500000.0, 500000.0, "vehicles"),
            ("reported, as of 2011-12-31", 8795.0, None, "vehicles")]

    def test_an_exclusive_open_target_against_the_plants_capacity(self, specs, chart_pages):
        """Target 5: over 100 GWh a year by 2020; the Shanghai plant's up to 0.4 GWh is all there is."""
        assert points(specs["target-5"], "what", "low", "high", "low_exclusive", "unit_code") == [
            ("target, by 2020", 100.0, None, True, "gwh_per_year"),
            ("reported, as of 2012-08-08", 0.0, 0.4, False, "gwh_per_year")]
        assert drawn_symbols(chart_pages["targets"].svgs["target-5"]) == [
            "GWh per year: 100; what: target, by 2020; symbol: lower bound, excluded",
            "GWh per year: 0; what: reported, as of 2012-08-08; symbol: lower bound",
            "GWh per year: 0.4; what: reported, as of 2012-08-08; symbol: upper bound"]

    def test_without_a_reported_figure_the_comparison_is_unknown_not_zero(self, specs, chart_pages):
        """Target 3: thousands of vehicles (1,000 to under 10,000) by 2014, and no reported figure."""
        assert points(specs["target-3"], "what", "low", "high", "high_exclusive") == [
            ("target, by 2014", 1000.0, 10000.0, True), ("reported", None, None, False)]
        svg = chart_pages["targets"].svgs["target-3"]
        assert drawn_symbols(svg) == [
            "vehicles: 1000; what: target, by 2014; symbol: lower bound",
            "vehicles: 10000; what: target, by 2014; symbol: upper bound, excluded"]
        assert ">unknown</text>" in svg

    def test_a_chart_per_target_with_a_figure_those_with_reported_figures_first(self, chart_pages):
        """Milestones 7, 8 and 9 have no figure; 1 and 5 have a reported figure; then by deadline, none last."""
        assert list(chart_pages["targets"].specs) == ["target-1", "target-5", "target-3", "target-6", "target-2",
                                                      "target-4"]


class TestJointVentures:
    def test_the_shares_and_the_undisclosed_remainder(self, specs, chart_pages):
        name = "joint-venture-beijing-era-new-energy-technology-2024-03-11"
        assert points(specs[name], "owner", "tie", "share_min_pct", "share_max_pct", "share_as_stated") == [
            ("CATL", "jv_partner", 51.0, 51.0, "51"), ("BAIC", "jv_partner", 39.0, 39.0, "39"),
            ("Xiaomi", "jv_partner", 5.0, 5.0, "5"), (None, "undisclosed", 5.0, 5.0, "5")]
        svg = chart_pages["joint_ventures"].svgs[name]
        edges = re.findall(r'<text[^>]*>(\d+%|share unknown)</text>', svg)
        assert edges == ["51%", "39%", "5%", "5%"]
        assert ">undisclosed remainder</text>" in svg and ">Beijing Era New Energy Technology</text>" in svg

    def test_unknown_shares_are_unknown_and_leave_no_remainder(self, specs, chart_pages):
        name = "joint-venture-aesc-2008-12-29"
        assert points(specs[name], "owner", "share_min_pct", "share_max_pct", "share_as_stated") == [
            ("NEC", None, None, "unknown"), ("NEC Tokin", None, None, "unknown"), ("Nissan", None, None, "unknown")]
        svg = chart_pages["joint_ventures"].svgs[name]
        assert re.findall(r'<text[^>]*>(\d+%|share unknown)</text>', svg) == ["share unknown"] * 3

    def test_its_data_is_the_named_querys_answer(self, specs, db):
        rows = [r for r in db.run("joint_venture_owners").records() if r["joint_venture"] == "AESC"]
        drawn = specs["joint-venture-aesc-2008-12-29"]["data"]["values"]
        assert [{k: p[k] for k in rows[0]} for p in drawn] == [
            {**r, "reported_on": str(r["reported_on"])} for r in rows]
        assert all(r["share_min_pct"] is None or isinstance(r["share_min_pct"], Decimal) for r in rows)


class TestEveryChart:
    def test_one_unit_to_a_value_axis_named_in_its_title(self, specs, chart_pages, db):
        units = dict(db.sql("SELECT unit_code, name FROM units").rows())
        checked = 0
        for page in chart_pages.values():
            for name, spec in page.specs.items():
                meta = spec["usermeta"]
                if meta["value_axis"] is None:  # an ownership graph: shares on its edges, no axis
                    continue
                titles = {layer["encoding"][meta["value_axis"]].get("title") for layer in spec["layer"]
                          if "field" in layer["encoding"].get(meta["value_axis"], {})}
                assert titles == {units[meta["unit_code"]]} == {meta["unit"]}, name
                assert {p["unit_code"] for p in spec["data"]["values"]} == {meta["unit_code"]}, name
                axis = re.findall(r"aria-label=\"[XY]-axis titled '(.*?)' for a linear scale", page.svgs[name])
                assert axis == [meta["unit"]], name
                checked += 1
        assert checked == 12  # 5 capacity, 1 by country, 6 targets

    def test_unknown_values_are_never_zero_in_the_data(self, specs):
        unknown = [(name, p.get("what") or p.get("year") or p.get("country_or_region"))
                   for name, spec in specs.items() if spec["usermeta"]["value_axis"]
                   for p in spec["data"]["values"]
                   if p.get("low", p.get("capacity_gwh_min")) is None
                   and p.get("high", p.get("capacity_gwh_max")) is None]
        assert sorted(unknown) == [("capacity-by-country", "CN"), ("capacity-by-country", "Europe"),
                                   ("capacity-by-country", "FR"), ("capacity-by-country", "US"),
                                   ("target-2", "reported"), ("target-3", "reported"), ("target-4", "reported"),
                                   ("target-6", "reported")]

    def test_the_svg_is_inline_and_nothing_comes_from_outside_the_folder(self, chart_pages, site_folder):
        for name, page in chart_pages.items():
            assert page.specs and all(svg.startswith("<svg") for svg in page.svgs.values()), name
            assert {tag for tag, _ in page.loaded} <= {"a", "link"}, name
            for tag, target in page.loaded:
                assert "//" not in target and not target.startswith(("/", "data:")), (name, target)
                assert (site_folder / "charts" / target.split("#")[0]).resolve().is_file(), (name, target)
            assert all(s == {"type": "application/json", "class": "vega-lite-spec", "data-chart": s["data-chart"]}
                       for s in page.scripts), name  # data, never run
            assert all("values" in spec["data"] and "url" not in spec["data"] for spec in page.specs.values())
            ids = re.findall(r'\bid="([^"]+)"', page.text)
            assert len(ids) == len(set(ids)), name  # each SVG's clip paths have ids of their own

    def test_the_index_and_the_charts_page_link_every_chart(self, site_folder, specs):
        index = (site_folder / "charts" / "index.html").read_text(encoding="utf-8")
        linked = re.findall(r'href="(\w+)\.html#chart-([\w-]+)"', index)
        assert sorted(name for _, name in linked) == sorted(specs) and len(specs) == 14
        top = (site_folder / "index.html").read_text(encoding="utf-8")
        assert 'href="charts/index.html"' in top
        assert re.findall(r'<a href="(charts/\w+\.html)">[^<]*</a>: (\d+) charts?', top) == [
            ("charts/capacity.html", "5"), ("charts/capacity_by_country.html", "1"),
            ("charts/joint_ventures.html", "2"), ("charts/targets.html", "6")]


class TestAtScale:
    def test_a_page_draws_the_charts_with_most_figures_and_counts_the_rest(self, db, tmp_path, monkeypatch):
        monkeypatch.setattr(charts, "CHARTS_PER_PAGE", 2)
        folder = tmp_path / "site"
        folder.mkdir()
        written = site.Site(db, folder)
        charts.write(written)
        page = ChartPage((folder / "charts" / "capacity.html").read_text(encoding="utf-8"))
        # one of each kind: the plants tie at one figure (by name), AESC's battery units beat Boston-Power by name
        assert list(page.specs) == ["capacity-plant-boston_power_shanghai_plant-gwh_per_year",
                                    "capacity-organisation-aesc-battery_units_per_year"]
        text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
        assert "The first 1 of 2 are drawn; 1 more are left out." in text
        assert "The first 1 of 3 are drawn; 2 more are left out." in text
        targets = ChartPage((folder / "charts" / "targets.html").read_text(encoding="utf-8"))
        assert list(targets.specs) == ["target-1", "target-5"]
