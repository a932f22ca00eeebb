-- title: Where a fact comes from
-- question: Which source does this row rest on, who published it and when, which stored article carries it, and what else does that article cite?
-- param table_name VARCHAR (required): Table of the row, e.g. investments (any case).
-- param row_id VARCHAR (required): The row's primary key as text; a composite key joined with '/' in key order, e.g. 1/nissan for investment_investors, aesc_us_plant/considered/2008-12-29 for facility_status_history.
-- column table_name VARCHAR: The table of the row.
-- column row_id VARCHAR: The row's primary key as text.
-- column source_id VARCHAR: The source the row cites.
-- column source_kind VARCHAR: What kind of source it is (source_kinds).
-- column source_title VARCHAR: Its title, where it has one.
-- column publisher VARCHAR: Who published or issued it.
-- column publisher_note VARCHAR: What is known of the publisher when the source does not name it, or a remark on it.
-- column published_on DATE: When it was published, to published_precision.
-- column published_precision VARCHAR: How precisely published_on is known: day, month or year.
-- column citation_path VARCHAR: The sources walked from the row's source to the stored article, as "cited > citing".
-- column article_source_id VARCHAR: The stored article that carries the source.
-- column article_file VARCHAR: The file of that article in the shared sources folder.
-- column article_cites VARCHAR: Every source the article cites, as "source_id (kind, publisher)".
-- example: table_name=investments row_id=1
--
-- Table names cannot be bound parameters, so the query looks the row up in
-- row_sources(): (table_name, row_id, source_id) for every row of every
-- table that has a source_id (see its definition in schema/). An unknown
-- table or key gives no row.
--
-- From the row's source the query walks source_citations upwards (cited to
-- citing) until it reaches a source with a stored file (article_file); a
-- source that has a file is its own article. citation_path lists the
-- sources walked, "cited > citing". article_cites lists every source the
-- article cites, as "source_id (kind, publisher)". One row per article
-- reached (shortest walk to each; normally one); a source that reaches no
-- stored article gives one row with the article columns NULL.
-- How the walk terminates: it stops at the first source with a file, it
-- never steps to a source already on its path, and there are finitely many
-- sources, so a cycle in source_citations cannot make it loop.
WITH RECURSIVE fact AS (
    SELECT f.table_name, f.row_id, f.source_id
    FROM row_sources() AS f
    WHERE f.table_name = lower(trim($table_name)) AND f.row_id = $row_id
),

-- from the fact's source up through the sources that cite it
walk (source_id, reached_id, hops, visited, citation_path) AS (
    SELECT DISTINCT fa.source_id, fa.source_id, 0, [fa.source_id], fa.source_id
    FROM fact AS fa

    UNION ALL

    SELECT w.source_id, sc.citing_source_id, w.hops + 1, list_append(w.visited, sc.citing_source_id),
           w.citation_path || ' > ' || sc.citing_source_id
    FROM walk AS w
    JOIN sources AS reached ON reached.source_id = w.reached_id
    JOIN source_citations AS sc ON sc.cited_source_id = w.reached_id
    WHERE reached.file_name IS NULL
      AND NOT list_contains(w.visited, sc.citing_source_id)
),

articles AS (
    SELECT source_id, article_id, citation_path
    FROM (
        SELECT
            w.source_id,
            w.reached_id AS article_id,
            w.citation_path,
            row_number() OVER (PARTITION BY w.source_id, w.reached_id ORDER BY w.hops, w.citation_path) AS shortest
        FROM walk AS w
        JOIN sources AS s ON s.source_id = w.reached_id
        WHERE s.file_name IS NOT NULL
    ) AS paths
    WHERE shortest = 1
),

-- what each article reached cites (only those: a large catalogue has many)
cited AS (
    SELECT sc.citing_source_id, sc.cited_source_id, cited.kind
    FROM (SELECT DISTINCT ar.article_id FROM articles AS ar) AS reached
    JOIN source_citations AS sc ON sc.citing_source_id = reached.article_id
    JOIN sources AS cited ON cited.source_id = sc.cited_source_id
),

-- the publishers' names of the sources shown: looked up for those sources only
publishers AS (
    SELECT sp.source_id, o.name
    FROM source_publishers AS sp
    JOIN organisations AS o ON o.org_id = sp.org_id
    WHERE sp.source_id IN (SELECT fa.source_id FROM fact AS fa UNION SELECT c.cited_source_id FROM cited AS c)
),

cites AS (
    SELECT
        c.citing_source_id,
        string_agg(
            c.cited_source_id || ' (' || c.kind || coalesce(', ' || p.name, '') || ')',
            '; ' ORDER BY c.cited_source_id
        ) AS cited
    FROM cited AS c
    LEFT JOIN publishers AS p ON p.source_id = c.cited_source_id
    GROUP BY c.citing_source_id
)

SELECT
    fa.table_name,
    fa.row_id,
    fa.source_id,
    s.kind AS source_kind,
    s.title AS source_title,
    p.name AS publisher,
    s.publisher_note,
    s.published_on,
    s.published_precision,
    ar.citation_path,
    ar.article_id AS article_source_id,
    article.file_name AS article_file,
    ci.cited AS article_cites
FROM fact AS fa
JOIN sources AS s ON s.source_id = fa.source_id
LEFT JOIN publishers AS p ON p.source_id = s.source_id
LEFT JOIN articles AS ar ON ar.source_id = fa.source_id
LEFT JOIN sources AS article ON article.source_id = ar.article_id
LEFT JOIN cites AS ci ON ci.citing_source_id = ar.article_id
ORDER BY ar.article_id, publisher;
