-- title: Plants, their status and capacity
-- question: Which battery plants and lines are known, where are they, how far along are they, and how much can each produce?
-- column facility VARCHAR: The plant or production line.
-- column operator VARCHAR: The organisation that runs it, when a source names one.
-- column country_or_region VARCHAR: Its country code, else the region a source gives (e.g. Europe).
-- column status VARCHAR: Its latest reported status (announced ... operating); NULL when none is reported.
-- column capacity_as_stated VARCHAR: A capacity figure as the source states it, in its own unit, e.g. up to
--   400 MWh per year; not disclosed when no source gives one.
-- column capacity_year INTEGER: The year that figure applies to.
-- column gwh_per_year_min DOUBLE: The least the figure can be in GWh per year; NULL when it has no lower
--   bound or its unit does not convert.
-- column gwh_per_year_max DOUBLE: The most the figure can be in GWh per year; NULL when it has no upper
--   bound or its unit does not convert.
-- column source_ids VARCHAR: The sources of the row's facts (the facility, its latest status and the
--   capacity figure), distinct, sorted and joined with ', '.
--
-- One row per capacity figure of each facility, or one row saying "not
-- disclosed" for a facility without any figure. The status is the latest
-- one reported (expected statuses are left out). Capacity is shown as the
-- source states it and, where the unit converts, as bounds in GWh per year.
-- source_ids lists the sources of the three facts a row rests on; the
-- string_agg sorts NULLS FIRST, which changes nothing (it skips NULLs) but
-- is the order sqlglot can write for BigQuery.
SELECT
    f.name AS facility,
    operator.name AS operator,
    coalesce(f.country_code, f.region) AS country_or_region,
    ls.status,
    coalesce(
        bounds_text(c.qualifier, c.value, c.value_min, c.value_min_exclusive, c.value_max, c.value_max_exclusive)
        || ' ' || u.name,
        'not disclosed'
    ) AS capacity_as_stated,
    c.year AS capacity_year,
    lower_bound(c.value, c.value_min) * conv.factor AS gwh_per_year_min,
    upper_bound(c.value, c.value_max) * conv.factor AS gwh_per_year_max,
    (
        SELECT string_agg(DISTINCT ids.source_id, ', ' ORDER BY ids.source_id NULLS FIRST)
        FROM (
            SELECT f.source_id
            UNION ALL
            SELECT ls.source_id
            UNION ALL
            SELECT c.source_id
        ) AS ids
    ) AS source_ids
FROM facilities AS f
LEFT JOIN organisations AS operator ON operator.org_id = f.operator_org_id
LEFT JOIN facility_latest_status(NULL) AS ls ON ls.facility_id = f.facility_id
LEFT JOIN capacities AS c ON c.facility_id = f.facility_id
LEFT JOIN units AS u ON u.unit_code = c.unit_code
LEFT JOIN unit_conversions AS conv
    ON conv.unit_code = c.unit_code AND conv.canonical_unit_code = 'gwh_per_year'
ORDER BY f.name, c.year;
