-- stake_bounds() ranks every stake to find each owner's latest one: the
-- ownership queries call it on every walk.
CREATE TABLE derived.stake_bounds AS
SELECT owner_org_id, owned_org_id, low, high, exact
FROM stake_bounds()
ORDER BY owned_org_id, owner_org_id;
COMMENT ON TABLE derived.stake_bounds IS 'stake_bounds() as built: each owner''s latest reported stake in each organisation, as fractions.';
COMMENT ON COLUMN derived.stake_bounds.owner_org_id IS 'The owner.';
COMMENT ON COLUMN derived.stake_bounds.owned_org_id IS 'The organisation owned; rows are stored in its order.';
COMMENT ON COLUMN derived.stake_bounds.low IS 'Least share the stake can be, as a fraction (0 when unknown).';
COMMENT ON COLUMN derived.stake_bounds.high IS 'Greatest share the stake can be, as a fraction (1 when unknown).';
COMMENT ON COLUMN derived.stake_bounds.exact IS 'Whether the source gives the share exactly.';

CREATE OR REPLACE MACRO stake_bounds() AS TABLE
    SELECT s.owner_org_id, s.owned_org_id, s.low, s.high, s.exact FROM derived.stake_bounds AS s;
