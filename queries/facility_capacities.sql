-- title: Plants, their status and capacity
-- question: Which battery plants and lines are known, where are they, how far along are they, and how much can each produce?
--
-- The status is the latest one reported (expected statuses are left out).
-- Capacity is shown as the source states it and, where the unit converts,
-- as bounds in GWh per year; a facility without any figure says so.
WITH latest_status AS (
    SELECT facility_id, status, status_on
    FROM (
        SELECT
            facility_id,
            status,
            status_on,
            row_number() OVER (PARTITION BY facility_id ORDER BY status_on DESC, status) AS recency
        FROM facility_status_history
        WHERE NOT is_expected
    ) AS ranked
    WHERE recency = 1
)
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
    upper_bound(c.value, c.value_max) * conv.factor AS gwh_per_year_max
FROM facilities AS f
LEFT JOIN organisations AS operator ON operator.org_id = f.operator_org_id
LEFT JOIN latest_status AS ls ON ls.facility_id = f.facility_id
LEFT JOIN capacities AS c ON c.facility_id = f.facility_id
LEFT JOIN units AS u ON u.unit_code = c.unit_code
LEFT JOIN unit_conversions AS conv
    ON conv.unit_code = c.unit_code AND conv.canonical_unit_code = 'gwh_per_year'
ORDER BY f.name, c.year;
