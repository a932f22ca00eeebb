-- title: Capacity pipeline by country
-- question: For each country, how much capacity is operating, under construction and only planned or announced, and how many projects are still only being considered?
-- column country_or_region VARCHAR: The plants' country code, or their region when the country is not known ('unknown' when neither is).
-- column operating_gwh_min DOUBLE: The least operating capacity, in GWh per year, a lower bound only when some operating plants have no GWh figure; NULL when none has one.
-- column operating_gwh_max DOUBLE: The most operating capacity, in GWh per year; NULL when an operating plant has no GWh figure or its figure no upper bound.
-- column operating_as_stated VARCHAR: The operating capacity in words, with what is unknown ('at least 0.12 (1 plant without a GWh figure)'); NULL when no plant is operating.
-- column under_construction_gwh_min DOUBLE: The least capacity under construction, in GWh per year, as operating_gwh_min.
-- column under_construction_gwh_max DOUBLE: The most capacity under construction, in GWh per year, as operating_gwh_max.
-- column under_construction_as_stated VARCHAR: The capacity under construction in words; NULL when no plant is under construction.
-- column planned_gwh_min DOUBLE: The least capacity of announced and planned plants, in GWh per year, as operating_gwh_min.
-- column planned_gwh_max DOUBLE: The most capacity of announced and planned plants, in GWh per year, as operating_gwh_max.
-- column planned_as_stated VARCHAR: The capacity of announced and planned plants in words; NULL when there is none.
-- column considered_facilities BIGINT: How many plants are only being considered.
-- column facilities_capacity_unknown BIGINT: How many plants, at any status, have no capacity figure at all.
-- column latest_report DATE: The date of the latest status reported for any of the plants.
-- column source_ids VARCHAR: The sources of the plants, of their latest statuses and of their latest figures, sorted and joined with ', '.
--
-- Each plant counts once, at its latest reported status, with its latest
-- capacity figure per unit (whatever the year), in GWh per year as bounds.
-- "Planned" takes in announced and planned plants. For each of the three
-- stages, unknown stays unknown: when no plant at that stage has a GWh
-- figure, both bounds are NULL; when some have one, the minimum adds up
-- theirs and is a lower bound only, and the maximum is NULL whenever a
-- plant has no GWh figure or its figure no upper bound. The stage's
-- _as_stated column says which, its numbers written by number_text
-- ("0.12", "0.12 to 0.52", "up to 0.4", "at least 5", "at least 0.12
-- (2 plants without a GWh figure)", "unknown (1 plant without a GWh
-- figure)"); all three columns of a stage are NULL when the country has no
-- plant at that stage. Considered, halted and abandoned plants are left
-- out of the GWh columns; every plant of the country counts in
-- facilities_capacity_unknown if it has no figure, in latest_report, and
-- in source_ids: the distinct sources of its facility row, its latest
-- status and its latest figures, sorted and separated by ", ".
--
-- One row per country, with the stages side by side, is kept (rather than
-- a row per country and stage) because that comparison is what the query
-- is for; capacity_by_country gives a row per status. Each stage is worked
-- out once (stated) and put in its columns by a conditional max over the
-- country's at most three stage rows.
WITH plants AS (
    SELECT
        coalesce(fs.country_code, fs.region, 'unknown') AS country_or_region,
        CASE
            WHEN fs.status IN ('announced', 'planned') THEN 'planned'
            ELSE fs.status
        END AS stage,
        fs.facility_id,
        fs.status,
        fs.status_on,
        fs.status_source_id,
        fs.has_figure,
        fs.has_gwh,
        fs.gwh_low,
        fs.gwh_high
    FROM facility_snapshot(NULL) AS fs
),

-- Each country's distinct sources, deduplicated per country directly rather
-- than per plant first: the facility rows, the latest statuses and the
-- latest figures per unit of its plants.
country_sources AS (
    SELECT
        p.country_or_region,
        f.source_id
    FROM plants AS p
    JOIN facilities AS f ON f.facility_id = p.facility_id
    UNION
    SELECT
        p.country_or_region,
        p.status_source_id
    FROM plants AS p
    WHERE p.status_source_id IS NOT NULL
    UNION
    SELECT
        p.country_or_region,
        figures.source_id
    FROM (
        SELECT
            c.facility_id,
            c.source_id,
            c.year AS figure_year,
            max(c.year) OVER (PARTITION BY c.facility_id, c.unit_code) AS latest_year
        FROM capacities AS c
        WHERE c.facility_id IS NOT NULL
    ) AS figures
    JOIN plants AS p ON p.facility_id = figures.facility_id
    WHERE figures.figure_year = figures.latest_year
),

-- The distinct sources, sorted and joined: no DISTINCT needed here.
source_lists AS (
    SELECT
        cs.country_or_region,
        string_agg(cs.source_id, ', ' ORDER BY cs.source_id) AS source_ids
    FROM country_sources AS cs
    GROUP BY cs.country_or_region
),

stages AS (
    SELECT
        p.country_or_region,
        p.stage,
        count(*) AS facilities,
        count(*) FILTER (WHERE NOT p.has_gwh) AS without_gwh,
        round(exact_sum(p.gwh_low), 9) AS gwh_min,
        CASE WHEN bool_and(p.has_gwh AND p.gwh_high IS NOT NULL) THEN round(exact_sum(p.gwh_high), 9) END AS gwh_max
    FROM plants AS p
    WHERE p.stage IN ('operating', 'under_construction', 'planned')
    GROUP BY p.country_or_region, p.stage
),

texts AS (
    SELECT
        s.*,
        number_text(s.gwh_min) AS min_text,
        number_text(s.gwh_max) AS max_text,
        CAST(s.without_gwh AS VARCHAR) || CASE WHEN s.without_gwh = 1 THEN ' plant' ELSE ' plants' END
            || ' without a GWh figure' AS without_text
    FROM stages AS s
),

stated AS (
    SELECT
        t.country_or_region,
        t.stage,
        t.gwh_min,
        t.gwh_max,
        CASE
            WHEN t.without_gwh = t.facilities THEN 'unknown (' || t.without_text || ')'
            WHEN t.without_gwh > 0 THEN 'at least ' || t.min_text || ' (' || t.without_text || ')'
            WHEN t.gwh_max IS NULL THEN 'at least ' || t.min_text
            WHEN t.gwh_min = t.gwh_max THEN t.min_text
            WHEN t.gwh_min = 0 THEN 'up to ' || t.max_text
            ELSE t.min_text || ' to ' || t.max_text
        END AS as_stated
    FROM texts AS t
),

countries AS (
    SELECT
        p.country_or_region,
        count(*) FILTER (WHERE p.stage = 'considered') AS considered_facilities,
        count(*) FILTER (WHERE NOT p.has_figure) AS facilities_capacity_unknown,
        max(p.status_on) AS latest_report
    FROM plants AS p
    GROUP BY p.country_or_region
)

SELECT
    c.country_or_region,
    max(CASE WHEN s.stage = 'operating' THEN s.gwh_min END) AS operating_gwh_min,
    max(CASE WHEN s.stage = 'operating' THEN s.gwh_max END) AS operating_gwh_max,
    max(CASE WHEN s.stage = 'operating' THEN s.as_stated END) AS operating_as_stated,
    max(CASE WHEN s.stage = 'under_construction' THEN s.gwh_min END) AS under_construction_gwh_min,
    max(CASE WHEN s.stage = 'under_construction' THEN s.gwh_max END) AS under_construction_gwh_max,
    max(CASE WHEN s.stage = 'under_construction' THEN s.as_stated END) AS under_construction_as_stated,
    max(CASE WHEN s.stage = 'planned' THEN s.gwh_min END) AS planned_gwh_min,
    max(CASE WHEN s.stage = 'planned' THEN s.gwh_max END) AS planned_gwh_max,
    max(CASE WHEN s.stage = 'planned' THEN s.as_stated END) AS planned_as_stated,
    c.considered_facilities,
    c.facilities_capacity_unknown,
    c.latest_report,
    cs.source_ids
FROM countries AS c
JOIN source_lists AS cs ON cs.country_or_region = c.country_or_region
LEFT JOIN stated AS s ON s.country_or_region = c.country_or_region
GROUP BY c.country_or_region, c.considered_facilities, c.facilities_capacity_unknown, c.latest_report, cs.source_ids
ORDER BY c.country_or_region;
