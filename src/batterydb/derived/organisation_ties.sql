-- organisation_ties() looks stakes up by owner and agreement parties by
-- organisation, but the tables are stored in the order of the owned
-- organisation and of the agreement: partner_network would read all of both
-- on every step of its walk.
CREATE TABLE derived.organisation_ties AS
SELECT org_id, owned_org_id, agreement_id
FROM organisation_ties()
ORDER BY org_id, owned_org_id, agreement_id;
COMMENT ON TABLE derived.organisation_ties IS 'organisation_ties() as built: each organisation''s holdings and agreements.';
COMMENT ON COLUMN derived.organisation_ties.org_id IS 'The organisation; rows are stored in its order.';
COMMENT ON COLUMN derived.organisation_ties.owned_org_id IS 'An organisation it holds a stake in (NULL on an agreement''s row).';
COMMENT ON COLUMN derived.organisation_ties.agreement_id IS 'An agreement it is party to (NULL on a stake''s row).';

CREATE OR REPLACE MACRO organisation_ties() AS TABLE
    SELECT t.org_id, t.owned_org_id, t.agreement_id FROM derived.organisation_ties AS t;
