-- title: Owners of each joint venture
-- question: Who holds the stakes in each joint venture, with what share, and how much of it is left undisclosed?
-- column joint_venture VARCHAR: The joint venture (an organisation of kind joint_venture).
-- column owner VARCHAR: A partner holding a stake in it; NULL on the row of the undisclosed remainder.
-- column tie VARCHAR: The kind of stake (ownership_stakes.kind), or undisclosed for the remainder.
-- column share_as_stated VARCHAR: The share as the source gives it, e.g. 51, about 20, unknown; for the
--   remainder, the percentage or range of percentages the reported stakes leave over.
-- column share_min_pct DECIMAL(9,6): The least the share can be, in percent; NULL when the source gives no share.
-- column share_max_pct DECIMAL(9,6): The most the share can be, in percent; NULL when the source gives no share.
-- column reported_on DATE: The date the stake was reported, as the first day of the month or year when only
--   those are known.
-- column reported_precision VARCHAR: Precision of reported_on: day, month or year.
-- column source_id VARCHAR: The source of the stake (see the provenance query); NULL for the remainder, which
--   is worked out from the stakes above it.
--
-- One row per stake in an organisation of kind joint_venture, and one more
-- per joint venture and reporting date (owner NULL, tie "undisclosed") when
-- the stakes reported on that date leave part of it unaccounted for, as
-- owners_of does for one organisation. A share the source does not give is
-- "unknown" in share_as_stated and NULL in share_min_pct and share_max_pct,
-- never zero; for the remainder it counts as anything from 0 to 100%, so the
-- remainder is shown only when it is certainly above zero (the three
-- partners of AESC, whose shares are unknown, leave none), with its bounds
-- when the shares are bounds. The remainder's precision is the coarsest of
-- its stakes' (max() picks it: day < month < year). Rows come by joint
-- venture, then reporting date, the remainder after the stakes of its date,
-- the largest share first.
WITH stakes AS (
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
        s.reported_precision,
        s.source_id
    FROM ownership_stakes AS s
    JOIN organisations AS jv ON jv.org_id = s.owned_org_id
    WHERE jv.kind = 'joint_venture'
),

remainders AS (
    SELECT
        st.owned_org_id,
        st.reported_on,
        max(st.reported_precision) AS reported_precision,
        greatest(0, 100 - sum(coalesce(st.share_pct, st.share_max_pct, 100))) AS low,
        100 - sum(coalesce(st.share_pct, st.share_min_pct, 0)) AS high
    FROM stakes AS st
    GROUP BY st.owned_org_id, st.reported_on
),

owners AS (
    SELECT
        jv.name AS joint_venture,
        owner.name AS owner,
        st.kind AS tie,
        bounds_text(
            st.qualifier, st.share_pct, st.share_min_pct, st.share_min_exclusive,
            st.share_max_pct, st.share_max_exclusive
        ) AS share_as_stated,
        lower_bound(st.share_pct, st.share_min_pct) AS share_min_pct,
        upper_bound(st.share_pct, st.share_max_pct) AS share_max_pct,
        st.reported_on,
        st.reported_precision,
        st.source_id
    FROM stakes AS st
    JOIN organisations AS jv ON jv.org_id = st.owned_org_id
    JOIN organisations AS owner ON owner.org_id = st.owner_org_id

    UNION ALL

    SELECT
        jv.name AS joint_venture,
        NULL AS owner,
        'undisclosed' AS tie,
        CASE WHEN r.low = r.high THEN number_text(r.low)
             ELSE number_text(r.low) || ' to ' || number_text(r.high) END AS share_as_stated,
        CAST(r.low AS DECIMAL(9, 6)) AS share_min_pct,
        CAST(r.high AS DECIMAL(9, 6)) AS share_max_pct,
        r.reported_on,
        r.reported_precision,
        NULL AS source_id
    FROM remainders AS r
    JOIN organisations AS jv ON jv.org_id = r.owned_org_id
    WHERE r.low > 0
)

SELECT
    o.joint_venture,
    o.owner,
    o.tie,
    o.share_as_stated,
    o.share_min_pct,
    o.share_max_pct,
    o.reported_on,
    o.reported_precision,
    o.source_id
FROM owners AS o
ORDER BY o.joint_venture, o.reported_on, o.owner IS NULL, o.share_min_pct DESC NULLS LAST, o.owner;
