-- org_matches(query) folds every name and alias (strip_accents over each)
-- to find the organisation a parameter names.
CREATE TABLE derived.organisation_names AS
SELECT name_key(o.org_id) AS name_key, o.org_id FROM organisations AS o
UNION
SELECT name_key(o.name), o.org_id FROM organisations AS o
UNION
SELECT name_key(a.alias), a.org_id FROM organisation_aliases AS a
ORDER BY name_key, org_id;
COMMENT ON TABLE derived.organisation_names IS 'Every organisation''s id, name and aliases folded by name_key(), for org_matches().';
COMMENT ON COLUMN derived.organisation_names.name_key IS 'An id, name or alias, folded; rows are stored in its order.';
COMMENT ON COLUMN derived.organisation_names.org_id IS 'The organisation it names.';

CREATE OR REPLACE MACRO org_matches(query) AS TABLE
    SELECT DISTINCT n.org_id FROM derived.organisation_names AS n WHERE n.name_key = name_key(query);
