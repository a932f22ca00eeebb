-- title: Capacity by country and status
-- question: In a given year, how much battery production capacity does each country have, split by how far along the plants are?
-- param year INTEGER = 2012: Year of the snapshot: each plant's latest status and capacity reported up to that year.
-- column country_or_region VARCHAR: The plants' country code, or their region when the country is not known ('unknown' when neither is).
-- column status VARCHAR: The plants' latest status reported up to the year.
-- column facilities BIGINT: How many plants of the country or region have this status.
-- column capacity_gwh_min DOUBLE: The least capacity, in GWh per year: the sum of the lower bounds of the plants with a GWh figure, a lower bound only when some have none; NULL when none has one.
-- column capacity_gwh_max DOUBLE: The most capacity, in GWh per year; NULL when a plant has no GWh figure or its figure no upper bound.
-- column capacity_as_stated VARCHAR: The capacity in words, with what is unknown: '0.12 to 0.52', 'at least 0.12 (2 plants without a GWh figure)', 'unknown (1 plant without a GWh figure)'.
-- column facilities_capacity_unknown BIGINT: How many of the plants have no capacity figure at all.
-- column facilities_other_units BIGINT: How many of the plants have figures only in units that do not convert to GWh.
-- column source_ids VARCHAR: The sources of the plants, of their latest statuses and of their latest figures, sorted and joined with ', '.
-- example: year=2024
--
-- Plants first reported after the year are left out. Capacity is in GWh
-- per year, as bounds, and unknown stays unknown: when no plant of the
-- group has a figure in GWh (none at all, or only in units that do not
-- convert, such as battery units), both bounds are NULL; when some have
-- one, the minimum adds up theirs and is a lower bound only, and the
-- maximum is NULL whenever a plant has no GWh figure or its figure no
-- upper bound. capacity_as_stated says which, its numbers written by
-- number_text: "0.12", "0.12 to 0.52", "up to 0.4", "at least 5",
-- "at least 0.12 (2 plants without a GWh figure)", "unknown (1 plant
-- without a GWh figure)". Plants without any figure, and those with
-- figures in other units only, are counted in columns of their own; other
-- units are never added to GWh. A plant whose country is not known is
-- grouped under its region. Capacity that a source gives for an
-- organisation rather than a plant has no place here. source_ids lists,
-- sorted and separated by ", ", the distinct sources of the group's
-- facility rows, of their latest statuses and of the latest figures (per
-- unit) they have up to the year.
WITH plants AS (
    SELECT
        coalesce(fs.country_code, fs.region, 'unknown') AS country_or_region,
        fs.status,
        st.stage,
        fs.facility_id,
        fs.status_on,
        fs.has_figure,
        fs.has_gwh,
        fs.gwh_low,
        fs.gwh_high
    FROM facility_snapshot($year) AS fs
    JOIN facility_statuses AS st ON st.status = fs.status
),

-- Each group's distinct sources, deduplicated per group directly rather
-- than per plant first: the facility rows, the latest statuses and the
-- latest figures per unit of its plants.
group_sources AS (
    SELECT
        p.country_or_region,
        p.status,
        f.source_id
    FROM plants AS p
    JOIN facilities AS f ON f.facility_id = p.facility_id
    UNION
    SELECT
        p.country_or_region,
        p.status,
        h.source_id
    FROM plants AS p
    JOIN facility_status_history AS h
        ON h.facility_id = p.facility_id AND h.status = p.status AND h.status_on = p.status_on
       AND NOT h.is_expected
    UNION
    SELECT
        p.country_or_region,
        p.status,
        figures.source_id
    FROM (
        SELECT
            c.facility_id,
            c.source_id,
            c.year AS figure_year,
            max(c.year) OVER (PARTITION BY c.facility_id, c.unit_code) AS latest_year
        FROM capacities AS c
        WHERE c.facility_id IS NOT NULL AND ($year IS NULL OR c.year <= $year)
    ) AS figures
    JOIN plants AS p ON p.facility_id = figures.facility_id
    WHERE figures.figure_year = figures.latest_year
),

-- The distinct sources, sorted and joined: no DISTINCT needed here.
source_lists AS (
    SELECT
        gs.country_or_region,
        gs.status,
        string_agg(gs.source_id, ', ' ORDER BY gs.source_id) AS source_ids
    FROM group_sources AS gs
    GROUP BY gs.country_or_region, gs.status
),

totals AS (
    SELECT
        p.country_or_region,
        p.status,
        max(p.stage) AS stage,
        count(*) AS facilities,
        count(*) FILTER (WHERE NOT p.has_gwh) AS without_gwh,
        round(exact_sum(p.gwh_low), 9) AS gwh_min,
        CASE WHEN bool_and(p.has_gwh AND p.gwh_high IS NOT NULL) THEN round(exact_sum(p.gwh_high), 9) END AS gwh_max,
        count(*) FILTER (WHERE NOT p.has_figure) AS facilities_capacity_unknown,
        count(*) FILTER (WHERE p.has_figure AND NOT p.has_gwh) AS facilities_other_units
    FROM plants AS p
    GROUP BY p.country_or_region, p.status
),

texts AS (
    SELECT
        g.*,
        number_text(g.gwh_min) AS min_text,
        number_text(g.gwh_max) AS max_text,
        CAST(g.without_gwh AS VARCHAR) || CASE WHEN g.without_gwh = 1 THEN ' plant' ELSE ' plants' END
            || ' without a GWh figure' AS without_text
    FROM totals AS g
)

SELECT
    t.country_or_region,
    t.status,
    t.facilities,
    t.gwh_min AS capacity_gwh_min,
    t.gwh_max AS capacity_gwh_max,
    CASE
        WHEN t.without_gwh = t.facilities THEN 'unknown (' || t.without_text || ')'
        WHEN t.without_gwh > 0 THEN 'at least ' || t.min_text || ' (' || t.without_text || ')'
        WHEN t.gwh_max IS NULL THEN 'at least ' || t.min_text
        WHEN t.gwh_min = t.gwh_max THEN t.min_text
        WHEN t.gwh_min = 0 THEN 'up to ' || t.max_text
        ELSE t.min_text || ' to ' || t.max_text
    END AS capacity_as_stated,
    t.facilities_capacity_unknown,
    t.facilities_other_units,
    gs.source_ids
FROM texts AS t
JOIN source_lists AS gs ON gs.country_or_region = t.country_or_region AND gs.status = t.status
ORDER BY t.country_or_region, t.stage DESC, t.status;
