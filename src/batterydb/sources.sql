-- Which sources are these, in words? One row per source id given, in id
-- order: its publisher (source_publishers), else its title, else its kind;
-- its date to the precision known; and, for an undated source, the
-- articles that cite it.
SELECT
    s.source_id,
    concat_ws(', ',
        coalesce(p.name, s.title, replace(s.kind, '_', ' ')),
        date_text(s.published_on, s.published_precision),
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
