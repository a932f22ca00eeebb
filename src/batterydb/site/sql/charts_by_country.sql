-- How much capacity does each country have, status by status, in the
-- snapshot year, for the chart of capacity by country and status on the
-- site? The rows of the capacity_by_country query for $year, in its
-- order, each with the words listed under the chart (label) and, in place
-- of source_ids (a group of plants can rest on thousands of sources), the
-- first $sources of its sources and how many it has. Capacity is in GWh
-- per year as bounds, NULL when unknown: a group without a GWh figure is
-- drawn as unknown, never as zero.
SELECT
    cc.country_or_region,
    cc.status,
    cc.facilities,
    cc.capacity_gwh_min,
    cc.capacity_gwh_max,
    cc.capacity_as_stated,
    cc.facilities_capacity_unknown,
    cc.facilities_other_units,
    'gwh_per_year' AS unit_code,
    cc.country_or_region || ', ' || cc.status || ', ' || CAST(cc.facilities AS VARCHAR)
        || CASE WHEN cc.facilities = 1 THEN ' plant: ' ELSE ' plants: ' END || cc.capacity_as_stated AS label,
    list_slice(string_split(cc.source_ids, ', '), 1, $sources) AS sources,
    len(string_split(cc.source_ids, ', ')) AS sources_in_all
FROM analytics.capacity_by_country(year := $year) AS cc
