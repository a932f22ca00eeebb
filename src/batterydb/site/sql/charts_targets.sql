-- How does each target with a figure stand against the reported figures
-- for its metric and scope, for its chart on the site? One row per target
-- with a figure (a milestone has nothing to draw), with two points in the
-- target's unit: the target's bounds, as the targets query gives them
-- (with whether each is excluded, from the targets table), and the bounds
-- of the figure targets_vs_reported compares it with, NULL on both sides
-- when the database holds none (drawn as unknown, never as zero). Those
-- with a reported figure come first, then by deadline and id, at most
-- $charts of them, with how many targets there are, and how many have a
-- figure.
WITH counted AS (
    SELECT
        count(*) AS targets,
        count(t.unit_code) AS with_figure
    FROM analytics.targets() AS t
),

charted AS (
    SELECT
        t.target_id,
        t.set_by,
        t.metric,
        t.scope,
        t.target,
        t.target_min,
        t.target_max,
        t.unit_code,
        t.deadline,
        t.deadline_year,
        t.source_ids,
        tt.qualifier,
        tt.value_min_exclusive,
        tt.value_max_exclusive,
        r.comparison,
        r.reported_min,
        r.reported_max,
        r.reported_as_of,
        date_text(r.reported_as_of, r.reported_as_of_precision) AS reported_as_of_text,
        r.met,
        r.source_ids AS compared_source_ids
    FROM analytics.targets() AS t
    JOIN main.targets AS tt ON tt.target_id = t.target_id
    JOIN analytics.targets_vs_reported() AS r ON r.target_id = t.target_id
    WHERE t.unit_code IS NOT NULL
    QUALIFY row_number() OVER (
        ORDER BY r.reported_min IS NULL AND r.reported_max IS NULL, t.deadline_year NULLS LAST, t.target_id
    ) <= $charts
)

SELECT
    ch.target_id,
    ch.set_by,
    ch.metric,
    ch.scope,
    ch.deadline,
    ch.comparison,
    ch.met,
    ch.unit_code,
    u.name AS unit,
    co.targets,
    co.with_figure,
    [
        {
            'what': 'target' || coalesce(', ' || ch.deadline, ', no deadline'),
            'low': ch.target_min,
            'high': ch.target_max,
            'low_exclusive': ch.value_min_exclusive,
            'high_exclusive': ch.value_max_exclusive,
            'approximate': ch.qualifier = 'about',
            'unit_code': ch.unit_code,
            'as_stated': ch.target,
            'label': 'Target' || coalesce(', ' || ch.deadline, '') || ': ' || ch.target || ' (set by '
                || coalesce(ch.set_by, 'no one named') || ')',
            'sources': string_split(ch.source_ids, ', ')
        },
        {
            'what': 'reported' || coalesce(', as of ' || ch.reported_as_of_text, ''),
            'low': ch.reported_min,
            'high': ch.reported_max,
            'low_exclusive': false,
            'high_exclusive': false,
            'approximate': false,
            'unit_code': ch.unit_code,
            'as_stated': ch.comparison,
            'label': 'Reported' || coalesce(', as of ' || ch.reported_as_of_text, '') || ': '
                || CASE
                    WHEN ch.reported_min IS NULL AND ch.reported_max IS NULL THEN ch.comparison
                    ELSE CASE
                        WHEN ch.reported_max IS NULL THEN 'at least ' || CAST(ch.reported_min AS VARCHAR)
                        WHEN ch.reported_min IS NULL THEN 'at most ' || CAST(ch.reported_max AS VARCHAR)
                        WHEN ch.reported_min = ch.reported_max THEN CAST(ch.reported_min AS VARCHAR)
                        ELSE CAST(ch.reported_min AS VARCHAR) || ' to ' || CAST(ch.reported_max AS VARCHAR)
                    END || ' ' || u.name || ' (' || ch.comparison || ')'
                END,
            'sources': string_split(ch.compared_source_ids, ', ')
        }
    ] AS points
FROM charted AS ch
CROSS JOIN counted AS co
JOIN main.units AS u ON u.unit_code = ch.unit_code
ORDER BY ch.reported_min IS NULL AND ch.reported_max IS NULL, ch.deadline_year NULLS LAST, ch.target_id
