-- What does BODS need to state each ownership stake as a relationship? One
-- row per stake, in id order: who owns whom, the interest type its kind
-- maps to (stake_kinds), the share as stored (an exact share, or its bounds
-- with whether each is excluded; all NULL when the source gives none), the
-- date it was reported, and its source. Then one row per joint venture and
-- reporting date whose stated shares leave part of it undisclosed (the
-- joint_venture_owners query's remainder), with no owner and the least and
-- most the remainder can be. Each with a digest of all of it, which changes
-- when anything the statement says does.
WITH relationships AS (
    SELECT
        CAST(st.stake_id AS VARCHAR) AS relationship_key,
        st.owned_org_id,
        st.owner_org_id,
        sk.bods_interest_type,
        st.qualifier,
        st.share_pct,
        st.share_min_pct,
        st.share_min_exclusive,
        st.share_max_pct,
        st.share_max_exclusive,
        st.reported_on,
        st.reported_precision,
        s.source_id,
        s.title AS source_title,
        s.publisher_note AS source_publisher_note,
        s.file_name AS source_file_name,
        s.published_on AS source_published_on,
        date_text(s.published_on, s.published_precision) AS source_published_text,
        srk.bods_source_type
    FROM ownership_stakes AS st
    JOIN stake_kinds AS sk ON sk.kind = st.kind
    JOIN sources AS s ON s.source_id = st.source_id
    JOIN source_kinds AS srk ON srk.kind = s.kind

    UNION ALL

    SELECT
        'undisclosed/' || r.owned_org_id || '/' || CAST(r.reported_on AS VARCHAR) AS relationship_key,
        r.owned_org_id,
        NULL AS owner_org_id,
        'shareholding' AS bods_interest_type,
        CASE WHEN r.share_min_pct = r.share_max_pct THEN 'exact' ELSE 'range' END AS qualifier,
        CASE WHEN r.share_min_pct = r.share_max_pct THEN r.share_min_pct END AS share_pct,
        CASE WHEN r.share_min_pct <> r.share_max_pct THEN r.share_min_pct END AS share_min_pct,
        false AS share_min_exclusive,
        CASE WHEN r.share_min_pct <> r.share_max_pct THEN r.share_max_pct END AS share_max_pct,
        false AS share_max_exclusive,
        r.reported_on,
        r.reported_precision,
        NULL AS source_id,
        NULL AS source_title,
        NULL AS source_publisher_note,
        NULL AS source_file_name,
        NULL AS source_published_on,
        NULL AS source_published_text,
        NULL AS bods_source_type
    FROM (
        SELECT
            jv.org_id AS owned_org_id,
            o.reported_on,
            o.reported_precision,
            o.share_min_pct,
            o.share_max_pct
        FROM analytics.joint_venture_owners() AS o
        JOIN organisations AS jv ON jv.name = o.joint_venture
        WHERE o.owner IS NULL
    ) AS r
)

SELECT
    rel.*,
    sha256(CAST(rel AS VARCHAR)) AS row_digest
FROM relationships AS rel
ORDER BY rel.owner_org_id IS NULL, TRY_CAST(rel.relationship_key AS INTEGER), rel.relationship_key;
