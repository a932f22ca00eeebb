-- title: Search organisations by name
-- question: Which organisations have a name, alias or id that matches this text, best matches first?
-- param text VARCHAR (required): Part or all of a name, in any case, with or without accents; a near miss still finds it.
-- param limit_to INTEGER = 20 (at least 1): Most rows to return.
-- column org_id VARCHAR
-- column name VARCHAR
-- column kind VARCHAR
-- column country_code VARCHAR
-- column matched_on VARCHAR
-- column matched_text VARCHAR
-- column match VARCHAR
-- column score DOUBLE
--
-- Every id, name and alias is compared with the text after folding case
-- and accents. Ranks: exact (score 1), prefix (0.9), contained (0.8), or
-- similar, scored by Jaro-Winkler similarity scaled into 0.5 to 0.75 and
-- kept from 0.85 similarity up. Each organisation appears once, with its
-- best match; ties go to the name before aliases.
WITH candidates AS (
    SELECT o.org_id, 'id' AS matched_on, o.org_id AS matched_text, 3 AS preference FROM organisations AS o
    UNION ALL
    SELECT o.org_id, 'name', o.name, 1 FROM organisations AS o
    UNION ALL
    SELECT a.org_id, 'alias', a.alias, 2 FROM organisation_aliases AS a
),

scored AS (
    SELECT
        c.*,
        CASE
            WHEN name_key(c.matched_text) = name_key($text) THEN 'exact'
            WHEN strpos(name_key(c.matched_text), name_key($text)) = 1 THEN 'prefix'
            WHEN strpos(name_key(c.matched_text), name_key($text)) > 0 THEN 'contained'
            WHEN jaro_winkler_similarity(name_key(c.matched_text), name_key($text)) >= 0.85 THEN 'similar'
        END AS match,
        CASE
            WHEN name_key(c.matched_text) = name_key($text) THEN 1.0
            WHEN strpos(name_key(c.matched_text), name_key($text)) = 1 THEN 0.9
            WHEN strpos(name_key(c.matched_text), name_key($text)) > 0 THEN 0.8
            ELSE 0.5 + 0.25 * jaro_winkler_similarity(name_key(c.matched_text), name_key($text))
        END AS score
    FROM candidates AS c
    WHERE length(name_key($text)) > 0
),

best AS (
    SELECT
        s.*,
        row_number() OVER (PARTITION BY s.org_id ORDER BY s.score DESC, s.preference, s.matched_text) AS rank
    FROM scored AS s
    WHERE s.match IS NOT NULL
)

SELECT
    b.org_id,
    o.name,
    o.kind,
    o.country_code,
    b.matched_on,
    b.matched_text,
    b.match,
    round(b.score, 4) AS score
FROM best AS b
JOIN organisations AS o ON o.org_id = b.org_id
WHERE b.rank = 1
ORDER BY score DESC, o.name, b.org_id
LIMIT $limit_to;
