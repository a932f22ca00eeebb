-- How has each plant's and each organisation's capacity changed over the
-- years, unit by unit, for its small chart on the site? One row per chart:
-- a plant or an organisation and the unit its figures are drawn in, with
-- its figures as a list, oldest first. An organisation's chart holds its
-- own figures and those of the plants it runs, as capacity_history gives
-- them (each figure_of the one it belongs to). A figure is drawn in its
-- unit's canonical unit where unit_conversions has one (MWh per year as
-- GWh per year), else in the unit the source uses, so that battery units
-- and vehicle sets never share an axis with GWh. Each figure is its
-- bounds: low and high in the chart's unit, NULL where the figure has no
-- such bound ("up to 400" has no low, "unknown" neither), never zero, and
-- whether each is excluded; series lists the figure_of and basis pairs
-- among them, in order (each drawn in a colour of its own). Of each kind (plant,
-- organisation) come the $charts charts with the most figures (then by
-- name, id and unit), with how many charts the kind has in all.
WITH subjects AS (
    SELECT
        c.capacity_id,
        'plant' AS subject_kind,
        f.facility_id AS subject_id,
        f.name AS subject,
        f.name AS figure_of
    FROM main.capacities AS c
    JOIN main.facilities AS f ON f.facility_id = c.facility_id
    UNION ALL
    SELECT
        c.capacity_id,
        'organisation' AS subject_kind,
        o.org_id AS subject_id,
        o.name AS subject,
        o.name AS figure_of
    FROM main.capacities AS c
    JOIN main.organisations AS o ON o.org_id = c.org_id
    UNION ALL
    SELECT
        c.capacity_id,
        'organisation' AS subject_kind,
        o.org_id AS subject_id,
        o.name AS subject,
        f.name AS figure_of
    FROM main.capacities AS c
    JOIN main.facilities AS f ON f.facility_id = c.facility_id
    JOIN main.organisations AS o ON o.org_id = f.operator_org_id
),

figures AS (
    SELECT
        sb.subject_kind,
        sb.subject_id,
        sb.subject,
        sb.figure_of,
        c.capacity_id,
        c.basis,
        c.qualifier,
        c.value,
        c.value_min,
        c.value_min_exclusive,
        c.value_max,
        c.value_max_exclusive,
        c.unit_code,
        c.year,
        c.year_qualifier,
        c.source_id
    FROM subjects AS sb
    JOIN main.capacities AS c ON c.capacity_id = sb.capacity_id
),

drawn AS (
    SELECT
        fg.subject_kind,
        fg.subject_id,
        fg.subject,
        fg.figure_of,
        fg.capacity_id,
        coalesce(uc.canonical_unit_code, fg.unit_code) AS chart_unit_code,
        fg.unit_code AS stated_unit_code,
        fg.year,
        fg.year_qualifier,
        fg.basis,
        fg.qualifier,
        lower_bound(fg.value, fg.value_min) * coalesce(uc.factor, 1) AS low,
        upper_bound(fg.value, fg.value_max) * coalesce(uc.factor, 1) AS high,
        fg.value_min_exclusive AS low_exclusive,
        fg.value_max_exclusive AS high_exclusive,
        bounds_text(
            fg.qualifier, fg.value, fg.value_min, fg.value_min_exclusive, fg.value_max, fg.value_max_exclusive
        ) || ' ' || u.name AS as_stated,
        fg.source_id
    FROM figures AS fg
    JOIN main.units AS u ON u.unit_code = fg.unit_code
    LEFT JOIN main.unit_conversions AS uc ON uc.unit_code = fg.unit_code
),

charts AS (
    SELECT
        d.subject_kind,
        d.subject_id,
        d.subject,
        d.chart_unit_code,
        count(*) AS figures,
        count(*) OVER (PARTITION BY d.subject_kind) AS charts_of_kind
    FROM drawn AS d
    GROUP BY d.subject_kind, d.subject_id, d.subject, d.chart_unit_code
    QUALIFY row_number() OVER (
        PARTITION BY d.subject_kind ORDER BY count(*) DESC, d.subject, d.subject_id, d.chart_unit_code
    ) <= $charts
)

SELECT
    ch.subject_kind,
    ch.subject_id,
    ch.subject,
    ch.chart_unit_code AS unit_code,
    u.name AS unit,
    ch.figures,
    ch.charts_of_kind,
    list(DISTINCT d.figure_of || ', ' || d.basis ORDER BY d.figure_of || ', ' || d.basis) AS series,
    list({
        'year': d.year,
        'year_qualifier': d.year_qualifier,
        'basis': d.basis,
        'figure_of': d.figure_of,
        'series': d.figure_of || ', ' || d.basis,
        'qualifier': d.qualifier,
        'low': d.low,
        'high': d.high,
        'low_exclusive': d.low_exclusive,
        'high_exclusive': d.high_exclusive,
        'approximate': d.qualifier = 'about',
        'unit_code': d.chart_unit_code,
        'stated_unit_code': d.stated_unit_code,
        'as_stated': d.as_stated,
        'label': CASE WHEN d.figure_of <> ch.subject THEN d.figure_of || ', ' ELSE '' END
            || replace(d.year_qualifier, '_', ' ') || ' ' || CAST(d.year AS VARCHAR) || ': '
            || d.as_stated || ' (' || d.basis || ')',
        'sources': [d.source_id],
        'capacity_id': d.capacity_id
    } ORDER BY d.year, d.figure_of, d.capacity_id) AS points
FROM charts AS ch
JOIN drawn AS d
    ON d.subject_kind = ch.subject_kind AND d.subject_id = ch.subject_id AND d.chart_unit_code = ch.chart_unit_code
JOIN main.units AS u ON u.unit_code = ch.chart_unit_code
GROUP BY ch.subject_kind, ch.subject_id, ch.subject, ch.chart_unit_code, u.name, ch.figures, ch.charts_of_kind
ORDER BY ch.subject_kind DESC, ch.figures DESC, ch.subject, ch.subject_id, ch.chart_unit_code
