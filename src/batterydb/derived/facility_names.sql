-- subject_matches(query) folds every facility's id and name (strip_accents
-- over each, 600,000 at scale 1000) to find the plant a parameter names.
CREATE TABLE derived.facility_names AS
SELECT name_key(f.facility_id) AS name_key, f.facility_id FROM facilities AS f
UNION
SELECT name_key(f.name), f.facility_id FROM facilities AS f
ORDER BY name_key, facility_id;
COMMENT ON TABLE derived.facility_names IS 'Every facility''s id and name folded by name_key(), for subject_matches().';
COMMENT ON COLUMN derived.facility_names.name_key IS 'An id or name, folded; rows are stored in its order.';
COMMENT ON COLUMN derived.facility_names.facility_id IS 'The facility it names.';

CREATE OR REPLACE MACRO subject_matches(query) AS TABLE
    SELECT f.facility_id AS id, f.name
    FROM facilities AS f
    WHERE f.facility_id IN (SELECT n.facility_id FROM derived.facility_names AS n WHERE n.name_key = name_key(query))
    UNION
    SELECT o.org_id, o.name
    FROM org_matches(query) AS om
    JOIN organisations AS o ON o.org_id = om.org_id;
