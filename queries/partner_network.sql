-- title: Partner network of an organisation
-- question: Which organisations are tied to this one through joint ventures, stakes or agreements, within how many steps, and by what links?
-- param org ORGANISATION (required): Organisation id, name or alias, in any case, with or without accents.
-- param depth INTEGER = 2 (at least 1): Most links to follow from org (1: its direct partners only).
-- column organisation VARCHAR: An organisation reached.
-- column org_id VARCHAR: Its id.
-- column hops INTEGER: Links on the shortest path to it.
-- column link VARCHAR: Every link between the last two organisations of the path, in words.
-- column path VARCHAR: The shortest path by name, from the organisation asked about.
-- column shortest_paths BIGINT: How many shortest paths there are.
-- column source_ids VARCHAR: The sources of the links in link, joined with ', '.
-- example: org=BAIC
--
-- Two organisations are linked, either way round, when
--   co-ownership: both own a stake in the same organisation (a joint
--                 venture's partners), "co-ownership: <what they co-own>";
--   stake:        one holds a stake in the other, of whatever kind,
--                 "stake: <owner> in <owned> (<kind>)";
--   agreement:    both are parties to one agreement, whatever their roles
--                 and however firm it is, "agreement: <id> (<kind>)".
-- One row per organisation reached within depth links, nearest first. hops
-- is the length of its shortest path; path is that path by name, from org
-- (when there are several shortest paths, the first by name is shown, and
-- shortest_paths says how many there are); link lists every link between
-- the last two organisations of the path, and source_ids the sources of
-- those links (the stakes and agreements). org itself is not listed.
--
-- How it terminates: the recursive CTE walks simple paths only. Each step
-- appends one organisation to the list of those already on the path, and a
-- step to an organisation already on that list is never taken, so a cycle
-- (A-B-C-A, or two organisations owning each other) is not gone round;
-- every path also stops after depth links. So each path is finite and there
-- are finitely many of them. The work grows with the number of simple paths
-- up to depth links, which is small for this data but can grow fast on a
-- dense network with a large depth.
WITH RECURSIVE start_orgs AS (
    SELECT o.org_id FROM organisations AS o WHERE o.org_id = $org
),

-- Each tie as a club its members share: the owners of one organisation,
-- the two sides of a stake, the parties to one agreement. Two members of a
-- club are linked. Listing the clubs is one pass over the stakes and the
-- parties (pairing every two co-owners in advance would cost the square of
-- a large group's holdings); each step of the walk goes from the
-- organisations it has reached to their clubs and on to the other members.
-- The text of a link is written only for the steps that end in the result.
memberships AS (
    SELECT s.owner_org_id AS org_id, 'owners of ' || s.owned_org_id AS club
    FROM ownership_stakes AS s
    UNION ALL
    SELECT s.owner_org_id, 'stake ' || least(s.owner_org_id, s.owned_org_id) || ' ' || greatest(s.owner_org_id, s.owned_org_id)
    FROM ownership_stakes AS s
    UNION ALL
    SELECT s.owned_org_id, 'stake ' || least(s.owner_org_id, s.owned_org_id) || ' ' || greatest(s.owner_org_id, s.owned_org_id)
    FROM ownership_stakes AS s
    UNION ALL
    SELECT p.org_id, 'agreement ' || p.agreement_id
    FROM agreement_parties AS p
),

-- UNION, not UNION ALL: two organisations in several clubs together (or in one
-- club twice) make one step
walk (org_id, prev_id, hops, visited, path) AS (
    SELECT s.org_id, CAST(NULL AS VARCHAR), 0, [s.org_id], o.name
    FROM start_orgs AS s
    JOIN organisations AS o ON o.org_id = s.org_id

    UNION

    SELECT other.org_id, w.org_id, w.hops + 1, list_append(w.visited, other.org_id), w.path || ' > ' || o.name
    FROM walk AS w
    JOIN memberships AS mine ON mine.org_id = w.org_id
    JOIN memberships AS other ON other.club = mine.club AND other.org_id <> w.org_id
    JOIN organisations AS o ON o.org_id = other.org_id
    WHERE w.hops < $depth
      AND NOT list_contains(w.visited, other.org_id)
),

ranked AS (
    SELECT
        w.org_id,
        w.prev_id,
        w.hops,
        w.path,
        row_number() OVER (PARTITION BY w.org_id ORDER BY w.hops, w.path) AS preference,
        count(*) OVER (PARTITION BY w.org_id, w.hops) AS paths_of_this_length
    FROM walk AS w
    WHERE w.org_id NOT IN (SELECT s.org_id FROM start_orgs AS s)
),

reached AS (
    SELECT r.org_id, r.prev_id, r.hops, r.path, r.paths_of_this_length
    FROM ranked AS r
    WHERE r.preference = 1
),

-- the links of each last step, in words
links AS (
    SELECT r.prev_id, r.org_id, 'co-ownership: ' || owned.name AS link, e.source_id
    FROM reached AS r
    JOIN ownership_stakes AS a ON a.owner_org_id = r.prev_id
    JOIN ownership_stakes AS b ON b.owned_org_id = a.owned_org_id AND b.owner_org_id = r.org_id
    JOIN organisations AS owned ON owned.org_id = a.owned_org_id
    JOIN ownership_stakes AS e  -- the sources of both stakes
        ON e.owned_org_id = a.owned_org_id AND e.stake_id IN (a.stake_id, b.stake_id)

    UNION ALL

    SELECT e.prev_id, e.org_id, 'stake: ' || owner.name || ' in ' || owned.name || ' (' || s.kind || ')', s.source_id
    FROM (  -- a stake can run either way along a step
        SELECT r.prev_id, r.org_id, r.prev_id AS owner_id, r.org_id AS owned_id FROM reached AS r
        UNION ALL
        SELECT r.prev_id, r.org_id, r.org_id, r.prev_id FROM reached AS r
    ) AS e
    JOIN ownership_stakes AS s ON s.owner_org_id = e.owner_id AND s.owned_org_id = e.owned_id
    JOIN organisations AS owner ON owner.org_id = s.owner_org_id
    JOIN organisations AS owned ON owned.org_id = s.owned_org_id

    UNION ALL

    SELECT r.prev_id, r.org_id, 'agreement: ' || ag.agreement_id || ' (' || ag.kind || ')', ag.source_id
    FROM reached AS r
    JOIN agreement_parties AS p ON p.org_id = r.prev_id
    JOIN agreement_parties AS q ON q.agreement_id = p.agreement_id AND q.org_id = r.org_id
    JOIN agreements AS ag ON ag.agreement_id = p.agreement_id
),

step_links AS (
    SELECT
        l.prev_id,
        l.org_id,
        string_agg(DISTINCT l.link, '; ' ORDER BY l.link) AS links,
        string_agg(DISTINCT l.source_id, ', ' ORDER BY l.source_id) AS source_ids
    FROM links AS l
    GROUP BY l.prev_id, l.org_id
)

SELECT
    o.name AS organisation,
    r.org_id,
    r.hops,
    sl.links AS link,
    r.path,
    r.paths_of_this_length AS shortest_paths,
    sl.source_ids
FROM reached AS r
JOIN organisations AS o ON o.org_id = r.org_id
JOIN step_links AS sl ON sl.prev_id = r.prev_id AND sl.org_id = r.org_id
ORDER BY r.hops, o.name;
