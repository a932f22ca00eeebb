-- title: Capacity attributable to each ultimate owner
-- question: How much production capacity, in a given year, does each ultimate owner control through its direct and indirect stakes?
-- param year INTEGER = 2012: Year the capacity figures should apply to.
-- param bases VARCHAR[] = NULL: Capacity bases to count (actual, planned, targeted); all when not given.
-- param max_depth INTEGER = 20 (at least 1): Most steps up the ownership graph; the share circulating in a cross-holding is counted up to this many steps.
-- column owner VARCHAR: The ultimate owner's name: an organisation that nobody owns.
-- column owner_id VARCHAR: The ultimate owner's id.
-- column unit_code VARCHAR: The unit of the bounds: gwh_per_year for every unit that converts to it, else the source's own; NULL on the row of plants without a figure.
-- column converts BOOLEAN: True when the unit converts to GWh per year; NULL on the row of plants without a figure.
-- column attributable_min DOUBLE: The least capacity the owner controls in this unit, through the least shares; NULL on the row of plants without a figure.
-- column attributable_max DOUBLE: The most capacity the owner controls in this unit, through the greatest shares; NULL when a figure has no upper bound, and on the row of plants without a figure.
-- column capacity_holders BIGINT: How many plants and organisations with a figure the row adds up (0 on the row of plants without a figure).
-- column undisclosed_plants BIGINT: How many plants known by the year, with no figure of their own or of their operator, the owner reaches (0 on rows with figures).
-- column figures_from_year INTEGER: The year of the oldest figure the row adds up (figures are the latest up to the year); NULL on the row of plants without a figure.
-- column figures_to_year INTEGER: The year of the newest figure the row adds up; NULL on the row of plants without a figure.
-- column source_ids VARCHAR: The sources of the figures (on the row of plants without a figure, of the plants and their latest statuses), sorted and joined with ', '.
-- example: year=2024
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
-- bound. A row's figures may be older than $year (the latest known):
-- figures_from_year and figures_to_year give the least and greatest year
-- of the figures it adds up, and source_ids their sources.
--
-- Capacity that exists but is undisclosed is not dropped: a plant known by
-- $year (its latest status reported up to then is not cancelled or
-- retired) of which neither the plant nor its operator has a figure in the
-- counted bases up to $year (an organisation's figure, such as AESC's, is
-- taken to cover its plants) is a capacity holder without a unit or
-- bounds. It flows up the same graph, and each ultimate owner that reaches
-- such plants gets one row with unit_code, converts, the bounds and the
-- years NULL, capacity_holders 0 and undisclosed_plants counting them
-- (undisclosed_plants is 0 on rows with figures); its source_ids are those
-- of the plants' facility rows and latest statuses. These rows come last.
--
-- Termination and cost: each step of the recursion aggregates per
-- (capacity holder, owner) instead of listing paths, so the work grows with
-- the stakes reachable times the number of steps, not with the number of
-- paths, and the recursion stops after max_depth steps. In a cross-holding
-- the share that goes round the cycle is counted each time round (the
-- integrated ownership of ownership analysis); it shrinks geometrically, so
-- max_depth only trims a tail. Capacity inside a cross-holding that no
-- outside owner reaches is not attributed to anyone. Each capacity holder
-- (an operator or organisation with figures, or the operator of plants
-- without one) enters the recursion once, however many figures and plants
-- it has: those are joined to the owners' shares only after it. The
-- operators of plants without a figure are holders that the figures alone
-- would not bring in, so they add their own stakes to the work. As a
-- plant or organisation has one holder, an owner's capacity_holders,
-- undisclosed_plants and source_ids are put together from each holder's
-- count and distinct sources, so only the bounds and years are aggregated
-- over every (owner, figure) pair.
WITH RECURSIVE capacity_now AS (
    SELECT
        figures.holder_id,
        figures.subject_id,
        figures.unit_code,
        figures.converts,
        figures.low,
        figures.high,
        figures.figure_year,
        figures.source_id
    FROM (
        SELECT
            coalesce(f.operator_org_id, c.org_id) AS holder_id,
            coalesce(c.facility_id, c.org_id) AS subject_id,
            coalesce(uc.canonical_unit_code, c.unit_code) AS unit_code,
            uc.canonical_unit_code = 'gwh_per_year' AS converts,
            CASE WHEN c.year_qualifier = 'not_before' THEN 0
                 ELSE coalesce(c.value, c.value_min, 0) END * coalesce(uc.factor, 1) AS low,
            coalesce(c.value, c.value_max) * coalesce(uc.factor, 1) AS high,
            c.year AS figure_year,
            c.source_id,
            max(c.year) OVER (PARTITION BY c.facility_id, c.org_id, c.unit_code) AS latest_year
        FROM capacities AS c
        LEFT JOIN facilities AS f ON f.facility_id = c.facility_id
        LEFT JOIN unit_conversions AS uc
            ON uc.unit_code = c.unit_code AND uc.canonical_unit_code = 'gwh_per_year'
        WHERE c.year <= $year
          AND ($bases IS NULL OR list_contains($bases, c.basis))
          AND coalesce(f.operator_org_id, c.org_id) IS NOT NULL
    ) AS figures
    WHERE figures.figure_year = figures.latest_year
),

counted AS (
    SELECT
        c.facility_id,
        c.org_id
    FROM capacities AS c
    WHERE c.year <= $year AND ($bases IS NULL OR list_contains($bases, c.basis))
),

undisclosed AS (
    SELECT
        f.operator_org_id AS holder_id,
        f.facility_id AS subject_id,
        fs.status,
        fs.status_on,
        f.source_id
    FROM facility_latest_status($year) AS fs
    JOIN facilities AS f ON f.facility_id = fs.facility_id
    WHERE f.operator_org_id IS NOT NULL
      AND fs.status NOT IN ('cancelled', 'retired')
      AND f.facility_id NOT IN (SELECT cs.facility_id FROM counted AS cs WHERE cs.facility_id IS NOT NULL)
      AND f.operator_org_id NOT IN (SELECT cs.org_id FROM counted AS cs WHERE cs.org_id IS NOT NULL)
),

holdings AS (
    SELECT
        cn.holder_id,
        cn.subject_id,
        cn.unit_code,
        coalesce(cn.converts, false) AS converts,
        cn.low,
        cn.high,
        cn.figure_year,
        cn.source_id,
        false AS undisclosed
    FROM capacity_now AS cn
    UNION ALL
    SELECT
        u.holder_id,
        u.subject_id,
        NULL,
        NULL,
        NULL,
        NULL,
        NULL,
        u.source_id,
        true
    FROM undisclosed AS u
    UNION ALL
    SELECT
        u.holder_id,
        u.subject_id,
        NULL,
        NULL,
        NULL,
        NULL,
        NULL,
        h.source_id,
        true
    FROM undisclosed AS u
    JOIN facility_status_history AS h
        ON h.facility_id = u.subject_id AND h.status = u.status AND h.status_on = u.status_on
       AND NOT h.is_expected
),

levels (holder_id, owner_id, depth, low, high) AS (
    SELECT DISTINCT
        h.holder_id,
        h.holder_id,
        0,
        CAST(1.0 AS DOUBLE),
        CAST(1.0 AS DOUBLE)
    FROM holdings AS h
    UNION ALL
    SELECT
        l.holder_id,
        sb.owner_org_id,
        l.depth + 1,
        exact_sum(l.low * sb.low),
        exact_sum(l.high * sb.high)
    FROM levels AS l
    JOIN stake_bounds() AS sb ON sb.owned_org_id = l.owner_id
    WHERE l.depth < $max_depth
    GROUP BY l.holder_id, sb.owner_org_id, l.depth + 1
),

ultimate_shares AS (
    SELECT
        l.holder_id,
        l.owner_id,
        exact_sum(l.low) AS low,
        least(exact_sum(l.high), 1.0) AS high
    FROM levels AS l
    GROUP BY l.holder_id, l.owner_id
    HAVING NOT EXISTS (SELECT 1 FROM stake_bounds() AS sb WHERE sb.owned_org_id = l.owner_id)
),

-- Each subject has one holder (a plant its operator, an organisation
-- itself), so an owner's distinct subjects per row are the sum of its
-- holders' counts, and its sources are deduplicated from the holders'.
holder_subjects AS (
    SELECT
        h.holder_id,
        h.unit_code,
        h.converts,
        h.undisclosed,
        count(DISTINCT h.subject_id) AS subjects
    FROM holdings AS h
    GROUP BY h.holder_id, h.unit_code, h.converts, h.undisclosed
),

-- Each holder's distinct sources per row, fewer rows to join to the owners.
holder_sources AS (
    SELECT DISTINCT
        h.holder_id,
        h.unit_code,
        h.converts,
        h.undisclosed,
        h.source_id
    FROM holdings AS h
),

-- The bounds and years, over every (owner, figure) pair; the name is
-- joined before the sums, which keeps the order they add up in.
owner_figures AS (
    SELECT
        o.name AS owner,
        p.owner_id,
        h.unit_code,
        h.converts,
        h.undisclosed,
        round(exact_sum(p.low * h.low), 9) AS attributable_min,
        CASE WHEN bool_and(h.high IS NOT NULL) THEN round(exact_sum(p.high * h.high), 9) END AS attributable_max,
        min(h.figure_year) AS figures_from_year,
        max(h.figure_year) AS figures_to_year
    FROM ultimate_shares AS p
    JOIN holdings AS h ON h.holder_id = p.holder_id
    JOIN organisations AS o ON o.org_id = p.owner_id
    GROUP BY o.name, p.owner_id, h.unit_code, h.converts, h.undisclosed
),

-- Each owner's plants, from its holders' counts.
owner_subjects AS (
    SELECT
        p.owner_id,
        hs.unit_code,
        hs.converts,
        hs.undisclosed,
        CAST(sum(hs.subjects) AS BIGINT) AS subjects
    FROM ultimate_shares AS p
    JOIN holder_subjects AS hs ON hs.holder_id = p.holder_id
    GROUP BY p.owner_id, hs.unit_code, hs.converts, hs.undisclosed
),

-- Each owner's sources, from its holders' distinct ones.
owner_sources AS (
    SELECT
        p.owner_id,
        hs.unit_code,
        hs.converts,
        hs.undisclosed,
        string_agg(DISTINCT hs.source_id, ', ' ORDER BY hs.source_id) AS source_ids
    FROM ultimate_shares AS p
    JOIN holder_sources AS hs ON hs.holder_id = p.holder_id
    GROUP BY p.owner_id, hs.unit_code, hs.converts, hs.undisclosed
)

SELECT
    f.owner,
    f.owner_id,
    f.unit_code,
    f.converts,
    f.attributable_min,
    f.attributable_max,
    CASE WHEN f.undisclosed THEN 0 ELSE s.subjects END AS capacity_holders,
    CASE WHEN f.undisclosed THEN s.subjects ELSE 0 END AS undisclosed_plants,
    f.figures_from_year,
    f.figures_to_year,
    so.source_ids
FROM owner_figures AS f
JOIN owner_subjects AS s
    ON s.owner_id = f.owner_id AND s.unit_code IS NOT DISTINCT FROM f.unit_code
   AND s.converts IS NOT DISTINCT FROM f.converts AND s.undisclosed = f.undisclosed
JOIN owner_sources AS so
    ON so.owner_id = f.owner_id AND so.unit_code IS NOT DISTINCT FROM f.unit_code
   AND so.converts IS NOT DISTINCT FROM f.converts AND so.undisclosed = f.undisclosed
ORDER BY
    f.undisclosed,
    f.converts DESC,
    f.unit_code,
    f.attributable_max DESC NULLS FIRST,
    undisclosed_plants DESC,
    f.owner;
