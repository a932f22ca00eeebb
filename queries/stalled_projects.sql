-- title: Projects with no news
-- question: Which plant projects that were considered, announced, planned or being built have had no news for years, and may have stalled?
-- param as_of DATE = current_date: Date from which the silence is measured (today by default).
-- param years INTEGER = 3 (at least 0): Silence, in whole years, that makes a project worth a second look.
-- column facility VARCHAR: The plant project.
-- column operator VARCHAR: The organisation behind it, when a source names one.
-- column country_or_region VARCHAR: Its country code, else the region a source gives, else unknown.
-- column status VARCHAR: Its latest reported status: considered, announced, planned or under_construction.
-- column last_reported DATE: When that status was reported, as the first day of the month or year when only
--   those are known.
-- column last_reported_precision VARCHAR: Precision of last_reported: day, month or year.
-- column years_silent BIGINT: Calendar years from last_reported to as_of.
-- column source_id VARCHAR: The source of that latest status (see the provenance query with
--   table_name=facility_status_history).
--
-- A project's last news is the latest status reported for it (expected
-- statuses do not count). Plants already operating, or halted, cancelled or
-- retired, are left out: their story has an end. Projects whose last news
-- is dated after as_of are left out too. Years are counted as calendar
-- years between the two dates (29 Dec 2008 to 1 Jun 2013 is 5), which
-- needs only the year of a date known to the month or the year. The
-- latest status, with its precision and source, comes from
-- facility_latest_status, without the capacity figures that
-- facility_snapshot would also work out.
SELECT
    f.name AS facility,
    o.name AS operator,
    coalesce(f.country_code, f.region, 'unknown') AS country_or_region,
    ls.status,
    ls.status_on AS last_reported,
    ls.status_precision AS last_reported_precision,
    year($as_of) - year(ls.status_on) AS years_silent,
    ls.source_id
FROM facility_latest_status(NULL) AS ls
JOIN facilities AS f ON f.facility_id = ls.facility_id
LEFT JOIN organisations AS o ON o.org_id = f.operator_org_id
WHERE ls.status IN ('considered', 'announced', 'planned', 'under_construction')
  AND ls.status_on <= $as_of
  AND year($as_of) - year(ls.status_on) >= $years
ORDER BY last_reported, facility;
