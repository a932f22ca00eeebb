-- title: Capacity pipeline by country
-- question: For each country, how much capacity is operating, under construction and only planned or announced, and how many projects are still only being considered?
-- column country_or_region VARCHAR
-- column operating_gwh_min DOUBLE
-- column operating_gwh_max DOUBLE
-- column under_construction_gwh_min DOUBLE
-- column under_construction_gwh_max DOUBLE
-- column planned_gwh_min DOUBLE
-- column planned_gwh_max DOUBLE
-- column considered_facilities BIGINT
-- column facilities_capacity_unknown BIGINT
-- column latest_report DATE
--
-- Each plant counts once, at its latest reported status, with its latest
-- capacity figure (whatever the year), in GWh per year as bounds: a plant
-- without a GWh figure adds 0 to a minimum and makes the maximum unknown
-- (NULL). "Planned" takes in announced and planned plants; halted or
-- abandoned ones are left out of the GWh columns but counted as unknown if
-- they have no figure.
WITH snapshot AS (
    SELECT
        coalesce(fs.country_code, fs.region, 'unknown') AS country_or_region,
        CASE
            WHEN fs.status IN ('announced', 'planned') THEN 'planned'
            ELSE fs.status
        END AS stage,
        fs.has_figure,
        fs.has_gwh,
        coalesce(fs.gwh_low, 0) AS low,
        CASE WHEN fs.has_gwh THEN fs.gwh_high END AS high,
        fs.status_on
    FROM facility_snapshot(NULL) AS fs
)

SELECT
    s.country_or_region,
    round(sum(s.low) FILTER (WHERE s.stage = 'operating'), 9) AS operating_gwh_min,
    round(CASE WHEN bool_and(s.high IS NOT NULL) FILTER (WHERE s.stage = 'operating')
               THEN sum(s.high) FILTER (WHERE s.stage = 'operating') END, 9) AS operating_gwh_max,
    round(sum(s.low) FILTER (WHERE s.stage = 'under_construction'), 9) AS under_construction_gwh_min,
    round(CASE WHEN bool_and(s.high IS NOT NULL) FILTER (WHERE s.stage = 'under_construction')
               THEN sum(s.high) FILTER (WHERE s.stage = 'under_construction') END, 9) AS under_construction_gwh_max,
    round(sum(s.low) FILTER (WHERE s.stage = 'planned'), 9) AS planned_gwh_min,
    round(CASE WHEN bool_and(s.high IS NOT NULL) FILTER (WHERE s.stage = 'planned')
               THEN sum(s.high) FILTER (WHERE s.stage = 'planned') END, 9) AS planned_gwh_max,
    count(*) FILTER (WHERE s.stage = 'considered') AS considered_facilities,
    count(*) FILTER (WHERE NOT s.has_figure) AS facilities_capacity_unknown,
    max(s.status_on) AS latest_report
FROM snapshot AS s
GROUP BY s.country_or_region
ORDER BY s.country_or_region;
