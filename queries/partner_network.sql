-- title: Partner network of an organisation
-- question: Which organisations are tied to this one through joint ventures, stakes or agreements, within how many steps, and by what links?
-- param org VARCHAR (required): Organisation id, name or alias, in any case, with or without accents.
-- param depth INTEGER = 2: Most links to follow from org (1: its direct partners only).
-- column organisation VARCHAR
-- column org_id VARCHAR
-- column hops INTEGER
-- column link VARCHAR
-- column path VARCHAR
-- column shortest_paths BIGINT
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
-- the last two organisations of the path. org itself is not listed; when
-- org matches several organisations, the walk starts from each of them.
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
    SELECT m.org_id FROM org_matches($org) AS m
),

links AS (
    -- two owners of the same organisation
    SELECT a.owner_org_id AS from_id, b.owner_org_id AS to_id, 'co-ownership: ' || owned.name AS link
    FROM ownership_stakes AS a
    JOIN ownership_stakes AS b ON b.owned_org_id = a.owned_org_id AND b.owner_org_id <> a.owner_org_id
    JOIN organisations AS owned ON owned.org_id = a.owned_org_id

    UNION ALL

    -- a stake, from the owner to the owned and back
    SELECT s.owner_org_id, s.owned_org_id, 'stake: ' || owner.name || ' in ' || owned.name || ' (' || s.kind || ')'
    FROM ownership_stakes AS s
    JOIN organisations AS owner ON owner.org_id = s.owner_org_id
    JOIN organisations AS owned ON owned.org_id = s.owned_org_id

    UNION ALL

    SELECT s.owned_org_id, s.owner_org_id, 'stake: ' || owner.name || ' in ' || owned.name || ' (' || s.kind || ')'
    FROM ownership_stakes AS s
    JOIN organisations AS owner ON owner.org_id = s.owner_org_id
    JOIN organisations AS owned ON owned.org_id = s.owned_org_id

    UNION ALL

    -- two parties to the same agreement
    SELECT p.org_id, q.org_id, 'agreement: ' || ag.agreement_id || ' (' || ag.kind || ')'
    FROM agreement_parties AS p
    JOIN agreement_parties AS q ON q.agreement_id = p.agreement_id AND q.org_id <> p.org_id
    JOIN agreements AS ag ON ag.agreement_id = p.agreement_id
),

-- one step per ordered pair of linked organisations, with all their links
steps AS (
    SELECT l.from_id, l.to_id, string_agg(DISTINCT l.link, '; ' ORDER BY l.link) AS links
    FROM links AS l
    GROUP BY l.from_id, l.to_id
),

walk (org_id, prev_id, hops, visited, path) AS (
    SELECT s.org_id, CAST(NULL AS VARCHAR), 0, [s.org_id], o.name
    FROM start_orgs AS s
    JOIN organisations AS o ON o.org_id = s.org_id

    UNION ALL

    SELECT st.to_id, w.org_id, w.hops + 1, list_append(w.visited, st.to_id), w.path || ' > ' || o.name
    FROM walk AS w
    JOIN steps AS st ON st.from_id = w.org_id
    JOIN organisations AS o ON o.org_id = st.to_id
    WHERE w.hops < $depth
      AND NOT list_contains(w.visited, st.to_id)
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
)

SELECT
    o.name AS organisation,
    r.org_id,
    r.hops,
    st.links AS link,
    r.path,
    r.paths_of_this_length AS shortest_paths
FROM ranked AS r
JOIN organisations AS o ON o.org_id = r.org_id
JOIN steps AS st ON st.from_id = r.prev_id AND st.to_id = r.org_id
WHERE r.preference = 1
ORDER BY r.hops, o.name;
