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
-- example: text=beijing
--
-- Every id, name and alias is compared with the text after folding case
-- and accents (the macro org_candidates, whose scoring also picks the
-- closest organisations when an organisation parameter matches none).
-- Ranks: exact (score 1), prefix (0.9), contained (0.8), or similar,
-- scored by Jaro-Winkler similarity scaled into 0.5 to 0.75 and kept from
-- 0.85 similarity up. Each organisation appears once, with its best match;
-- ties go to the name before aliases.
SELECT
    c.org_id,
    o.name,
    o.kind,
    o.country_code,
    c.matched_on,
    c.matched_text,
    match_kind(c.score) AS match,
    round(c.score, 4) AS score
FROM org_candidates($text) AS c
JOIN organisations AS o ON o.org_id = c.org_id
ORDER BY score DESC, o.name, c.org_id
LIMIT $limit_to;
