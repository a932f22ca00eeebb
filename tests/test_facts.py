"""Key facts of each source article, asserted with values worked out by hand from the text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from conftest import rows


class TestSources:
    def test_articles_with_their_dates_and_precision(self, con):
        assert rows(con, """
            SELECT s.file_name, p.org_id, s.published_on, s.published_precision
            FROM sources AS s LEFT JOIN source_publishers AS p USING (source_id)
            WHERE s.file_name IS NOT NULL ORDER BY s.file_name
        """) == [
            ("000_bd0dbe165b9f0cbd.txt", "bloomberg_news", date(2012, 8, 8), "day"),
            ("001_8d355dff850b8eee.txt", None, date(2024, 3, 1), "month"),
            ("002_3ee85fc0f65de0e8.txt", "carboncreditsusa", date(2008, 12, 29), "day"),
            ("003_96c7d70999a08781.txt", "hktdc_research", date(2017, 1, 1), "year"),
        ]

    def test_upstream_outlets_each_article_cites(self, con):
        assert rows(con, """
            SELECT s.file_name, string_agg(p.org_id, ',' ORDER BY p.org_id)
            FROM source_citations AS c
            JOIN sources AS s ON s.source_id = c.citing_source_id
            JOIN source_publishers AS p ON p.source_id = c.cited_source_id
            JOIN organisations AS o ON o.org_id = p.org_id AND o.kind = 'media_outlet'
            GROUP BY s.file_name ORDER BY s.file_name
        """) == [
            ("001_8d355dff850b8eee.txt", "electrive"),
            ("002_3ee85fc0f65de0e8.txt", "nikkei,reuters"),
        ]


class TestBostonPower2012:
    """000: Boston-Power's supply deal with BAIC's unit, its plants, and China's EV sales."""

    def test_boston_power_is_based_in_westborough(self, con):
        assert rows(con, "SELECT kind, country_code, region, city FROM organisations WHERE org_id = 'boston_power'") == [
            ("company", "US", "Massachusetts", "Westborough")
        ]

    def test_beijing_electric_vehicle_is_a_unit_of_baic_with_no_share_given(self, con):
        assert rows(con, """
            SELECT owner_org_id, kind, qualifier, share_pct, share_min_pct, share_max_pct
            FROM ownership_stakes WHERE owned_org_id = 'bjev'
        """) == [("baic", "business_unit", "unknown", None, None, None)]

    def test_the_supply_deal(self, con):
        assert rows(con, """
            SELECT a.kind, a.status, a.facility_id, a.announced_on, a.start_year,
                   string_agg(p.org_id || ':' || p.role, ',' ORDER BY p.role DESC)
            FROM agreements AS a JOIN agreement_parties AS p USING (agreement_id)
            WHERE a.source_id = 'bloomberg_2012_08_08'
            GROUP BY ALL
        """) == [("supply", "agreed", "boston_power_taiwan_line", date(2012, 8, 8), 2012,
                  "boston_power:supplier,bjev:customer")]

    def test_two_production_sites_and_their_capacities(self, con):
        assert rows(con, """
            SELECT f.facility_id, f.country_code, f.area, f.location_is_approximate,
                   c.basis, c.qualifier, c.value, c.value_max, c.value_max_exclusive, c.unit_code, c.year
            FROM facilities AS f JOIN capacities AS c USING (facility_id)
            WHERE f.operator_org_id = 'boston_power' ORDER BY f.facility_id
        """) == [
            # "as much as 400 megawatt-hours": an inclusive upper bound, no point value
            ("boston_power_shanghai_plant", "CN", "near Shanghai", True,
             "planned", "as_much_as", None, 400.0, False, "mwh_per_year", 2012),
            # the article gives the line's yearly size in megawatt-hours, not output it is known to make
            ("boston_power_taiwan_line", "TW", None, True,
             "planned", "exact", 120.0, None, False, "mwh_per_year", 2012),
        ]

    def test_capacities_convert_to_gwh_per_year(self, con):
        assert rows(con, """
            SELECT c.facility_id, lower_bound(c.value, c.value_min) * u.factor, upper_bound(c.value, c.value_max) * u.factor
            FROM capacities AS c JOIN unit_conversions AS u USING (unit_code)
            WHERE u.canonical_unit_code = 'gwh_per_year' ORDER BY c.facility_id
        """) == [("boston_power_shanghai_plant", None, 0.4), ("boston_power_taiwan_line", 0.12, 0.12)]

    def test_shanghai_plant_was_being_built(self, con):
        assert rows(con, """
            SELECT status, status_on, status_precision, is_expected FROM facility_status_history
            WHERE facility_id = 'boston_power_shanghai_plant'
        """) == [("under_construction", date(2012, 8, 8), "day", False)]

    def test_hundreds_then_thousands_of_vehicles_kept_as_ranges(self, con):
        assert rows(con, """
            SELECT value_min, value_min_exclusive, value_max, value_max_exclusive, start_year, deadline_year
            FROM targets WHERE scope_org_id = 'boston_power' AND metric_code = 'evs_with_own_batteries'
            ORDER BY target_id
        """) == [(100.0, False, 1000.0, True, 2012, None), (1000.0, False, 10000.0, True, None, 2014)]

    def test_china_ev_sales_in_2011_against_the_2015_target(self, con):
        assert rows(con, """
            SELECT value, unit_code, period_start, period_end FROM reported_figures
            WHERE metric_code = 'ev_sales' AND scope_country_code = 'CN'
        """) == [(8795.0, "vehicles", date(2011, 1, 1), date(2011, 12, 31))]
        assert rows(con, """
            SELECT t.comparator, t.value, t.deadline_year, s.org_id FROM targets AS t
            JOIN target_setters AS s USING (target_id)
            WHERE t.metric_code = 'ev_sales_cumulative'
        """) == [(">=", 500000.0, 2015, "china_government")]

    def test_people_and_roles(self, con):
        assert rows(con, """
            SELECT p.name, r.org_id, r.title FROM people AS p JOIN person_roles AS r USING (person_id)
            WHERE r.org_id IN ('boston_power', 'bnef') ORDER BY p.name
        """) == [("Christina Lampe-Onnerud", "boston_power", "international chairman"),
                 ("Shu Sun", "bnef", "energy smart technologies analyst")]


class TestBeijingJointVenture2024:
    """001: the CATL, BAIC and Xiaomi joint venture in Beijing."""

    def test_three_stakes_that_add_up_to_95_percent(self, con):
        assert rows(con, """
            SELECT owner_org_id, share_pct, reported_on FROM ownership_stakes
            WHERE owned_org_id = 'beijing_era' ORDER BY share_pct DESC
        """) == [("catl", Decimal("51"), date(2024, 3, 11)),
                 ("baic", Decimal("39"), date(2024, 3, 11)),
                 ("xiaomi", Decimal("5"), date(2024, 3, 11))]
        assert rows(con, "SELECT 100 - sum(share_pct) FROM ownership_stakes WHERE owned_org_id = 'beijing_era'") == [
            (Decimal("5"),)
        ]

    def test_starting_capital_with_the_dollar_figure_the_source_states(self, con):
        assert rows(con, """
            SELECT i.amount, i.currency_code, i.usd_stated, i.usd_stated_qualifier, i.announced_on,
                   string_agg(v.org_id, ',' ORDER BY v.org_id)
            FROM investments AS i JOIN investment_investors AS v USING (investment_id)
            WHERE i.target_org_id = 'beijing_era' GROUP BY ALL
        """) == [(Decimal("1000000000.00"), "CNY", Decimal("138000000.00"), "about", date(2024, 3, 11),
                  "baic,catl,xiaomi")]

    def test_the_new_plant_has_no_disclosed_capacity(self, con):
        assert rows(con, """
            SELECT f.area, f.country_code, count(c.capacity_id) FROM facilities AS f
            LEFT JOIN capacities AS c USING (facility_id)
            WHERE f.operator_org_id = 'beijing_era' GROUP BY ALL
        """) == [("Beijing", "CN", 0)]

    def test_catl_announced_another_beijing_plant_in_january(self, con):
        assert rows(con, """
            SELECT h.status, h.status_on, h.status_precision FROM facility_status_history AS h
            JOIN facilities AS f USING (facility_id) WHERE f.operator_org_id = 'catl'
        """) == [("announced", date(2024, 1, 1), "month")]

    def test_baic_partnerships(self, con):
        assert rows(con, """
            SELECT a.kind, a.status, p.org_id FROM agreements AS a
            JOIN agreement_parties AS p USING (agreement_id)
            WHERE a.agreement_id IN (SELECT agreement_id FROM agreement_parties WHERE org_id = 'baic')
              AND p.org_id <> 'baic'
            ORDER BY p.org_id
        """) == [("joint_brand", "announced", "hyundai"), ("production", "announced", "mercedes"),
                 ("partnership", "reported", "xiaomi")]

    @pytest.mark.parametrize("alias, org_id", [
        ("Xiami Auto", "xiaomi"), ("Xiaomi Auto", "xiaomi"),
        ("Beijing Era New Energy Technology Co.", "beijing_era"),
        ("Beijing Automotive Industry Co.", "baic"), ("MITT", "miit"),
    ])
    def test_names_and_misspellings_find_the_organisation(self, con, alias, org_id):
        assert rows(con, "SELECT org_id FROM organisation_aliases WHERE alias = $a", {"a": alias}) == [(org_id,)]


class TestAesc2008:
    """002: Nissan and NEC's battery venture AESC."""

    def test_three_partners_with_undisclosed_shares(self, con):
        assert rows(con, """
            SELECT owner_org_id, qualifier, share_pct FROM ownership_stakes
            WHERE owned_org_id = 'aesc' ORDER BY owner_org_id
        """) == [("nec", "unknown", None), ("nec_tokin", "unknown", None), ("nissan", "unknown", None)]

    def test_capacity_ramp_in_units_that_do_not_convert(self, con):
        assert rows(con, """
            SELECT c.year, c.year_qualifier, c.qualifier, c.value, c.unit_code, u.factor
            FROM capacities AS c LEFT JOIN unit_conversions AS u USING (unit_code)
            WHERE c.org_id = 'aesc' ORDER BY c.capacity_id
        """) == [
            (2009, "from", "exact", 13000.0, "battery_units_per_year", None),
            (2011, "in", "exact", 65000.0, "battery_units_per_year", None),
            (2011, "not_before", "about", 200000.0, "vehicle_sets_per_year", None),
        ]

    def test_investments_at_least_one_point_one_billion_dollars_and_twelve_billion_yen(self, con):
        assert rows(con, """
            SELECT i.qualifier, i.amount, i.amount_min, i.amount_max, i.currency_code, i.period_years,
                   i.announced_on, i.announced_precision, string_agg(v.org_id, ',' ORDER BY v.org_id)
            FROM investments AS i JOIN investment_investors AS v USING (investment_id)
            WHERE i.currency_code IN ('USD', 'JPY') GROUP BY ALL ORDER BY i.announced_on
        """) == [
            ("exact", Decimal("12000000000.00"), None, None, "JPY", 3, date(2008, 5, 1), "month", "aesc"),
            ("at_least", None, Decimal("1100000000.00"), None, "USD", None, date(2008, 12, 29), "day", "nec,nissan"),
        ]

    def test_sites_abroad_only_considered(self, con):
        assert rows(con, """
            SELECT f.country_code, f.region, h.status, s.source_id FROM facilities AS f
            JOIN facility_status_history AS h USING (facility_id)
            JOIN source_publishers AS s ON s.source_id = h.source_id
            WHERE f.operator_org_id = 'aesc' ORDER BY f.facility_id
        """) == [(None, "Europe", "considered", "nikkei_2008_12_29"),
                 ("FR", None, "considered", "reuters_2008_10"),
                 ("US", None, "considered", "nikkei_2008_12_29")]


class TestActionPlan2017:
    """003: the four ministries' Action Plan for the car-battery industry."""

    def test_issued_jointly_by_four_ministries(self, con):
        assert rows(con, """
            SELECT string_agg(org_id, ',' ORDER BY org_id) FROM document_issuers
            WHERE document_id = 'car_battery_action_plan_2017'
        """) == [("miit,mof,most,ndrc",)]

    def test_2020_capacity_targets_are_exclusive_lower_bounds(self, con):
        assert rows(con, """
            SELECT metric_code, comparator, qualifier, value, value_min, value_min_exclusive, unit_code, deadline_year
            FROM targets WHERE document_id = 'car_battery_action_plan_2017' AND unit_code IS NOT NULL
            ORDER BY value_min DESC
        """) == [
            ("annual_production_capacity", ">", "over", None, 100.0, True, "gwh_per_year", 2020),
            ("enterprise_annual_capacity", ">", "over", None, 40.0, True, "gwh_per_year", 2020),
        ]

    def test_milestones_for_2018_2020_and_2025(self, con):
        assert rows(con, """
            SELECT deadline_qualifier, deadline_year, value FROM targets
            WHERE document_id = 'car_battery_action_plan_2017' AND unit_code IS NULL ORDER BY deadline_year
        """) == [("before", 2018, None), ("by", 2020, None), ("by", 2025, None)]


class TestEachFactCitesItsOwnSource:
    """A row's facts, its note's included, come from the source the row cites: the article, or the upstream
    report the article names for them (a company's announcement, earlier press reports, an e-mail)."""

    def test_baic_note_holds_only_what_the_2012_article_says(self, con):
        assert rows(con, "SELECT source_id, note FROM organisations WHERE org_id = 'baic'") == [
            ("bloomberg_2012_08_08",
             "Parent of Beijing Electric Vehicle, the unit Boston-Power agreed to supply in 2012. The 2012 article "
             "calls the unit, not BAIC itself, a Chinese carmaker: BAIC's kind and country are read from that and "
             "from its name."),
        ]

    def test_baic_losses_in_2024_sit_with_its_2024_spending(self, con):
        assert rows(con, """
            SELECT i.source_id, i.qualifier, v.org_id, i.note FROM investments AS i
            JOIN investment_investors AS v USING (investment_id) WHERE i.investment_id = 4
        """) == [("electrive_2024_03", "unknown", "baic",
                  "Described only as significant; no amount, period or date is given. The article adds that BAIC "
                  "was making losses at the time.")]

    def test_baic_is_credited_with_announcing_the_joint_venture(self, con):
        # the announcement is BAIC's statement: a source published by BAIC on 11 March 2024, cited by the page
        assert rows(con, """
            SELECT s.source_id, s.kind, s.published_on, s.published_precision, p.org_id, c.citing_source_id
            FROM sources AS s JOIN source_publishers AS p USING (source_id)
            JOIN source_citations AS c ON c.cited_source_id = s.source_id
            WHERE p.org_id = 'baic'
        """) == [("baic_announcement_2024_03_11", "statement", date(2024, 3, 11), "day", "baic",
                  "marketing_agency_2024_03")]
        # and the plant's announced status rests on it, so its announcer is BAIC, not the joint venture
        assert rows(con, """
            SELECT h.status, h.status_on, h.status_precision, h.source_id, p.org_id
            FROM facility_status_history AS h JOIN source_publishers AS p USING (source_id)
            WHERE h.facility_id = 'beijing_era_cell_plant'
        """) == [("announced", date(2024, 3, 11), "day", "baic_announcement_2024_03_11", "baic")]

    def test_the_joint_venture_note_no_longer_carries_the_announcement(self, con):
        assert rows(con, "SELECT source_id, note FROM organisations WHERE org_id = 'beijing_era'") == [
            ("electrive_2024_03",
             "Joint venture that CATL, BAIC and Xiaomi are to establish to run a new battery cell plant in Beijing "
             "(the country is read from that)."),
        ]

    def test_2022_reports_and_2024_deals_cite_what_the_page_names(self, con):
        assert rows(con, """
            SELECT a.agreement_id, a.status, a.source_id, s.kind, s.published_on, s.published_precision,
                   c.citing_source_id, string_agg(DISTINCT p.source_id, ',')
            FROM agreements AS a JOIN sources AS s USING (source_id)
            JOIN source_citations AS c ON c.cited_source_id = a.source_id
            JOIN agreement_parties AS p USING (agreement_id)
            WHERE a.agreement_id IN (2, 3, 4) GROUP BY ALL ORDER BY a.agreement_id
        """) == [
            (2, "reported", "xiaomi_baic_reports_2022", "press_report", date(2022, 1, 1), "year",
             "marketing_agency_2024_03", "xiaomi_baic_reports_2022"),
            (3, "announced", "baic_deals_announcement_2024", "statement", None, None,
             "marketing_agency_2024_03", "baic_deals_announcement_2024"),
            (4, "announced", "baic_deals_announcement_2024", "statement", None, None,
             "marketing_agency_2024_03", "baic_deals_announcement_2024"),
        ]

    def test_the_2024_deal_partners_cite_the_announcement_that_names_them(self, con):
        assert rows(con, """
            SELECT org_id, source_id, note FROM organisations WHERE org_id IN ('hyundai', 'mercedes') ORDER BY org_id
        """) == [
            ("hyundai", "baic_deals_announcement_2024",
             "Named in a recent announcement as BAIC's partner in a jointly operated EV brand."),
            ("mercedes", "baic_deals_announcement_2024",
             "Named in a recent announcement as BAIC's partner in a production deal for the Chinese market."),
        ]

    def test_the_analysts_view_cites_his_e_mail_not_the_article(self, con):
        assert rows(con, "SELECT source_id, note FROM organisations WHERE org_id = 'bnef'") == [
            ("bloomberg_2012_08_08", "Research firm; the 2012 article quotes one of its analysts by e-mail.")
        ]
        assert rows(con, "SELECT source_id, note FROM targets WHERE target_id = 1") == [
            ("bnef_email_2012",
             "Cited by the BNEF analyst as the government's target. He judged policy support for electric vehicles "
             "in China significant but their uptake slow, and 2011 sales very low against the target."),
        ]

    def test_the_chairmans_expectation_is_not_in_the_articles_own_note(self, con):
        assert rows(con, "SELECT source_id, note FROM organisations WHERE org_id = 'boston_power'") == [
            ("bloomberg_2012_08_08",
             "Privately held (closely held) lithium-ion battery maker, whose batteries can also be used in laptops "
             "and for utility storage. The BAIC unit deal of 2012 was its first car-battery deal and its first with "
             "a Chinese carmaker."),
        ]

    def test_aesc_plants_abroad_are_left_to_the_nikkei_rows(self, con):
        assert rows(con, "SELECT source_id, note FROM organisations WHERE org_id = 'aesc'") == [
            ("carboncreditsusa_2008_12_29",
             "Battery joint venture of Nissan, NEC and NEC Tokin, to begin making lithium-ion batteries in 2009 "
             "(the post of December 2008 says from next year)."),
        ]

    def test_what_the_aesc_companies_had_said_cites_their_statement(self, con):
        assert rows(con, """
            SELECT s.kind, c.citing_source_id, s.published_on FROM sources AS s
            JOIN source_citations AS c ON c.cited_source_id = s.source_id
            WHERE s.source_id = 'aesc_partners_statement_2008'
        """) == [("statement", "carboncreditsusa_2008_12_29", None)]
        assert rows(con, """
            SELECT 'capacities', CAST(capacity_id AS VARCHAR) FROM capacities WHERE source_id = 'aesc_partners_statement_2008'
            UNION ALL
            SELECT 'agreements', CAST(agreement_id AS VARCHAR) FROM agreements WHERE source_id = 'aesc_partners_statement_2008'
            UNION ALL
            SELECT 'agreement_parties', org_id FROM agreement_parties WHERE source_id = 'aesc_partners_statement_2008'
            UNION ALL
            SELECT 'organisation_sectors', org_id || ':' || sector_code FROM organisation_sectors
            WHERE source_id = 'aesc_partners_statement_2008'
            ORDER BY ALL
        """) == [("agreement_parties", "aesc"), ("agreement_parties", "nissan"), ("agreements", "6"),
                 ("capacities", "4"), ("organisation_sectors", "nissan:hybrid_vehicles")]


class TestReadValuesSaySo:
    """A value read into the text rather than stated by it carries a note saying so."""

    def test_the_supply_deal_is_dated_with_the_articles_own_date(self, con):
        assert rows(con, """
            SELECT a.announced_on, a.announced_precision, s.published_on, a.note
            FROM agreements AS a JOIN sources AS s USING (source_id) WHERE a.agreement_id = 1
        """) == [(date(2012, 8, 8), "day", date(2012, 8, 8),
                  "Boston-Power's first car-battery deal and its first with a Chinese carmaker. The article does not "
                  "say when the deal was made: it is dated with the article's publication date, and the 2012 start "
                  "is read from the car being due on the Chinese market within the year. The Taiwan line as first "
                  "supplier comes from the chairman's interview.")]

    def test_the_joint_venture_capital_names_no_investor_in_the_text(self, con):
        assert rows(con, "SELECT note FROM investments WHERE investment_id = 3") == [
            ("1 billion yuan, put at about 138 million US dollars by the source. The source names no investor: "
             "CATL, BAIC and Xiaomi are recorded as the investors because they are to establish the joint venture, "
             "and how they split the capital is not stated. The date is that of BAIC's announcement of the plans; "
             "the article does not say the capital was part of it.",)
        ]

    def test_the_mercedes_deal_is_only_announced(self, con):
        assert rows(con, "SELECT kind, status, announced_on, note FROM agreements WHERE agreement_id = 4") == [
            ("production", "announced", None,
             "The page reports only an announcement of the deal, not that it was signed, so it is stored as "
             "announced; no date given."),
        ]

    def test_the_taiwan_line_capacity_is_planned_and_says_why(self, con):
        assert rows(con, "SELECT basis, qualifier, value, year, year_qualifier, note FROM capacities WHERE capacity_id = 2") == [
            ("planned", "exact", 120.0, 2012, "in",
             "The chairman gives the line's size as the source of the first supply for Beijing Electric Vehicle, in "
             "the future tense; she does not say it already produces that much, so it is stored as planned, not "
             "actual. The year is read from the deal's 2012 start."),
        ]

    def test_the_joint_venture_stakes_say_where_their_date_comes_from(self, con):
        assert rows(con, """
            SELECT owner_org_id, reported_on, note FROM ownership_stakes WHERE owned_org_id = 'beijing_era'
            ORDER BY stake_id
        """) == [
            ("catl", date(2024, 3, 11),
             "Majority holder. The three known shares add up to 95%; the other 5% is not accounted for in the "
             "source. Dated with BAIC's announcement of 11 March 2024; the article does not say the shares were "
             "part of it."),
            ("baic", date(2024, 3, 11),
             "Dated with BAIC's announcement of 11 March 2024; the article does not say the shares were part of it."),
            ("xiaomi", date(2024, 3, 11),
             "Held under the name Xiaomi Auto. Dated with BAIC's announcement of 11 March 2024; the article does not "
             "say the shares were part of it."),
        ]

    def test_the_40_gwh_target_says_its_year_is_read(self, con):
        assert rows(con, "SELECT deadline_year, deadline_qualifier, note FROM targets WHERE target_id = 6") == [
            (2020, "by",
             "The plan speaks of such enterprises in the plural without saying how many. The sentence gives no year: "
             "2020 is read from the total-capacity target beside it."),
        ]

    def test_baic_sectors_say_they_are_read(self, con):
        assert rows(con, """
            SELECT sector_code, source_id, note FROM organisation_sectors WHERE org_id = 'baic' ORDER BY sector_code
        """) == [
            ("automotive", "bloomberg_2012_08_08",
             "Read from its name and from its carmaking unit; the 2012 article does not call BAIC itself a carmaker."),
            ("electric_vehicles", "electrive_2024_03",
             "Read from the article's report that BAIC has lately put large sums into new-energy vehicles; it "
             "does not say that BAIC makes electric vehicles itself."),
        ]
