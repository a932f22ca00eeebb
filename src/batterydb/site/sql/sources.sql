-- Who and what is each source, for its page on the site? One row per
-- source, in id order: its kind, title, publisher (the organisation from
-- source_publishers, or what is known of it), its date to the precision
-- known, the stored copy's file name, and the sources it cites and that
-- cite it, each as a list of (source_id, note) in id order.
SELECT
    s.source_id,
    s.kind,
    s.title,
    sp.org_id AS publisher_org_id,
    p.name AS publisher,
    s.publisher_note,
    date_text(s.published_on, s.published_precision) AS published,
    s.published_precision,
    s.file_name,
    s.note,
    coalesce((
        SELECT list({'source_id': c.cited_source_id, 'note': c.note} ORDER BY c.cited_source_id)
        FROM main.source_citations AS c
        WHERE c.citing_source_id = s.source_id
    ), []) AS cites,
    coalesce((
        SELECT list({'source_id': c.citing_source_id, 'note': c.note} ORDER BY c.citing_source_id)
        FROM main.source_citations AS c
        WHERE c.cited_source_id = s.source_id
    ), []) AS cited_by

FROM main.sources AS s
LEFT JOIN main.source_publishers AS sp ON sp.source_id = s.source_id
LEFT JOIN main.organisations AS p ON p.org_id = sp.org_id
ORDER BY s.source_id
