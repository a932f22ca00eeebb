-- title: Targets against reported figures
-- question: How far has each target got: what do the reported figures for the same metric and scope show by its deadline, and what is the gap?
-- column target_id INTEGER: The target's id, as in the targets query (which has its figure as bounds).
-- column set_by VARCHAR: The bodies that set it, by name, separated by '; '.
-- column metric VARCHAR: What is measured (metrics.metric_code).
-- column scope VARCHAR: The country, sector and organisation it covers, those that apply, joined with ' / '.
-- column target VARCHAR: The figure as the source states it, with its unit; or milestone without a figure.
-- column deadline VARCHAR: When it is to be met, as the source puts it, e.g. by 2020; NULL when no year is
--   given.
-- column comparison VARCHAR: What the target is compared with, in words, or that nothing is.
-- column reported_min DOUBLE: The least the reported figure can be, in the target's unit.
-- column reported_max DOUBLE: The most the reported figure can be; NULL when it has no upper bound.
-- column reported_as_of DATE: The date the reported figures go up to: the end of the latest period, or the
--   latest status date of the plants counted.
-- column reported_as_of_precision VARCHAR: Precision of reported_as_of: day, month or year.
-- column progress_min_pct DOUBLE: The least share of the target reached, in percent.
-- column progress_max_pct DOUBLE: The most share of the target reached, in percent.
-- column gap_min DOUBLE: The least that is still missing, in the target's unit.
-- column gap_max DOUBLE: The most that is still missing, in the target's unit.
-- column met BOOLEAN: Whether the target is met by its deadline; NULL when the figures cannot tell.
-- column source_ids VARCHAR: The sources of the target, of who set it and of the figures compared with it
--   (the reported figures, or the plants' facility, status and capacity rows), distinct, sorted and
--   joined with ', '.
--
-- For each target, the figure to compare with is, in order of preference:
-- (1) the latest reported figure for the same metric and the same scope
-- (country, sector and organisation alike) ending by the deadline; (2) for
-- a cumulative metric (metrics.running_total_of), the sum of the reported
-- per-period figures up to the deadline, which is only a lower bound since
-- periods that were not reported are missing; (3) for a production
-- capacity target on a country, the capacity of the plants in that country
-- reported up to the deadline year (announced, planned, under construction
-- or operating), in GWh per year as bounds. Otherwise the comparison says
-- that the database holds no reported figure. The target figure is its
-- value, or the bound its comparator tests; progress is reported / target
-- and the gap target - reported, each as bounds. met is true once the
-- reported figures satisfy the target by its deadline, false only when
-- they reach the deadline year and fall short, and NULL otherwise (in
-- particular when the figures stop years before the deadline).
--
-- reported_as_of is a period's last day (day precision), or, for plants, the
-- latest status date, with the coarsest precision of the statuses on it
-- (max() picks it: day < month < year). source_ids names the sources of the
-- target row, its setters, and of the rows the comparison used: the chosen
-- figure, every figure summed, or each plant counted with its latest
-- status and the latest capacity figure per unit that facility_snapshot
-- read.
WITH setters AS (
    SELECT t.target_id, o.name, di.source_id
    FROM targets AS t
    JOIN document_issuers AS di ON di.document_id = t.document_id
    JOIN organisations AS o ON o.org_id = di.org_id
    UNION ALL
    SELECT ts.target_id, o.name, ts.source_id
    FROM target_setters AS ts
    JOIN organisations AS o ON o.org_id = ts.org_id
),

goals AS (
    SELECT
        t.*,
        m.running_total_of,
        coalesce(
            t.value,
            CASE WHEN t.comparator IN ('>', '>=', 'between') THEN t.value_min
                 WHEN t.comparator IN ('<', '<=') THEN t.value_max END
        ) AS goal,
        CASE
            WHEN t.deadline_year IS NULL THEN DATE '9999-12-31'
            WHEN t.deadline_qualifier = 'before' THEN make_date(t.deadline_year - 1, 12, 31)
            ELSE make_date(t.deadline_year, 12, 31)
        END AS deadline_end
    FROM targets AS t
    JOIN metrics AS m ON m.metric_code = t.metric_code
),

same_metric AS (
    SELECT ranked.target_id, ranked.comparison, ranked.reported_min, ranked.reported_max, ranked.reported_as_of,
           ranked.source_id
    FROM (
        SELECT
            g.target_id,
            'latest reported figure for the same metric and scope' AS comparison,
            lower_bound(r.value, r.value_min) AS reported_min,
            upper_bound(r.value, r.value_max) AS reported_max,
            r.period_end AS reported_as_of,
            r.source_id,
            row_number() OVER (PARTITION BY g.target_id ORDER BY r.period_end DESC, r.figure_id) AS recency
        FROM goals AS g
        JOIN reported_figures AS r
            ON r.metric_code = g.metric_code
            AND r.unit_code = g.unit_code
            AND r.scope_country_code IS NOT DISTINCT FROM g.scope_country_code
            AND r.scope_sector_code IS NOT DISTINCT FROM g.scope_sector_code
            AND r.scope_org_id IS NOT DISTINCT FROM g.scope_org_id
            AND r.period_end <= g.deadline_end
    ) AS ranked
    WHERE ranked.recency = 1
),

running_total_figures AS (
    SELECT g.target_id, g.running_total_of, r.value, r.value_min, r.period_end, r.source_id
    FROM goals AS g
    JOIN reported_figures AS r
        ON r.metric_code = g.running_total_of
        AND r.unit_code = g.unit_code
        AND r.scope_country_code IS NOT DISTINCT FROM g.scope_country_code
        AND r.scope_sector_code IS NOT DISTINCT FROM g.scope_sector_code
        AND r.scope_org_id IS NOT DISTINCT FROM g.scope_org_id
        AND r.period_end <= g.deadline_end
),

running_total AS (
    SELECT
        rf.target_id,
        'sum of ' || count(*) || ' reported ' || min(rf.running_total_of)
        || ' period(s); a lower bound, as periods not reported are missing' AS comparison,
        sum(lower_bound(rf.value, rf.value_min)) AS reported_min,
        NULL::DOUBLE AS reported_max,
        max(rf.period_end) AS reported_as_of
    FROM running_total_figures AS rf
    GROUP BY rf.target_id
),

plants AS (
    SELECT
        g.target_id,
        g.scope_country_code,
        g.deadline_end,
        fs.facility_id,
        fs.has_gwh,
        fs.gwh_low,
        fs.gwh_high,
        fs.status_on,
        h.status_precision,
        h.source_id AS status_source_id
    FROM goals AS g
    JOIN facility_snapshot(NULL) AS fs
        ON fs.country_code = g.scope_country_code
        AND fs.status IN ('announced', 'planned', 'under_construction', 'operating')
        AND fs.status_on <= g.deadline_end
    JOIN facility_status_history AS h
        ON h.facility_id = fs.facility_id AND h.status = fs.status AND h.status_on = fs.status_on
    WHERE g.metric_code = 'annual_production_capacity'
      AND g.unit_code = 'gwh_per_year'
      AND g.scope_org_id IS NULL
      AND g.scope_country_code IS NOT NULL
),

-- the figures facility_snapshot(NULL) reads: each facility's latest per unit
latest_capacity_sources AS (
    SELECT figures.facility_id, figures.source_id
    FROM (
        SELECT c.facility_id, c.source_id, c.year, max(c.year) OVER (PARTITION BY c.facility_id, c.unit_code) AS latest
        FROM capacities AS c
        WHERE c.facility_id IS NOT NULL
    ) AS figures
    WHERE figures.year = figures.latest
),

plant_capacity AS (
    SELECT
        p.target_id,
        'capacity of ' || count(*) || ' plant(s) in ' || p.scope_country_code || ' reported up to '
        || year(p.deadline_end) || ' (' || count(*) FILTER (WHERE NOT p.has_gwh)
        || ' without a GWh figure)' AS comparison,
        coalesce(sum(p.gwh_low), 0) AS reported_min,
        CASE WHEN bool_and(p.has_gwh AND p.gwh_high IS NOT NULL) THEN sum(p.gwh_high) END AS reported_max,
        max(p.status_on) AS reported_as_of
    FROM plants AS p
    GROUP BY p.target_id, p.scope_country_code, p.deadline_end
),

-- the rows each comparison rests on, to cite
evidence AS (
    SELECT g.target_id, 'target' AS basis, g.source_id FROM goals AS g
    UNION ALL
    SELECT s.target_id, 'target', s.source_id FROM setters AS s
    UNION ALL
    SELECT sm.target_id, 'same_metric', sm.source_id FROM same_metric AS sm
    UNION ALL
    SELECT rf.target_id, 'running_total', rf.source_id FROM running_total_figures AS rf
    UNION ALL
    SELECT p.target_id, 'plant_capacity', p.status_source_id FROM plants AS p
    UNION ALL
    SELECT p.target_id, 'plant_capacity', f.source_id
    FROM plants AS p JOIN facilities AS f ON f.facility_id = p.facility_id
    UNION ALL
    SELECT p.target_id, 'plant_capacity', lc.source_id
    FROM plants AS p JOIN latest_capacity_sources AS lc ON lc.facility_id = p.facility_id
),

compared AS (
    SELECT
        g.*,
        coalesce(sm.comparison, rt.comparison, pc.comparison, 'no reported figure in the database') AS comparison,
        coalesce(sm.reported_min, rt.reported_min, pc.reported_min) AS reported_min,
        CASE WHEN sm.target_id IS NOT NULL THEN sm.reported_max
             WHEN rt.target_id IS NOT NULL THEN rt.reported_max
             ELSE pc.reported_max END AS reported_max,
        coalesce(sm.reported_as_of, rt.reported_as_of, pc.reported_as_of) AS reported_as_of,
        CASE WHEN sm.target_id IS NOT NULL OR rt.target_id IS NOT NULL THEN 'day'
             WHEN pc.target_id IS NOT NULL THEN (
                 SELECT max(p.status_precision) FROM plants AS p
                 WHERE p.target_id = pc.target_id AND p.status_on = pc.reported_as_of
             )
        END AS reported_as_of_precision,
        CASE WHEN sm.target_id IS NOT NULL THEN 'same_metric'
             WHEN rt.target_id IS NOT NULL THEN 'running_total'
             WHEN pc.target_id IS NOT NULL THEN 'plant_capacity'
        END AS basis
    FROM goals AS g
    LEFT JOIN same_metric AS sm ON sm.target_id = g.target_id
    LEFT JOIN running_total AS rt ON rt.target_id = g.target_id
    LEFT JOIN plant_capacity AS pc ON pc.target_id = g.target_id
)
,

results AS (
    SELECT
        c.target_id,
        (SELECT string_agg(s.name, '; ' ORDER BY s.name) FROM setters AS s WHERE s.target_id = c.target_id) AS set_by,
        c.metric_code AS metric,
        concat_ws(' / ', c.scope_country_code, c.scope_sector_code, scope_org.name) AS scope,
        CASE
            WHEN c.qualifier = 'unknown' THEN 'milestone without a figure'
            ELSE bounds_text(c.qualifier, c.value, c.value_min, c.value_min_exclusive, c.value_max, c.value_max_exclusive)
                || ' ' || u.name
        END AS target,
        c.deadline_qualifier || ' ' || c.deadline_year AS deadline,
        c.comparison,
        round(c.reported_min, 9) AS reported_min,
        round(c.reported_max, 9) AS reported_max,
        c.reported_as_of,
        c.reported_as_of_precision,
        round(100 * c.reported_min / c.goal, 6) AS progress_min_pct,
        round(100 * c.reported_max / c.goal, 6) AS progress_max_pct,
        round(c.goal - c.reported_max, 9) AS gap_min,
        round(c.goal - c.reported_min, 9) AS gap_max,
        CASE c.comparator
            WHEN '>=' THEN CASE WHEN c.reported_min >= c.goal THEN true WHEN c.reported_max < c.goal THEN false END
            WHEN '>' THEN CASE WHEN c.reported_min > c.goal THEN true WHEN c.reported_max <= c.goal THEN false END
            WHEN '<=' THEN CASE WHEN c.reported_max <= c.goal THEN true WHEN c.reported_min > c.goal THEN false END
            WHEN '<' THEN CASE WHEN c.reported_max < c.goal THEN true WHEN c.reported_min >= c.goal THEN false END
        END AS verdict,
        c.deadline_year AS deadline_year_number,
        (SELECT string_agg(DISTINCT e.source_id, ', ' ORDER BY e.source_id) FROM evidence AS e
         WHERE e.target_id = c.target_id AND e.basis IN ('target', c.basis)) AS source_ids
    FROM compared AS c
    LEFT JOIN organisations AS scope_org ON scope_org.org_id = c.scope_org_id
    LEFT JOIN units AS u ON u.unit_code = c.unit_code
)

SELECT
    r.target_id,
    r.set_by,
    r.metric,
    r.scope,
    r.target,
    r.deadline,
    r.comparison,
    r.reported_min,
    r.reported_max,
    r.reported_as_of,
    r.reported_as_of_precision,
    r.progress_min_pct,
    r.progress_max_pct,
    r.gap_min,
    r.gap_max,
    CASE WHEN r.verdict OR year(r.reported_as_of) >= r.deadline_year_number THEN r.verdict END AS met,
    r.source_ids
FROM results AS r
ORDER BY r.deadline_year_number NULLS LAST, r.target_id;
