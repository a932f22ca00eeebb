-- title: Targets and who set them
-- question: Which targets have governments and companies set, for what scope, how much and by when?
-- column target_id INTEGER: The target's id (see the provenance query with table_name=targets).
-- column set_by VARCHAR: The bodies that set it, by name, separated by '; '.
-- column metric VARCHAR: What is measured (metrics.metric_code).
-- column scope VARCHAR: The country, sector and organisation it covers, those that apply, joined with ' / '.
-- column target VARCHAR: The figure as the source states it, with its unit, e.g. over 100 GWh per year; or
--   milestone without a figure.
-- column target_min DOUBLE: The least the figure can be, in unit_code; NULL when it has no lower bound or no
--   figure.
-- column target_max DOUBLE: The most the figure can be, in unit_code; NULL when it has no upper bound or no
--   figure.
-- column unit_code VARCHAR: The unit of the figure; NULL for a milestone without one.
-- column deadline VARCHAR: When it is to be met, as the source puts it, e.g. by 2020, before 2018; NULL when
--   no year is given.
-- column deadline_year INTEGER: The year in deadline.
-- column source_ids VARCHAR: The sources of the target and of who set it (its target_setters rows, or the
--   document_issuers rows of its policy document), distinct, sorted and joined with ', '.
--
-- A target in a policy document is credited to the bodies that issued the
-- document; any other target to the bodies in target_setters. The figure is
-- shown as the source states it and as bounds (whether a bound is itself
-- excluded, "over", "under", shows in target only). Rows come by deadline,
-- those without one last.
WITH setters AS (
    SELECT
        ts.target_id,
        ts.name,
        ts.source_id
    FROM target_setters_named() AS ts
),

target_sources AS (
    SELECT
        t.target_id,
        t.source_id
    FROM targets AS t
    UNION
    SELECT
        s.target_id,
        s.source_id
    FROM setters AS s
)

SELECT
    t.target_id,
    (SELECT string_agg(s.name, '; ' ORDER BY s.name) FROM setters AS s WHERE s.target_id = t.target_id) AS set_by,
    t.metric_code AS metric,
    concat_ws(' / ', t.scope_country_code, t.scope_sector_code, scope_org.name) AS scope,
    CASE
        WHEN t.qualifier = 'unknown' THEN 'milestone without a figure'
        ELSE bounds_text(t.qualifier, t.value, t.value_min, t.value_min_exclusive, t.value_max, t.value_max_exclusive)
            || ' ' || u.name
    END AS target,
    lower_bound(t.value, t.value_min) AS target_min,
    upper_bound(t.value, t.value_max) AS target_max,
    t.unit_code,
    t.deadline_qualifier || ' ' || t.deadline_year AS deadline,
    t.deadline_year,
    (SELECT string_agg(ts.source_id, ', ' ORDER BY ts.source_id) FROM target_sources AS ts
     WHERE ts.target_id = t.target_id) AS source_ids
FROM targets AS t
LEFT JOIN organisations AS scope_org ON scope_org.org_id = t.scope_org_id
LEFT JOIN units AS u ON u.unit_code = t.unit_code
ORDER BY t.deadline_year NULLS LAST, t.target_id;
