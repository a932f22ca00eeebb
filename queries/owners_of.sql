-- title: Direct owners of an organisation
-- question: Who owns this organisation directly, with what share, and how much of it is left undisclosed?
-- param org ORGANISATION (required): Organisation id, name or alias, in any case, with or without accents.
-- column organisation VARCHAR: The organisation asked about.
-- column owner VARCHAR: A direct owner; NULL on the row of the undisclosed remainder.
-- column tie VARCHAR: The kind of stake (ownership_stakes.kind), or undisclosed for the remainder.
-- column share_as_stated VARCHAR: The share as the source gives it, e.g. 51, about 20, unknown.
-- column share_min_pct DECIMAL(9,6): The least the share can be, in percent; NULL when the source gives no share.
-- column share_max_pct DECIMAL(9,6): The most the share can be, in percent; NULL when the source gives no share.
-- column reported_on DATE: The date the stake was reported.
-- column source_id VARCHAR: The source of the stake (see the provenance query); NULL for the remainder, which is worked out.
-- example: org=beijing_era
--
-- One row per stake, and one more (owner NULL, tie "undisclosed") when the
-- stakes reported on one date leave part of the organisation unaccounted
-- for. A share the source does not give is NULL in share_min_pct and
-- share_max_pct, never zero; for the remainder it counts as anything from 0
-- to 100%, so the remainder is shown only when it is certainly above zero.
WITH target AS (
    SELECT o.org_id FROM organisations AS o WHERE o.org_id = $org
),

stakes AS (
    SELECT
        s.owned_org_id,
        s.owner_org_id,
        s.kind,
        s.qualifier,
        s.share_pct,
        s.share_min_pct,
        s.share_min_exclusive,
        s.share_max_pct,
        s.share_max_exclusive,
        s.reported_on,
        s.source_id
    FROM ownership_stakes AS s
    JOIN target AS t ON t.org_id = s.owned_org_id
),

remainders AS (
    SELECT
        st.owned_org_id,
        st.reported_on,
        greatest(0, 100 - sum(coalesce(st.share_pct, st.share_max_pct, 100))) AS low,
        100 - sum(coalesce(st.share_pct, st.share_min_pct, 0)) AS high
    FROM stakes AS st
    GROUP BY st.owned_org_id, st.reported_on
),

owners AS (
    SELECT
        owned.name AS organisation,
        owner.name AS owner,
        st.kind AS tie,
        bounds_text(
            st.qualifier, st.share_pct, st.share_min_pct, st.share_min_exclusive,
            st.share_max_pct, st.share_max_exclusive
        ) AS share_as_stated,
        lower_bound(st.share_pct, st.share_min_pct) AS share_min_pct,
        upper_bound(st.share_pct, st.share_max_pct) AS share_max_pct,
        st.reported_on,
        st.source_id
    FROM stakes AS st
    JOIN organisations AS owned ON owned.org_id = st.owned_org_id
    JOIN organisations AS owner ON owner.org_id = st.owner_org_id

    UNION ALL

    SELECT
        owned.name AS organisation,
        NULL AS owner,
        'undisclosed' AS tie,
        CASE WHEN r.low = r.high THEN number_text(r.low)
             ELSE number_text(r.low) || ' to ' || number_text(r.high) END AS share_as_stated,
        CAST(r.low AS DECIMAL(9, 6)) AS share_min_pct,
        CAST(r.high AS DECIMAL(9, 6)) AS share_max_pct,
        r.reported_on,
        NULL AS source_id
    FROM remainders AS r
    JOIN organisations AS owned ON owned.org_id = r.owned_org_id
    WHERE r.low > 0
)

SELECT
    o.organisation,
    o.owner,
    o.tie,
    o.share_as_stated,
    o.share_min_pct,
    o.share_max_pct,
    o.reported_on,
    o.source_id
FROM owners AS o
ORDER BY o.organisation, o.reported_on, o.owner IS NULL, o.share_min_pct DESC NULLS LAST, o.owner;
