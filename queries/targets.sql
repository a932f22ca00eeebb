-- title: Targets and who set them
-- question: Which targets have governments and companies set, for what scope, how much and by when?
--
-- A target in a policy document is credited to the bodies that issued the
-- document; any other target to the bodies in target_setters.
WITH setters AS (
    SELECT t.target_id, o.name
    FROM targets AS t
    JOIN document_issuers AS di ON di.document_id = t.document_id
    JOIN organisations AS o ON o.org_id = di.org_id
    UNION ALL
    SELECT ts.target_id, o.name
    FROM target_setters AS ts
    JOIN organisations AS o ON o.org_id = ts.org_id
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
    t.deadline_qualifier || ' ' || t.deadline_year AS deadline
FROM targets AS t
LEFT JOIN organisations AS scope_org ON scope_org.org_id = t.scope_org_id
LEFT JOIN units AS u ON u.unit_code = t.unit_code
ORDER BY t.deadline_year NULLS LAST, t.target_id;
