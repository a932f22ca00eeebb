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
-- table or key gives no row. Where the key starts with an integer, the
-- lookup also compares that number with key_number, so that the table is
-- read by its key rather than every row's key cast to text.
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
    SELECT
        f.table_name,
        f.row_id,
        f.source_id
    FROM row_sources() AS f
    WHERE f.table_name = lower(trim($table_name))
      AND f.row_id = $row_id
      AND (f.key_number IS NULL OR f.key_number = CASE
          WHEN split_part($row_id, '/', 1) SIMILAR TO '-?[0-9]{1,18}' THEN CAST(split_part($row_id, '/', 1) AS BIGINT)
      END)
),

-- from the fact's source up through the sources that cite it, carrying the
-- file of each source reached: the walk stops at the first that has one
walk (source_id, reached_id, file_name, hops, visited, citation_path) AS (
    SELECT
        s.source_id,
        s.source_id,
        s.file_name,
        0,
        [s.source_id],
        s.source_id
    FROM sources AS s
    WHERE s.source_id IN (SELECT fa.source_id FROM fact AS fa)

    UNION ALL

    SELECT
        w.source_id,
        sc.citing_source_id,
        citing.file_name,
        w.hops + 1,
        list_append(w.visited, sc.citing_source_id),
        w.citation_path || ' > ' || sc.citing_source_id
    FROM walk AS w
    JOIN source_citations AS sc ON sc.cited_source_id = w.reached_id
    JOIN sources AS citing ON citing.source_id = sc.citing_source_id
    WHERE w.file_name IS NULL
      AND NOT list_contains(w.visited, sc.citing_source_id)
),

-- the shortest walk to each article reached
articles AS (
    SELECT DISTINCT ON (w.source_id, w.reached_id)
        w.source_id,
        w.reached_id AS article_id,
        w.file_name,
        w.citation_path
    FROM walk AS w
    WHERE w.file_name IS NOT NULL
    ORDER BY w.source_id, w.reached_id, w.hops, w.citation_path
),

-- what each article reached cites (only those: a large catalogue has many),
-- with each cited source's kind and publisher
cites AS (
    SELECT
        sc.citing_source_id,
        string_agg(
            sc.cited_source_id || ' (' || cited.kind || coalesce(', ' || o.name, '') || ')',
            '; ' ORDER BY sc.cited_source_id
        ) AS cited
    FROM source_citations AS sc
    JOIN sources AS cited ON cited.source_id = sc.cited_source_id
    LEFT JOIN source_publishers AS sp ON sp.source_id = sc.cited_source_id
    LEFT JOIN organisations AS o ON o.org_id = sp.org_id
    WHERE sc.citing_source_id IN (SELECT ar.article_id FROM articles AS ar)
    GROUP BY sc.citing_source_id
),

-- the publisher of the fact's source, found by an inner join so that
-- DuckDB reads organisations by the one org_id it needs
publisher AS (
    SELECT
        sp.source_id,
        o.name
    FROM source_publishers AS sp
    JOIN organisations AS o ON o.org_id = sp.org_id
    WHERE sp.source_id IN (SELECT fa.source_id FROM fact AS fa)
)

SELECT
    fa.table_name,
    fa.row_id,
    fa.source_id,
    s.kind AS source_kind,
    s.title AS source_title,
    o.name AS publisher,
    s.publisher_note,
    s.published_on,
    s.published_precision,
    ar.citation_path,
    ar.article_id AS article_source_id,
    ar.file_name AS article_file,
    ci.cited AS article_cites
FROM fact AS fa
JOIN sources AS s ON s.source_id = fa.source_id
LEFT JOIN publisher AS o ON o.source_id = s.source_id
LEFT JOIN articles AS ar ON ar.source_id = fa.source_id
LEFT JOIN cites AS ci ON ci.citing_source_id = ar.article_id
ORDER BY ar.article_id, publisher;
