-- Every fact row as (table_name, row_id, source_id), for provenance. It comes
-- after the tables it reads, fx_rates among them. Table
-- names cannot be parameters, so this is one UNION ALL over every table that
-- has a source_id, plus sources (a source stands for itself),
-- source_publishers (the source it describes) and source_citations (the
-- citing source); reference tables cite nothing and are not in it. row_id is
-- the primary key as text (dates as YYYY-MM-DD), a composite key joined with
-- '/' in the order the key is declared. key_number is the first key column
-- where that is an integer (NULL elsewhere): a lookup that also compares it
-- reads one row of the table by its key, where row_id, being text, would
-- make it read them all. A table added to the schema with a source_id
-- belongs here too (a test checks).
CREATE MACRO row_sources() AS TABLE
    SELECT 'sources' AS table_name, s.source_id AS row_id, s.source_id, CAST(NULL AS INTEGER) AS key_number
    FROM sources AS s
    UNION ALL
    SELECT 'source_publishers', sp.source_id, sp.source_id, NULL FROM source_publishers AS sp
    UNION ALL
    SELECT 'source_citations', sc.citing_source_id || '/' || sc.cited_source_id, sc.citing_source_id, NULL
    FROM source_citations AS sc
    UNION ALL
    SELECT 'organisations', o.org_id, o.source_id, NULL FROM organisations AS o
    UNION ALL
    SELECT 'organisation_aliases', oa.org_id || '/' || oa.alias, oa.source_id, NULL FROM organisation_aliases AS oa
    UNION ALL
    SELECT 'organisation_identifiers', oi.org_id || '/' || oi.scheme || '/' || oi.identifier, oi.source_id, NULL
    FROM organisation_identifiers AS oi
    UNION ALL
    SELECT 'organisation_sectors', os.org_id || '/' || os.sector_code || '/' || os.role, os.source_id, NULL
    FROM organisation_sectors AS os
    UNION ALL
    SELECT 'people', pe.person_id, pe.source_id, NULL FROM people AS pe
    UNION ALL
    SELECT 'person_roles', pr.person_id || '/' || pr.org_id || '/' || pr.title, pr.source_id, NULL
    FROM person_roles AS pr
    UNION ALL
    SELECT 'documents', d.document_id, d.source_id, NULL FROM documents AS d
    UNION ALL
    SELECT 'document_issuers', di.document_id || '/' || di.org_id, di.source_id, NULL FROM document_issuers AS di
    UNION ALL
    SELECT 'document_relations', dr.document_id || '/' || dr.related_document_id, dr.source_id, NULL
    FROM document_relations AS dr
    UNION ALL
    SELECT 'ownership_stakes', CAST(os.stake_id AS VARCHAR), os.source_id, os.stake_id FROM ownership_stakes AS os
    UNION ALL
    SELECT 'facilities', f.facility_id, f.source_id, NULL FROM facilities AS f
    UNION ALL
    SELECT 'facility_status_history', h.facility_id || '/' || h.status || '/' || CAST(h.status_on AS VARCHAR),
           h.source_id, NULL
    FROM facility_status_history AS h
    UNION ALL
    SELECT 'capacities', CAST(c.capacity_id AS VARCHAR), c.source_id, c.capacity_id FROM capacities AS c
    UNION ALL
    SELECT 'targets', CAST(t.target_id AS VARCHAR), t.source_id, t.target_id FROM targets AS t
    UNION ALL
    SELECT 'target_setters', CAST(ts.target_id AS VARCHAR) || '/' || ts.org_id, ts.source_id, ts.target_id
    FROM target_setters AS ts
    UNION ALL
    SELECT 'reported_figures', CAST(rf.figure_id AS VARCHAR), rf.source_id, rf.figure_id FROM reported_figures AS rf
    UNION ALL
    SELECT 'investments', CAST(i.investment_id AS VARCHAR), i.source_id, i.investment_id FROM investments AS i
    UNION ALL
    SELECT 'investment_investors', CAST(ii.investment_id AS VARCHAR) || '/' || ii.org_id, ii.source_id, ii.investment_id
    FROM investment_investors AS ii
    UNION ALL
    SELECT 'agreements', CAST(a.agreement_id AS VARCHAR), a.source_id, a.agreement_id FROM agreements AS a
    UNION ALL
    SELECT 'agreement_parties', CAST(ap.agreement_id AS VARCHAR) || '/' || ap.org_id || '/' || ap.role, ap.source_id,
           ap.agreement_id
    FROM agreement_parties AS ap
    UNION ALL
    SELECT 'fx_rates', fx.currency_code || '/' || fx.rate_precision || '/' || CAST(fx.rate_on AS VARCHAR), fx.source_id,
           NULL
    FROM fx_rates AS fx;
COMMENT ON MACRO TABLE row_sources IS 'Every fact row: its table, its primary key as text (composite keys joined with /), the source it rests on, and its first key column where that is an integer.';
