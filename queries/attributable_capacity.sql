-- title: Capacity attributable to each ultimate owner
-- question: How much production capacity, in a given year, does each ultimate owner control through its direct and indirect stakes?
-- param year INTEGER = 2012: Year the capacity figures should apply to.
-- param bases VARCHAR[] = NULL: Capacity bases to count (actual, planned, targeted); all when not given.
-- param max_depth INTEGER = 20 (at least 1): Most steps up the ownership graph; the share circulating in a cross-holding is counted up to this many steps.
-- column owner VARCHAR
-- column owner_id VARCHAR
-- column unit_code VARCHAR
-- column converts BOOLEAN
-- column attributable_min DOUBLE
-- column attributable_max DOUBLE
-- column capacity_holders BIGINT
-- example: year=2012
--
-- The figure for each facility (credited to its operator) or organisation
-- is its latest one for the year: the row with the greatest year not after
-- $year, per unit. A figure given as "that year or later" may not yet be in
-- place, so its lower bound is 0. The capacity then flows up the ownership
-- graph to every owner that nobody owns (an ultimate owner; an
-- organisation without owners is its own), multiplied at each step by the
-- bounds of the stake (unknown shares count as 0 to 100%, open bounds as 0
-- or 100%) and summed over all routes, so a diamond of holdings adds up
-- correctly; an owner's upper share is capped at 100%. Capacity in
-- GWh-convertible units is given in GWh per year; other units (battery
-- units, vehicles' worth of batteries) get rows of their own and are never
-- added to GWh. attributable_max is NULL when some figure has no upper
-- bound.
--
-- Termination and cost: each step of the recursion aggregates per
-- (capacity holder, owner) instead of listing paths, so the work grows with
-- the stakes reachable times the number of steps, not with the number of
-- paths, and the recursion stops after max_depth steps. In a cross-holding
-- the share that goes round the cycle is counted each time round (the
-- integrated ownership of ownership analysis); it shrinks geometrically, so
-- max_depth only trims a tail. Capacity inside a cross-holding that no
-- outside owner reaches is not attributed to anyone.
WITH RECURSIVE capacity_now AS (
    SELECT figures.holder_id, figures.subject_id, figures.unit_code, figures.converts, figures.low, figures.high
    FROM (
        SELECT
            coalesce(f.operator_org_id, c.org_id) AS holder_id,
            coalesce(c.facility_id, c.org_id) AS subject_id,
            coalesce(uc.canonical_unit_code, c.unit_code) AS unit_code,
            uc.canonical_unit_code = 'gwh_per_year' AS converts,
            CASE WHEN c.year_qualifier = 'not_before' THEN 0
                 ELSE coalesce(c.value, c.value_min, 0) END * coalesce(uc.factor, 1) AS low,
            coalesce(c.value, c.value_max) * coalesce(uc.factor, 1) AS high,
            c.year,
            max(c.year) OVER (PARTITION BY c.facility_id, c.org_id, c.unit_code) AS latest_year
        FROM capacities AS c
        LEFT JOIN facilities AS f ON f.facility_id = c.facility_id
        LEFT JOIN unit_conversions AS uc
            ON uc.unit_code = c.unit_code AND uc.canonical_unit_code = 'gwh_per_year'
        WHERE c.year <= $year
          AND ($bases IS NULL OR list_contains($bases, c.basis))
          AND coalesce(f.operator_org_id, c.org_id) IS NOT NULL
    ) AS figures
    WHERE figures.year = figures.latest_year
),

levels (holder_id, owner_id, depth, low, high) AS (
    SELECT DISTINCT cn.holder_id, cn.holder_id, 0, 1.0::DOUBLE, 1.0::DOUBLE
    FROM capacity_now AS cn
    UNION ALL
    SELECT
        l.holder_id,
        sb.owner_org_id,
        l.depth + 1,
        sum(l.low * sb.low),
        sum(l.high * sb.high)
    FROM levels AS l
    JOIN stake_bounds() AS sb ON sb.owned_org_id = l.owner_id
    WHERE l.depth < $max_depth
    GROUP BY l.holder_id, sb.owner_org_id, l.depth + 1
),

ultimate_shares AS (
    SELECT l.holder_id, l.owner_id, sum(l.low) AS low, least(sum(l.high), 1.0) AS high
    FROM levels AS l
    WHERE l.owner_id NOT IN (SELECT sb.owned_org_id FROM stake_bounds() AS sb)
    GROUP BY l.holder_id, l.owner_id
)

SELECT
    o.name AS owner,
    p.owner_id,
    cn.unit_code,
    coalesce(cn.converts, false) AS converts,
    round(sum(p.low * cn.low), 9) AS attributable_min,
    CASE WHEN bool_and(cn.high IS NOT NULL) THEN round(sum(p.high * cn.high), 9) END AS attributable_max,
    count(DISTINCT cn.subject_id) AS capacity_holders
FROM ultimate_shares AS p
JOIN capacity_now AS cn ON cn.holder_id = p.holder_id
JOIN organisations AS o ON o.org_id = p.owner_id
GROUP BY o.name, p.owner_id, cn.unit_code, cn.converts
ORDER BY converts DESC, cn.unit_code, attributable_max DESC NULLS FIRST, owner;
