-- title: Capacity by country and status
-- question: In a given year, how much battery production capacity does each country have, split by how far along the plants are?
-- param year INTEGER = 2012: Year of the snapshot: each plant's latest status and capacity reported up to that year.
-- column country_or_region VARCHAR
-- column status VARCHAR
-- column facilities BIGINT
-- column capacity_gwh_min DOUBLE
-- column capacity_gwh_max DOUBLE
-- column facilities_capacity_unknown BIGINT
-- column facilities_other_units BIGINT
-- example: year=2012
--
-- Plants first reported after the year are left out. Capacity is in GWh
-- per year, as bounds: a plant with no figure in GWh (none at all, or only
-- in units that do not convert, such as battery units) adds 0 to the
-- minimum and leaves the maximum unknown (NULL), and is counted in its own
-- column; other units are never added to GWh. A plant
-- whose country is not known is grouped under its region. Capacity that a
-- source gives for an organisation rather than a plant has no place here.
SELECT
    coalesce(fs.country_code, fs.region, 'unknown') AS country_or_region,
    fs.status,
    count(*) AS facilities,
    round(coalesce(sum(fs.gwh_low), 0), 9) AS capacity_gwh_min,
    CASE WHEN bool_and(fs.has_gwh AND fs.gwh_high IS NOT NULL) THEN round(sum(fs.gwh_high), 9) END
        AS capacity_gwh_max,
    count(*) FILTER (WHERE NOT fs.has_figure) AS facilities_capacity_unknown,
    count(*) FILTER (WHERE fs.has_figure AND NOT fs.has_gwh) AS facilities_other_units
FROM facility_snapshot($year) AS fs
JOIN facility_statuses AS st ON st.status = fs.status
GROUP BY coalesce(fs.country_code, fs.region, 'unknown'), fs.status
ORDER BY country_or_region, max(st.stage) DESC, fs.status;
