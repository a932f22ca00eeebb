-- title: Search organisations by name
-- question: Which organisations have a name, alias or id that matches this text, best matches first?
-- param text VARCHAR (required): Part or all of a name, in any case, with or without accents; a near miss still finds it.
-- param limit_to INTEGER = 20 (at least 1): Most rows to return.
-- column org_id VARCHAR: The organisation's id.
-- column name VARCHAR: Its name.
-- column kind VARCHAR: What kind of organisation it is (organisation_kinds).
-- column country_code VARCHAR: Its country (ISO 3166-1 alpha-2), where known.
-- column matched_on VARCHAR: What matched: id, name or alias.
-- column matched_text VARCHAR: The id, name or alias that matched.
-- column match VARCHAR: How it matched: exact, prefix, contained or similar.
-- column score DOUBLE: 1 exact, 0.9 prefix, 0.8 contained, 0.5 to 0.75 a near miss.
-- column source_id VARCHAR: The source of the matched name or alias.
-- example: text=beijing
--
-- Every id, name and alias is compared with the text after folding case
-- and accents (the macro org_candidates, whose scoring also picks the
-- closest organisations when an organisation parameter matches none; in a
-- built file it reads them folded in derived.organisation_candidates,
-- scores only those a cheap signature test cannot rule out, and skips near
-- misses once limit_to organisations match better).
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
    round(c.score, 4) AS score,
    c.source_id
FROM org_candidates($text, $limit_to) AS c
JOIN organisations AS o ON o.org_id = c.org_id
ORDER BY score DESC, o.name, c.org_id
LIMIT $limit_to;
