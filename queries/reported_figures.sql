-- title: Reported statistics
-- question: Which statistics have been reported, for what metric, scope and period, how much, reported by whom, and from which source?
-- param metrics VARCHAR[] = NULL: Only these metrics (e.g. ev_sales); NULL for all.
-- column figure_id INTEGER: The figure's id (reported_figures.figure_id).
-- column metric VARCHAR: What was measured (metrics.metric_code).
-- column scope VARCHAR: What it was measured for: country, sector and organisation, joined with ' / '.
-- column period_start DATE: First day of the period the figure covers.
-- column period_end DATE: Last day of the period the figure covers.
-- column value_as_stated VARCHAR: The figure as the source gives it, with its unit.
-- column value_min DOUBLE: The least the figure can be; NULL when it has no lower bound.
-- column value_max DOUBLE: The most the figure can be; NULL when it has no upper bound.
-- column unit_code VARCHAR: The unit of value_min and value_max (units.unit_code).
-- column reported_by VARCHAR: The organisation that reported it, when the source names one.
-- column source_id VARCHAR: The source of the figure (see the provenance query).
-- example: metrics=ev_sales
--
-- One row per reported figure, by metric, then period, then scope. The
-- figures are measurements (sales, output), not aims: targets are in the
-- targets query, and targets_vs_reported sets the two side by side.
SELECT
    rf.figure_id,
    rf.metric_code AS metric,
    concat_ws(' / ', rf.scope_country_code, rf.scope_sector_code, scope_org.name) AS scope,
    rf.period_start,
    rf.period_end,
    bounds_text(rf.qualifier, rf.value, rf.value_min, rf.value_min_exclusive, rf.value_max, rf.value_max_exclusive)
    || ' ' || u.name AS value_as_stated,
    lower_bound(rf.value, rf.value_min) AS value_min,
    upper_bound(rf.value, rf.value_max) AS value_max,
    rf.unit_code,
    reporter.name AS reported_by,
    rf.source_id
FROM reported_figures AS rf
JOIN units AS u ON u.unit_code = rf.unit_code
LEFT JOIN organisations AS scope_org ON scope_org.org_id = rf.scope_org_id
LEFT JOIN organisations AS reporter ON reporter.org_id = rf.reported_by_org_id
WHERE $metrics IS NULL OR list_contains($metrics, rf.metric_code)
ORDER BY rf.metric_code, rf.period_start, rf.period_end, scope, rf.figure_id;
