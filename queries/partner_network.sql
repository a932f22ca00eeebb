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
-- How it works: a recursive step joins its static side in full (DuckDB
-- builds it once per call), so the walk joins no whole table: it steps
-- through step_ties, the ties of the organisations a step can start from,
-- looked up beforehand by key. A walk of at most two links (the default)
-- starts its steps from org and its direct partners only; a longer one
-- from every organisation, and reads every stake and agreement party.
-- organisation_ties() gives the stakes by owner and the agreement parties
-- by organisation (the build stores it sorted by organisation, so that a
-- lookup by a few organisations reads few blocks).
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

-- org and the organisations one link from it: a walk of at most two links
-- (the default) steps from these only
first_ring AS (
    SELECT s.org_id FROM start_orgs AS s
    UNION
    SELECT t.owned_org_id  -- what org holds a stake in
    FROM start_orgs AS s
    JOIN organisation_ties() AS t ON t.org_id = s.org_id
    WHERE t.owned_org_id IS NOT NULL
    UNION
    SELECT h.owner_org_id  -- who holds a stake in org
    FROM start_orgs AS s
    JOIN ownership_stakes AS h ON h.owned_org_id = s.org_id
    UNION
    SELECT h.owner_org_id  -- who else holds a stake in what org holds a stake in
    FROM start_orgs AS s
    JOIN organisation_ties() AS t ON t.org_id = s.org_id
    JOIN ownership_stakes AS h ON h.owned_org_id = t.owned_org_id
    UNION
    SELECT p.org_id  -- who is party to org's agreements
    FROM start_orgs AS s
    JOIN organisation_ties() AS t ON t.org_id = s.org_id
    JOIN agreement_parties AS p ON p.agreement_id = t.agreement_id
),

-- the organisations a step of the walk can start from: the first ring, or
-- every organisation when the walk is longer
step_orgs AS (
    SELECT f.org_id FROM first_ring AS f WHERE $depth <= 2
    UNION ALL
    SELECT o.org_id FROM organisations AS o WHERE $depth > 2
),

-- their holdings and agreements, read once
step_org_ties AS (
    SELECT
        t.org_id,
        t.owned_org_id,
        t.agreement_id
    FROM step_orgs AS f
    JOIN organisation_ties() AS t ON t.org_id = f.org_id
),

-- each tie of those organisations: one other organisation (what it holds a
-- stake in, who holds one in it), or a club whose members are linked to it
-- (the owners of what it holds a stake in, the parties to its agreements)
step_ties AS (
    SELECT
        t.org_id,
        t.owned_org_id AS other_id,
        CAST(NULL AS VARCHAR) AS co_owned_id,
        CAST(NULL AS INTEGER) AS agreement_id
    FROM step_org_ties AS t
    WHERE t.owned_org_id IS NOT NULL
    UNION ALL
    SELECT
        s.owned_org_id,
        s.owner_org_id,
        NULL,
        NULL
    FROM step_orgs AS f
    JOIN ownership_stakes AS s ON s.owned_org_id = f.org_id
    UNION ALL
    SELECT
        t.org_id,
        NULL,
        t.owned_org_id,
        NULL
    FROM step_org_ties AS t
    WHERE t.owned_org_id IS NOT NULL
    UNION ALL
    SELECT
        t.org_id,
        NULL,
        NULL,
        t.agreement_id
    FROM step_org_ties AS t
    WHERE t.agreement_id IS NOT NULL
),

-- every stake in those organisations or in what they hold a stake in: the
-- members of their co-ownership clubs, and every stake a link of theirs
-- can name (joins, not IN, so that each lookup reads only the blocks of
-- the tables that hold those keys)
near_stakes AS (
    SELECT
        s.owned_org_id,
        s.owner_org_id,
        s.kind,
        s.source_id
    FROM (
        SELECT f.org_id FROM step_orgs AS f
        UNION
        SELECT t.owned_org_id FROM step_org_ties AS t
    ) AS k
    JOIN ownership_stakes AS s ON s.owned_org_id = k.org_id
),

-- the parties to their agreements
club_parties AS (
    SELECT
        p.agreement_id,
        p.org_id
    FROM (SELECT DISTINCT t.agreement_id FROM step_org_ties AS t) AS c
    JOIN agreement_parties AS p ON p.agreement_id = c.agreement_id
),

-- the names of every organisation a step can reach
step_names AS (
    SELECT
        o.org_id,
        o.name
    FROM (
        SELECT s.org_id FROM start_orgs AS s
        UNION
        SELECT t.other_id FROM step_ties AS t
        UNION
        SELECT c.owner_org_id FROM near_stakes AS c
        UNION
        SELECT c.org_id FROM club_parties AS c
    ) AS n
    JOIN organisations AS o ON o.org_id = n.org_id
),

-- UNION, not UNION ALL: two organisations linked in several ways (or twice
-- in one way) make one step
walk (org_id, prev_id, hops, visited, path) AS (
    SELECT
        s.org_id,
        CAST(NULL AS VARCHAR),
        0,
        [s.org_id],
        o.name
    FROM start_orgs AS s
    JOIN step_names AS o ON o.org_id = s.org_id

    UNION

    SELECT
        o.org_id,
        w.org_id,
        w.hops + 1,
        list_append(w.visited, o.org_id),
        w.path || ' > ' || o.name
    FROM walk AS w
    JOIN step_ties AS t ON t.org_id = w.org_id
    LEFT JOIN near_stakes AS co ON co.owned_org_id = t.co_owned_id
    LEFT JOIN club_parties AS cp ON cp.agreement_id = t.agreement_id
    JOIN step_names AS o ON o.org_id = coalesce(t.other_id, co.owner_org_id, cp.org_id)
    WHERE w.hops < $depth
      AND NOT list_contains(w.visited, o.org_id)
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
    SELECT
        r.org_id,
        r.prev_id,
        r.hops,
        r.path,
        r.paths_of_this_length
    FROM ranked AS r
    WHERE r.preference = 1
),

-- the clubs each last step's organisations share, from the ties of the
-- first; kept apart (MATERIALIZED) so that they are not joined to every
-- step first
shared_clubs AS MATERIALIZED (
    SELECT
        t.org_id AS prev_id,
        s.owner_org_id AS org_id,
        t.co_owned_id AS owned_org_id,
        t.agreement_id
    FROM step_ties AS t
    JOIN near_stakes AS s ON s.owned_org_id = t.co_owned_id
    WHERE t.org_id IN (SELECT r.prev_id FROM reached AS r)
    UNION ALL
    SELECT
        t.org_id,
        p.org_id,
        NULL,
        t.agreement_id
    FROM step_ties AS t
    JOIN club_parties AS p ON p.agreement_id = t.agreement_id
    WHERE t.org_id IN (SELECT r.prev_id FROM reached AS r)
),

-- the links of each last step, in words
links AS (
    SELECT
        r.prev_id,
        r.org_id,
        'co-ownership: ' || owned.name AS link,
        e.source_id
    FROM shared_clubs AS c
    JOIN reached AS r ON r.prev_id = c.prev_id AND r.org_id = c.org_id
    JOIN step_names AS owned ON owned.org_id = c.owned_org_id
    JOIN near_stakes AS e  -- the sources of both organisations' stakes in it
        ON e.owned_org_id = c.owned_org_id AND e.owner_org_id IN (r.prev_id, r.org_id)

    UNION ALL

    SELECT
        e.prev_id,
        e.org_id,
        'stake: ' || owner.name || ' in ' || owned.name || ' (' || s.kind || ')',
        s.source_id
    FROM (  -- a stake can run either way along a step
        SELECT
            r.prev_id,
            r.org_id,
            r.prev_id AS owner_id,
            r.org_id AS owned_id
        FROM reached AS r
        UNION ALL
        SELECT
            r.prev_id,
            r.org_id,
            r.org_id,
            r.prev_id
        FROM reached AS r
    ) AS e
    JOIN near_stakes AS s ON s.owner_org_id = e.owner_id AND s.owned_org_id = e.owned_id
    JOIN step_names AS owner ON owner.org_id = s.owner_org_id
    JOIN step_names AS owned ON owned.org_id = s.owned_org_id

    UNION ALL

    SELECT
        r.prev_id,
        r.org_id,
        'agreement: ' || ag.agreement_id || ' (' || ag.kind || ')',
        ag.source_id
    FROM shared_clubs AS c
    JOIN reached AS r ON r.prev_id = c.prev_id AND r.org_id = c.org_id
    JOIN agreements AS ag ON ag.agreement_id = c.agreement_id
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
JOIN step_names AS o ON o.org_id = r.org_id
JOIN step_links AS sl ON sl.prev_id = r.prev_id AND sl.org_id = r.org_id
ORDER BY r.hops, o.name;
