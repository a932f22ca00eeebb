-- title: Capacity history of a plant or an organisation
-- question: How has a plant's or an organisation's production capacity changed over time, from its first figure to the latest one planned?
-- param subject PLANT_OR_ORGANISATION (required): A facility id or name, or an organisation id, name or alias (its own figures and those of the plants it runs).
-- column subject VARCHAR: The plant or organisation asked about.
-- column facility VARCHAR: The plant the figure is for; NULL for a figure of the organisation itself.
-- column year INTEGER: The year the figure applies to.
-- column year_qualifier VARCHAR: How the year applies: in, from (that year on), by (no later than) or not_before.
-- column basis VARCHAR: Whether the figure is actual, planned or targeted capacity.
-- column capacity_as_stated VARCHAR: The figure as the source gives it, with its unit.
-- column unit_code VARCHAR: The unit of the figure.
-- column gwh_min DOUBLE: The least the figure can be in GWh per year; NULL when the unit does not convert or there is no lower bound.
-- column gwh_max DOUBLE: The most the figure can be in GWh per year; NULL when the unit does not convert or there is no upper bound.
-- column change_from_previous DOUBLE: The ratio to the previous figure of the same plant or organisation in the same unit, when both are single figures.
-- column source_id VARCHAR: The source of the figure (see the provenance query).
-- example: subject=AESC
--
-- One row per capacity figure, oldest first. change_from_previous is the
-- ratio to the previous figure of the same plant (or organisation) in the
-- same unit, worked out only when both are single figures (exact or
-- "about"); bounds and ranges leave it NULL rather than guess.
WITH facility_match AS (
    SELECT
        f.facility_id,
        f.name AS facility,
        f.name AS subject
    FROM facilities AS f
    WHERE f.facility_id = $subject
),

org_match AS (
    SELECT
        o.org_id,
        o.name AS subject
    FROM organisations AS o
    WHERE o.org_id = $subject
),

figures AS (
    SELECT
        fm.subject,
        fm.facility,
        c.*
    FROM facility_match AS fm
    JOIN capacities AS c ON c.facility_id = fm.facility_id
    UNION ALL
    SELECT
        om.subject,
        NULL AS facility,
        c.*
    FROM org_match AS om
    JOIN capacities AS c ON c.org_id = om.org_id
    UNION ALL
    SELECT
        om.subject,
        f.name AS facility,
        c.*
    FROM org_match AS om
    JOIN facilities AS f ON f.operator_org_id = om.org_id
    JOIN capacities AS c ON c.facility_id = f.facility_id
)

SELECT
    fg.subject,
    fg.facility,
    fg.year,
    fg.year_qualifier,
    fg.basis,
    bounds_text(fg.qualifier, fg.value, fg.value_min, fg.value_min_exclusive, fg.value_max, fg.value_max_exclusive)
    || ' ' || u.name AS capacity_as_stated,
    fg.unit_code,
    lower_bound(fg.value, fg.value_min) * uc.factor AS gwh_min,
    upper_bound(fg.value, fg.value_max) * uc.factor AS gwh_max,
    round(fg.value / lag(fg.value) OVER (
        PARTITION BY fg.subject, fg.facility, fg.unit_code ORDER BY fg.year, fg.capacity_id
    ), 6) AS change_from_previous,
    fg.source_id
FROM figures AS fg
JOIN units AS u ON u.unit_code = fg.unit_code
LEFT JOIN unit_conversions AS uc ON uc.unit_code = fg.unit_code AND uc.canonical_unit_code = 'gwh_per_year'
ORDER BY fg.subject, fg.facility NULLS FIRST, fg.unit_code, fg.year, fg.capacity_id;
