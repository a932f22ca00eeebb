-- title: Organisations across sources
-- question: Which organisations appear in more than one source, and in which sources, with how many facts from each?
-- param min_sources INTEGER = 2 (at least 1): Only organisations that this many sources or more say something about.
-- column org_id VARCHAR: The organisation's id.
-- column organisation VARCHAR: The organisation's name.
-- column sources BIGINT: How many sources say something about it.
-- column source_ids VARCHAR: Those sources, by id, in order, joined with ', '.
-- column facts BIGINT: How many rows about it the sources give, in every table that names an organisation.
-- column facts_by_source VARCHAR: The rows per source, as "source_id: count", in source order.
-- column articles BIGINT: How many of the stored articles those sources are or are quoted in.
-- column article_ids VARCHAR: Those articles, by source id, in order, joined with ', '.
-- example: min_sources=2
--
-- A source says something about an organisation when it is the source of a
-- row that names the organisation: the organisation's own row, its
-- aliases, sectors and people, a stake it holds or is held by, a plant it
-- runs, a capacity figure of its own, an investment it makes or receives,
-- an agreement it is party to, a target it sets or that applies to it, a
-- reported figure about it or reported by it, a document it issued, and a
-- source it published. Each organisation is counted once per source,
-- however many rows that source gives about it. A source that is not a
-- stored article itself (a statement, an interview, a report) is counted
-- under the stored articles that cite it in the articles columns.
WITH mentions AS (
    SELECT
        o.org_id,
        o.source_id
    FROM organisations AS o
    UNION ALL
    SELECT
        oa.org_id,
        oa.source_id
    FROM organisation_aliases AS oa
    UNION ALL
    SELECT
        os.org_id,
        os.source_id
    FROM organisation_sectors AS os
    UNION ALL
    SELECT
        pr.org_id,
        pr.source_id
    FROM person_roles AS pr
    UNION ALL
    SELECT
        di.org_id,
        di.source_id
    FROM document_issuers AS di
    UNION ALL
    SELECT
        sp.org_id,
        sp.source_id
    FROM source_publishers AS sp
    UNION ALL
    SELECT
        st.owner_org_id,
        st.source_id
    FROM ownership_stakes AS st
    UNION ALL
    SELECT
        st.owned_org_id,
        st.source_id
    FROM ownership_stakes AS st
    UNION ALL
    SELECT
        f.operator_org_id,
        f.source_id
    FROM facilities AS f
    WHERE f.operator_org_id IS NOT NULL
    UNION ALL
    SELECT
        c.org_id,
        c.source_id
    FROM capacities AS c
    WHERE c.org_id IS NOT NULL
    UNION ALL
    SELECT
        i.target_org_id,
        i.source_id
    FROM investments AS i
    WHERE i.target_org_id IS NOT NULL
    UNION ALL
    SELECT
        ii.org_id,
        ii.source_id
    FROM investment_investors AS ii
    UNION ALL
    SELECT
        ap.org_id,
        ap.source_id
    FROM agreement_parties AS ap
    UNION ALL
    SELECT
        ts.org_id,
        ts.source_id
    FROM target_setters AS ts
    UNION ALL
    SELECT
        t.scope_org_id,
        t.source_id
    FROM targets AS t
    WHERE t.scope_org_id IS NOT NULL
    UNION ALL
    SELECT
        rf.scope_org_id,
        rf.source_id
    FROM reported_figures AS rf
    WHERE rf.scope_org_id IS NOT NULL
    UNION ALL
    SELECT
        rf.reported_by_org_id,
        rf.source_id
    FROM reported_figures AS rf
    WHERE rf.reported_by_org_id IS NOT NULL
),

article_of AS (
    SELECT
        s.source_id,
        s.source_id AS article_id
    FROM sources AS s
    WHERE s.file_name IS NOT NULL
    UNION
    SELECT
        sc.cited_source_id,
        sc.citing_source_id
    FROM source_citations AS sc
    JOIN sources AS a ON a.source_id = sc.citing_source_id
    WHERE a.file_name IS NOT NULL
),

articles AS (
    SELECT
        m.org_id,
        count(DISTINCT ao.article_id) AS articles,
        string_agg(DISTINCT ao.article_id, ', ' ORDER BY ao.article_id) AS article_ids
    FROM mentions AS m
    JOIN article_of AS ao ON ao.source_id = m.source_id
    GROUP BY m.org_id
),

per_source AS (
    SELECT
        m.org_id,
        m.source_id,
        count(*) AS facts
    FROM mentions AS m
    GROUP BY m.org_id, m.source_id
),

totals AS (
    SELECT
        ps.org_id,
        o.name AS organisation,
        count(*) AS sources,
        string_agg(ps.source_id, ', ' ORDER BY ps.source_id) AS source_ids,
        CAST(sum(ps.facts) AS BIGINT) AS facts,
        string_agg(ps.source_id || ': ' || ps.facts, ', ' ORDER BY ps.source_id) AS facts_by_source
    FROM per_source AS ps
    JOIN organisations AS o ON o.org_id = ps.org_id
    GROUP BY ps.org_id, o.name
)

SELECT
    tt.org_id,
    tt.organisation,
    tt.sources,
    tt.source_ids,
    tt.facts,
    tt.facts_by_source,
    coalesce(ar.articles, 0) AS articles,
    ar.article_ids
FROM totals AS tt
LEFT JOIN articles AS ar ON ar.org_id = tt.org_id
WHERE tt.sources >= $min_sources
ORDER BY tt.sources DESC, tt.organisation, tt.org_id;
