-- Which sources are these, in words? One row per source id given, in id
-- order: its publisher (source_publishers), else its title, else its kind;
-- its date to the precision known; and, for an undated source, the
-- articles that cite it.
SELECT
    s.source_id,
    concat_ws(', ',
        coalesce(p.name, s.title, replace(s.kind, '_', ' ')),
        CASE s.published_precision
            WHEN 'day' THEN strftime(s.published_on, '%Y-%m-%d')
            WHEN 'month' THEN strftime(s.published_on, '%Y-%m')
            WHEN 'year' THEN strftime(s.published_on, '%Y')
        END,
        CASE WHEN s.published_on IS NULL THEN (
            SELECT 'cited by ' || string_agg(c.citing_source_id, ' and ' ORDER BY c.citing_source_id)
            FROM source_citations AS c
            WHERE c.cited_source_id = s.source_id
        ) END
    ) AS label
FROM sources AS s
LEFT JOIN source_publishers AS sp ON sp.source_id = s.source_id
LEFT JOIN organisations AS p ON p.org_id = sp.org_id
WHERE s.source_id IN (SELECT unnest($source_ids))
ORDER BY s.source_id;
