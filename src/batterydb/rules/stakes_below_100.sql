-- rule: stakes in one organisation adding up to less than 100% leave an undisclosed remainder
-- table: ownership_stakes
-- column: share_pct
-- severity: warning
-- summary: times the known stakes in an organisation on one date add up to less than 100%
--
-- Only when every stake in the group has a known upper bound (an exact
-- figure or a maximum) can the total be said to fall short; reported once,
-- on the group's first row.
SELECT min(_row),
       'known stakes in ''' || owned_org_id || ''' reported on ' || reported_on || ' add up to '
       || number_text(sum(coalesce(share_pct, share_max_pct))) || '%; the other '
       || number_text(100 - sum(coalesce(share_pct, share_max_pct))) || '% is undisclosed'
FROM staged.ownership_stakes
WHERE _ok
GROUP BY owned_org_id, reported_on
HAVING bool_and(coalesce(share_pct, share_max_pct) IS NOT NULL)
   AND sum(coalesce(share_pct, share_max_pct)) < 100
ORDER BY 1;
