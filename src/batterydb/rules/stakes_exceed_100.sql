-- rule: stakes in one organisation, reported on one date, cannot add up to more than 100%
-- table: ownership_stakes
-- column: share_pct
-- severity: error
--
-- Uses each stake's least possible share (the exact figure, else the
-- minimum); unknown shares count as nothing. Every stake of an offending
-- group is reported, so that the user sees all the rows to reconcile.
SELECT _row,
       'stakes in ''' || owned_org_id || ''' reported on ' || reported_on
       || ' add up to at least ' || number_text(total) || '% (' || n || ' rows); shares cannot exceed 100%'
FROM (
    SELECT _row, owned_org_id, reported_on,
           sum(coalesce(share_pct, share_min_pct, 0)) OVER (PARTITION BY owned_org_id, reported_on) AS total,
           count(*) OVER (PARTITION BY owned_org_id, reported_on) AS n
    FROM staged.ownership_stakes
    WHERE _ok
)
WHERE total > 100
ORDER BY _row;
