-- rule: an ownership cycle (cross-holdings) is reported, never looped over
-- table: ownership_stakes
-- column: owner_org_id
-- severity: warning
-- summary: stakes close an ownership cycle
-- prepare: ownership_cycle_candidates
--
-- A stake "a owns b" closes a cycle when b, directly or through others, owns
-- a. Reachability is a recursive UNION (not UNION ALL): it only ever adds
-- new (from, to) pairs, of which there are finitely many, so it terminates
-- on any graph. It runs over staged.cycle_candidates, which its preparation
-- writes: the stakes left once those that cannot lie on a cycle are trimmed
-- away (see rules.ownership_cycle_candidates).
WITH RECURSIVE reach (src, dst) AS (
    SELECT a, b FROM staged.cycle_candidates
    UNION
    SELECT r.src, e.b FROM reach AS r JOIN staged.cycle_candidates AS e ON e.a = r.dst
)
SELECT s._row,
       'ownership cycle: ''' || s.owner_org_id || ''' owns ''' || s.owned_org_id
       || ''', which itself owns ''' || s.owner_org_id || ''' directly or indirectly'
FROM staged.ownership_stakes AS s
JOIN reach AS r ON r.src = s.owned_org_id AND r.dst = s.owner_org_id
WHERE s._ok
ORDER BY s._row;
