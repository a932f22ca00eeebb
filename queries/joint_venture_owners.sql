-- title: Owners of each joint venture
-- question: Who holds the stakes in each joint venture, with what share, and how much of it is left undisclosed?
--
-- A share the source does not give is shown as "unknown", never as zero. The
-- undisclosed remainder is worked out per reporting date, and only when
-- every partner's share reported on that date is an exact figure;
-- otherwise it is NULL.
WITH jv_stakes AS (
    SELECT
        jv.name AS joint_venture,
        owner.name AS owner,
        s.share_pct AS share_value,
        bounds_text(
            s.qualifier, s.share_pct, s.share_min_pct, s.share_min_exclusive,
            s.share_max_pct, s.share_max_exclusive
        ) AS share,
        s.reported_on,
        bool_and(s.qualifier = 'exact') OVER (PARTITION BY s.owned_org_id, s.reported_on) AS all_exact,
        sum(s.share_pct) OVER (PARTITION BY s.owned_org_id, s.reported_on) AS disclosed_total
    FROM ownership_stakes AS s
    JOIN organisations AS jv ON jv.org_id = s.owned_org_id
    JOIN organisations AS owner ON owner.org_id = s.owner_org_id
    WHERE jv.kind = 'joint_venture'
)
SELECT
    joint_venture,
    owner,
    share AS share_pct,
    CASE WHEN all_exact THEN number_text(disclosed_total) END AS disclosed_total_pct,
    CASE WHEN all_exact THEN number_text(100 - disclosed_total) END AS undisclosed_pct,
    reported_on
FROM jv_stakes
ORDER BY joint_venture, share_value DESC NULLS LAST, owner;
