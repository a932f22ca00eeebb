-- rule: a facility with no capacity figure at all is worth a second look
-- table: facilities
-- column: facility_id
-- severity: warning
-- summary: facilities have no capacity figure
SELECT f._row,
       'facility ''' || f.facility_id || ''' has no capacity figure (add one to capacities.csv if a source gives it)'
FROM staged.facilities AS f
WHERE f._ok
  AND f.facility_id NOT IN (SELECT facility_id FROM staged.capacities WHERE facility_id IS NOT NULL)
ORDER BY f._row;
