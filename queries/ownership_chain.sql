-- title: Ownership chain of an organisation
-- question: Who owns this organisation, directly or through other organisations, and what share does each owner hold along each path?
-- param org ORGANISATION (required): Organisation id, name or alias, in any case, with or without accents.
-- param max_depth INTEGER = 10 (at least 1): Longest chain of owners followed; longer paths are cut there.
-- column organisation VARCHAR: The organisation asked about.
-- column owner VARCHAR: A direct or indirect owner.
-- column owner_id VARCHAR: The owner's id.
-- column depth INTEGER: Steps from the organisation up to the owner (1: a direct owner).
-- column path VARCHAR: The path by name, from the organisation up to the owner.
-- column effective_share_min_pct DOUBLE: The least share the owner can hold along this path, in percent.
-- column effective_share_max_pct DOUBLE: The most share the owner can hold along this path, in percent.
-- column shares_known BOOLEAN: True when every share on the path is exact.
-- column cycle_cut_at VARCHAR: The owners at which the path stopped because they were already on it (a cross-holding).
-- column source_ids VARCHAR: The sources of the stakes on the path, joined with ', '.
-- example: org=beijing_era
--
-- One row per path from the organisation up to each direct or indirect
-- owner. The effective share along a path is the product of the shares on
-- it, carried as bounds: an exact share gives equal bounds, a range its
-- minimum and maximum, an open bound 0 or 100%, and an unknown share 0 to
-- 100%, so an owner with an undisclosed stake is reported with wide bounds,
-- never dropped. shares_known is true only when every share on the path is
-- exact. Of several reports of the same stake, the latest is used, and
-- source_ids lists the sources of the reports the path rests on.
--
-- Termination: a path never visits an organisation twice. Where the next
-- owner is already on the path (a cross-holding), the path stops and
-- cycle_cut_at names that owner; paths also stop at max_depth. The query
-- lists paths, so it suits one organisation's owners; totals over many
-- organisations are attributable_capacity's job.
WITH RECURSIVE target AS (
    SELECT o.org_id FROM organisations AS o WHERE o.org_id = $org
),

-- The walk carries ids only; names are looked up for the rows it ends with.
chain (start_id, owner_id, depth, path_ids, low, high, exact) AS (
    SELECT
        t.org_id,
        sb.owner_org_id,
        1,
        [t.org_id, sb.owner_org_id],
        sb.low,
        sb.high,
        sb.exact
    FROM target AS t
    JOIN stake_bounds() AS sb ON sb.owned_org_id = t.org_id
    UNION ALL
    SELECT
        c.start_id,
        sb.owner_org_id,
        c.depth + 1,
        list_append(c.path_ids, sb.owner_org_id),
        c.low * sb.low,
        c.high * sb.high,
        c.exact AND sb.exact
    FROM chain AS c
    JOIN stake_bounds() AS sb ON sb.owned_org_id = c.owner_id
    WHERE c.depth < $max_depth
      AND NOT list_contains(c.path_ids, sb.owner_org_id)
),

-- Every step of every path, as (organisation owned, owner): each prefix of a path is a path of its own, so
-- the last steps of all paths are all of them.
steps AS (
    SELECT DISTINCT
        c.path_ids[c.depth] AS owned_org_id,
        c.owner_id AS owner_org_id
    FROM chain AS c
),

-- The reports each step rests on: each owner's latest reports of its stake, as stake_bounds() uses, looked up
-- for the steps alone rather than ranked over every stake.
latest_stakes AS (
    SELECT
        ranked.owned_org_id,
        ranked.owner_org_id,
        ranked.source_id
    FROM (
        SELECT
            s.owned_org_id,
            s.owner_org_id,
            s.source_id,
            s.reported_on,
            max(s.reported_on) OVER (PARTITION BY s.owner_org_id, s.owned_org_id) AS latest
        FROM ownership_stakes AS s
        JOIN steps AS st ON st.owned_org_id = s.owned_org_id AND st.owner_org_id = s.owner_org_id
    ) AS ranked
    WHERE ranked.reported_on = ranked.latest
),

-- The stakes held in the paths' last owners: those already on a path are where it was cut.
cuts AS (
    SELECT
        sb.owned_org_id,
        sb.owner_org_id
    FROM stake_bounds() AS sb
    WHERE sb.owned_org_id IN (SELECT c.owner_id FROM chain AS c)
),

-- The organisations on the paths, once each: a short list of ids lets the scan of organisations skip the
-- row groups that hold none of them.
path_orgs AS (
    SELECT DISTINCT unnest(c.path_ids) AS org_id FROM chain AS c
),

-- Their names, looked up once.
names AS (
    SELECT
        o.org_id,
        o.name
    FROM path_orgs AS p
    JOIN organisations AS o ON o.org_id = p.org_id
)

SELECT
    start_org.name AS organisation,
    owner_org.name AS owner,
    c.owner_id,
    c.depth,
    (
        SELECT string_agg(step_org.name, ' <- ' ORDER BY step.position)
        FROM unnest(c.path_ids) WITH ORDINALITY AS step (org_id, position)
        JOIN names AS step_org ON step_org.org_id = step.org_id
    ) AS path,
    round(100 * c.low, 6) AS effective_share_min_pct,
    round(100 * c.high, 6) AS effective_share_max_pct,
    c.exact AS shares_known,
    (
        SELECT string_agg(cut.name, ', ' ORDER BY sb.owner_org_id)
        FROM cuts AS sb
        JOIN names AS cut ON cut.org_id = sb.owner_org_id
        WHERE sb.owned_org_id = c.owner_id AND list_contains(c.path_ids, sb.owner_org_id)
    ) AS cycle_cut_at,
    (
        SELECT string_agg(DISTINCT s.source_id, ', ' ORDER BY s.source_id)
        FROM unnest(c.path_ids) WITH ORDINALITY AS owned_step (org_id, position)
        JOIN unnest(c.path_ids) WITH ORDINALITY AS owner_step (org_id, position)
            ON owner_step.position = owned_step.position + 1
        JOIN latest_stakes AS s ON s.owned_org_id = owned_step.org_id AND s.owner_org_id = owner_step.org_id
    ) AS source_ids
FROM chain AS c
JOIN names AS start_org ON start_org.org_id = c.start_id
JOIN names AS owner_org ON owner_org.org_id = c.owner_id
ORDER BY organisation, c.depth, effective_share_max_pct DESC, owner, path;
