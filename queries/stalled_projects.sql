-- title: Projects with no news
-- question: Which plant projects that were considered, announced, planned or being built have had no news for years, and may have stalled?
-- param as_of DATE = current_date: Date from which the silence is measured (today by default).
-- param years INTEGER = 3 (at least 0): Silence, in whole years, that makes a project worth a second look.
-- column facility VARCHAR
-- column operator VARCHAR
-- column country_or_region VARCHAR
-- column status VARCHAR
-- column last_reported DATE
-- column years_silent BIGINT
--
-- A project's last news is the latest status reported for it (expected
-- statuses do not count). Plants already operating, or halted, cancelled or
-- retired, are left out: their story has an end. Projects whose last news
-- is dated after as_of are left out too. Years are counted as calendar
-- years between the two dates (29 Dec 2008 to 1 Jun 2013 is 5).
SELECT
    fs.name AS facility,
    o.name AS operator,
    coalesce(fs.country_code, fs.region, 'unknown') AS country_or_region,
    fs.status,
    fs.status_on AS last_reported,
    year($as_of) - year(fs.status_on) AS years_silent
FROM facility_snapshot(NULL) AS fs
LEFT JOIN organisations AS o ON o.org_id = fs.operator_org_id
WHERE fs.status IN ('considered', 'announced', 'planned', 'under_construction')
  AND fs.status_on <= $as_of
  AND year($as_of) - year(fs.status_on) >= $years
ORDER BY last_reported, facility;
