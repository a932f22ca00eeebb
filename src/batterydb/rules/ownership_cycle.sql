-- rule: an ownership cycle (cross-holdings) is reported, never looped over
-- table: ownership_stakes
-- column: owner_org_id
-- severity: warning
--
-- A stake "a owns b" closes a cycle when b, directly or through others, owns
-- a. Reachability is a recursive UNION (not UNION ALL): it only ever adds
-- new (from, to) pairs, of which there are finitely many, so it terminates
-- on any graph. Edges whose ends cannot lie on a cycle (nobody owns the
-- owner, or the owned owns nobody) are left out first.
WITH RECURSIVE edges AS (
    SELECT DISTINCT owner_org_id AS a, owned_org_id AS b
    FROM staged.ownership_stakes
    WHERE _ok
      AND owner_org_id IN (SELECT owned_org_id FROM staged.ownership_stakes)
      AND owned_org_id IN (SELECT owner_org_id FROM staged.ownership_stakes)
),
reach (src, dst) AS (
    SELECT a, b FROM edges
    UNION
    SELECT r.src, e.b FROM reach AS r JOIN edges AS e ON e.a = r.dst
)
SELECT s._row,
       'ownership cycle: ''' || s.owner_org_id || ''' owns ''' || s.owned_org_id
       || ''', which itself owns ''' || s.owner_org_id || ''' directly or indirectly'
FROM staged.ownership_stakes AS s
JOIN reach AS r ON r.src = s.owned_org_id AND r.dst = s.owner_org_id
WHERE s._ok
ORDER BY s._row;
