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
    SELECT
        ts.target_id,
        ts.name,
        ts.source_id
    FROM target_setters_named() AS ts
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

-- the reported figures and the deadlines on one timeline per metric, unit and
-- scope: a target's deadline comes after the figures ending that day, and on
-- one day the figure with the least id comes last; a cumulative target sits
-- on the timeline of the metric it adds up
timeline AS (
    SELECT
        r.metric_code,
        r.unit_code,
        r.scope_country_code,
        r.scope_sector_code,
        r.scope_org_id,
        r.period_end AS on_day,
        0 AS is_deadline,
        r.figure_id,
        NULL AS target_id,
        NULL AS basis,
        lower_bound(r.value, r.value_min) AS reported_min,
        upper_bound(r.value, r.value_max) AS reported_max,
        r.source_id
    FROM reported_figures AS r
    UNION ALL
    SELECT
        g.metric_code,
        g.unit_code,
        g.scope_country_code,
        g.scope_sector_code,
        g.scope_org_id,
        g.deadline_end,
        1,
        NULL,
        g.target_id,
        'same_metric',
        NULL,
        NULL,
        NULL
    FROM goals AS g
    UNION ALL
    SELECT
        g.running_total_of,
        g.unit_code,
        g.scope_country_code,
        g.scope_sector_code,
        g.scope_org_id,
        g.deadline_end,
        1,
        NULL,
        g.target_id,
        'running_total',
        NULL,
        NULL,
        NULL
    FROM goals AS g
    WHERE g.running_total_of IS NOT NULL
),

-- a number per timeline, so that later joins need no NULL-safe comparison of scopes
numbered AS (
    SELECT
        tl.*,
        dense_rank() OVER (
            ORDER BY tl.metric_code, tl.unit_code, tl.scope_country_code, tl.scope_sector_code, tl.scope_org_id
        ) AS timeline_id
    FROM timeline AS tl
),

-- at each row, how many figures came up to it and their sum (no two figures
-- tie in the order, and deadlines that tie add nothing)
counted AS (
    SELECT
        n.*,
        count(n.figure_id) OVER (PARTITION BY n.timeline_id ORDER BY n.on_day, n.is_deadline, n.figure_id DESC)
            AS figures_before,
        sum(n.reported_min) OVER (PARTITION BY n.timeline_id ORDER BY n.on_day, n.is_deadline, n.figure_id DESC)
            AS running_min
    FROM numbered AS n
),

-- each deadline with the last figure before it: the figures counted so far
-- are the same from that figure on, and it comes first
reached AS (
    SELECT
        c.target_id,
        c.basis,
        c.timeline_id,
        c.on_day AS deadline_end,
        c.figures_before,
        c.running_min,
        first_value(c.on_day) OVER (PARTITION BY c.timeline_id, c.figures_before ORDER BY c.is_deadline)
            AS reported_as_of,
        first_value(c.reported_min) OVER (PARTITION BY c.timeline_id, c.figures_before ORDER BY c.is_deadline)
            AS reported_min,
        first_value(c.reported_max) OVER (PARTITION BY c.timeline_id, c.figures_before ORDER BY c.is_deadline)
            AS reported_max,
        first_value(c.source_id) OVER (PARTITION BY c.timeline_id, c.figures_before ORDER BY c.is_deadline)
            AS source_id
    FROM counted AS c
),

same_metric AS (
    SELECT
        r.target_id,
        'latest reported figure for the same metric and scope' AS comparison,
        r.reported_min,
        r.reported_max,
        r.reported_as_of,
        r.source_id
    FROM reached AS r
    WHERE r.basis = 'same_metric' AND r.figures_before > 0
),

running_total AS (
    SELECT
        r.target_id,
        r.timeline_id,
        r.deadline_end,
        'sum of ' || r.figures_before || ' reported ' || g.running_total_of
        || ' period(s); a lower bound, as periods not reported are missing' AS comparison,
        r.running_min AS reported_min,
        CAST(NULL AS DOUBLE) AS reported_max,
        r.reported_as_of
    FROM reached AS r
    JOIN goals AS g ON g.target_id = r.target_id
    WHERE r.basis = 'running_total' AND r.figures_before > 0
),

-- the sources of a timeline's figures, each with the first day it reaches
figure_sources AS (
    SELECT
        c.timeline_id,
        c.source_id,
        min(c.on_day) AS first_day
    FROM counted AS c
    WHERE c.is_deadline = 0
    GROUP BY c.timeline_id, c.source_id
),

-- the countries and deadlines that plants are counted for: those of the
-- production capacity targets on a country whose figures give no least value
-- (compared then takes the plants' least value)
plant_deadlines AS (
    SELECT DISTINCT
        g.scope_country_code,
        g.deadline_end
    FROM goals AS g
    LEFT JOIN same_metric AS sm ON sm.target_id = g.target_id
    LEFT JOIN running_total AS rt ON rt.target_id = g.target_id
    WHERE g.metric_code = 'annual_production_capacity'
      AND g.unit_code = 'gwh_per_year'
      AND g.scope_org_id IS NULL
      AND g.scope_country_code IS NOT NULL
      AND coalesce(sm.reported_min, rt.reported_min) IS NULL
),

plants AS (
    SELECT
        pd.scope_country_code,
        pd.deadline_end,
        fs.facility_id,
        fs.has_gwh,
        fs.gwh_low,
        fs.gwh_high,
        fs.status_on,
        fs.status_precision,
        fs.status_source_id
    FROM plant_deadlines AS pd
    JOIN facility_snapshot(NULL) AS fs
        ON fs.country_code = pd.scope_country_code
        AND fs.status IN ('announced', 'planned', 'under_construction', 'operating')
        AND fs.status_on <= pd.deadline_end
),

plant_capacity AS (
    SELECT
        p.scope_country_code,
        p.deadline_end,
        'capacity of ' || count(*) || ' plant(s) in ' || p.scope_country_code || ' reported up to '
        || year(p.deadline_end) || ' (' || count(*) FILTER (WHERE NOT p.has_gwh)
        || ' without a GWh figure)' AS comparison,
        coalesce(exact_sum(p.gwh_low), 0) AS reported_min,
        CASE WHEN bool_and(p.has_gwh AND p.gwh_high IS NOT NULL) THEN exact_sum(p.gwh_high) END AS reported_max,
        max(p.status_on) AS reported_as_of
    FROM plants AS p
    GROUP BY p.scope_country_code, p.deadline_end
),

-- the precision of the latest status date: the coarsest among the plants on it
plant_precision AS (
    SELECT
        pc.scope_country_code,
        pc.deadline_end,
        max(p.status_precision) AS reported_as_of_precision
    FROM plant_capacity AS pc
    JOIN plants AS p
        ON p.scope_country_code = pc.scope_country_code
        AND p.deadline_end = pc.deadline_end
        AND p.status_on = pc.reported_as_of
    GROUP BY pc.scope_country_code, pc.deadline_end
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
             ELSE pp.reported_as_of_precision
        END AS reported_as_of_precision,
        CASE WHEN sm.target_id IS NOT NULL THEN 'same_metric'
             WHEN rt.target_id IS NOT NULL THEN 'running_total'
             WHEN pc.comparison IS NOT NULL THEN 'plant_capacity'
        END AS basis,
        CASE WHEN sm.target_id IS NOT NULL THEN NULL
             WHEN rt.target_id IS NOT NULL THEN CAST(rt.timeline_id AS VARCHAR)
             WHEN pc.comparison IS NOT NULL THEN g.scope_country_code
        END AS cited_list
    FROM goals AS g
    LEFT JOIN same_metric AS sm ON sm.target_id = g.target_id
    LEFT JOIN running_total AS rt ON rt.target_id = g.target_id
    LEFT JOIN plant_capacity AS pc
        ON g.metric_code = 'annual_production_capacity'
        AND g.unit_code = 'gwh_per_year'
        AND g.scope_org_id IS NULL
        AND pc.scope_country_code = g.scope_country_code
        AND pc.deadline_end = g.deadline_end
    LEFT JOIN plant_precision AS pp
        ON pp.scope_country_code = pc.scope_country_code AND pp.deadline_end = pc.deadline_end
),

-- the lists of sources that targets cite whole, each once: the figures summed
-- up to a deadline on a timeline, or the plants counted in a country up to one
cited_lists AS (
    SELECT
        l.*,
        row_number() OVER (ORDER BY l.basis, l.cited_list, l.deadline_end) AS list_id
    FROM (
        SELECT DISTINCT
            c.basis,
            c.cited_list,
            c.deadline_end
        FROM compared AS c
        WHERE c.cited_list IS NOT NULL
    ) AS l
),

cited_plants AS (
    SELECT
        cl.list_id,
        p.facility_id,
        p.status_source_id
    FROM cited_lists AS cl
    JOIN plants AS p ON p.scope_country_code = cl.cited_list AND p.deadline_end = cl.deadline_end
    WHERE cl.basis = 'plant_capacity'
),

-- the figures facility_snapshot(NULL) reads of the plants cited: each
-- facility's latest per unit
latest_capacity_sources AS (
    SELECT
        figures.facility_id,
        figures.source_id
    FROM (
        SELECT
            c.facility_id,
            c.source_id,
            c.year,
            max(c.year) OVER (PARTITION BY c.facility_id, c.unit_code) AS latest
        FROM capacities AS c
        WHERE c.facility_id IN (SELECT cp.facility_id FROM cited_plants AS cp)
    ) AS figures
    WHERE figures.year = figures.latest
),

-- the sources in each list: of every figure summed, or of each plant's
-- latest status, its facility row and its latest capacity figures
listed_sources AS (
    SELECT
        cl.list_id,
        fs.source_id
    FROM cited_lists AS cl
    JOIN figure_sources AS fs ON CAST(fs.timeline_id AS VARCHAR) = cl.cited_list AND fs.first_day <= cl.deadline_end
    WHERE cl.basis = 'running_total'
    UNION ALL
    SELECT DISTINCT
        plant_source.list_id,
        plant_source.source_id
    FROM (
        SELECT
            cp.list_id,
            cp.status_source_id AS source_id
        FROM cited_plants AS cp
        UNION ALL
        SELECT
            cp.list_id,
            f.source_id
        FROM cited_plants AS cp JOIN facilities AS f ON f.facility_id = cp.facility_id
        UNION ALL
        SELECT
            cp.list_id,
            lc.source_id
        FROM cited_plants AS cp JOIN latest_capacity_sources AS lc ON lc.facility_id = cp.facility_id
    ) AS plant_source
),

-- a target's own sources: its row's, its setters' and the figure compared with it
own_sources AS (
    SELECT
        g.target_id,
        g.source_id
    FROM goals AS g
    UNION
    SELECT
        s.target_id,
        s.source_id
    FROM setters AS s
    UNION
    SELECT
        sm.target_id,
        sm.source_id
    FROM same_metric AS sm
),

-- every source's place in the order of source ids, so that the text below
-- is put together in that order by sorting on numbers
source_order AS (
    SELECT
        s.source_id,
        row_number() OVER (ORDER BY s.source_id) AS source_rank
    FROM sources AS s
),

-- each list is cut into segments at its start and before the own sources of
-- the targets that cite it, so that a target's sources are the segments with
-- its own put between; the segments are numbered through all lists, and a
-- listed source is in that of the last cut at or before it; a cut is
-- listed too when the next row is the same source
segmented AS (
    SELECT
        x.list_id,
        x.source_id,
        x.source_rank,
        x.cut,
        count(x.cut) OVER (ORDER BY x.list_id, x.source_rank, x.is_listed) AS segment,
        lead(x.source_rank) OVER (ORDER BY x.list_id, x.source_rank, x.is_listed) = x.source_rank AS listed_too
    FROM (
        SELECT
            cl.list_id,
            NULL AS source_id,
            0 AS source_rank,
            0 AS cut,
            0 AS is_listed
        FROM cited_lists AS cl
        UNION ALL
        SELECT DISTINCT
            cl.list_id,
            os.source_id,
            so.source_rank,
            1,
            0
        FROM compared AS c
        JOIN cited_lists AS cl
            ON cl.basis = c.basis AND cl.cited_list = c.cited_list AND cl.deadline_end = c.deadline_end
        JOIN own_sources AS os ON os.target_id = c.target_id
        JOIN source_order AS so ON so.source_id = os.source_id
        UNION ALL
        SELECT
            ls.list_id,
            ls.source_id,
            so.source_rank,
            NULL,
            1
        FROM listed_sources AS ls
        JOIN source_order AS so ON so.source_id = ls.source_id
    ) AS x
),

segments AS (
    SELECT
        sg.list_id,
        sg.segment,
        string_agg(sg.source_id, ', ' ORDER BY sg.source_rank) AS listed
    FROM segmented AS sg
    WHERE sg.cut IS NULL
    GROUP BY sg.list_id, sg.segment
),

-- a target's sources in pieces, placed in order: for a target citing a list,
-- each segment, after the cut it starts at when that is the target's own
-- source and not listed; for another target, each own source
pieces AS (
    SELECT
        c.target_id,
        2 * sg.segment AS place,
        os.source_id AS piece
    FROM compared AS c
    JOIN cited_lists AS cl
        ON cl.basis = c.basis AND cl.cited_list = c.cited_list AND cl.deadline_end = c.deadline_end
    JOIN segmented AS sg ON sg.list_id = cl.list_id AND sg.cut = 1 AND NOT coalesce(sg.listed_too, false)
    JOIN own_sources AS os ON os.target_id = c.target_id AND os.source_id = sg.source_id
    UNION ALL
    SELECT
        c.target_id,
        2 * seg.segment + 1,
        seg.listed
    FROM compared AS c
    JOIN cited_lists AS cl
        ON cl.basis = c.basis AND cl.cited_list = c.cited_list AND cl.deadline_end = c.deadline_end
    JOIN segments AS seg ON seg.list_id = cl.list_id
    UNION ALL
    SELECT
        c.target_id,
        so.source_rank,
        os.source_id
    FROM compared AS c
    JOIN own_sources AS os ON os.target_id = c.target_id
    JOIN source_order AS so ON so.source_id = os.source_id
    WHERE c.cited_list IS NULL
),

cited AS (
    SELECT
        p.target_id,
        string_agg(p.piece, ', ' ORDER BY p.place) AS source_ids
    FROM pieces AS p
    GROUP BY p.target_id
),

set_by AS (
    SELECT
        s.target_id,
        string_agg(s.name, '; ' ORDER BY s.name) AS names
    FROM setters AS s
    GROUP BY s.target_id
),

results AS (
    SELECT
        c.target_id,
        sb.names AS set_by,
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
        ci.source_ids
    FROM compared AS c
    LEFT JOIN set_by AS sb ON sb.target_id = c.target_id
    LEFT JOIN cited AS ci ON ci.target_id = c.target_id
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
