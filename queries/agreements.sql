-- title: Agreements between organisations
-- question: Who supplies or partners with whom, on what, since when, and how firm is each agreement?
SELECT
    a.agreement_id,
    a.kind,
    (
        SELECT string_agg(o.name || ' (' || p.role || ')', '; ' ORDER BY p.role DESC, o.name)
        FROM agreement_parties AS p
        JOIN organisations AS o ON o.org_id = p.org_id
        WHERE p.agreement_id = a.agreement_id
    ) AS parties,
    a.status,
    st.firmness,
    a.announced_on,
    a.announced_precision
FROM agreements AS a
JOIN agreement_statuses AS st ON st.status = a.status
ORDER BY st.firmness DESC, a.announced_on NULLS LAST, a.agreement_id;
