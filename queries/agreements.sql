-- title: Agreements between organisations
-- question: Who supplies or partners with whom, on what, since when, and how firm is each agreement?
-- column agreement_id INTEGER: The agreement's id (see the provenance query with table_name=agreements).
-- column kind VARCHAR: What it is about: supply, production, joint_brand or partnership (agreement_kinds).
-- column parties VARCHAR: Each party by name with its role in brackets, separated by '; '.
-- column status VARCHAR: How far it has got, as the source puts it: considered, reported, expected,
--   announced, agreed or active (agreement_statuses).
-- column firmness INTEGER: How firm that status is, from 1 (considered or only reported) to 5 (active).
-- column announced_on DATE: When it was announced or first reported, as the first day of the month or year
--   when only those are known; NULL when no source gives a date.
-- column announced_precision VARCHAR: Precision of announced_on: day, month or year.
-- column source_ids VARCHAR: The sources of the agreement and of its parties' rows, distinct, sorted and
--   joined with ', '.
--
-- One row per agreement, the firmest first, then by the date it was
-- announced (undated ones last). Parties are listed by role, in reverse
-- order of its code (supplier, partner, customer), then by name.
WITH agreement_sources AS (
    SELECT
        a.agreement_id,
        a.source_id
    FROM agreements AS a
    UNION
    SELECT
        p.agreement_id,
        p.source_id
    FROM agreement_parties AS p
)

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
    a.announced_precision,
    (SELECT string_agg(s.source_id, ', ' ORDER BY s.source_id) FROM agreement_sources AS s
     WHERE s.agreement_id = a.agreement_id) AS source_ids
FROM agreements AS a
JOIN agreement_statuses AS st ON st.status = a.status
ORDER BY st.firmness DESC, a.announced_on NULLS LAST, a.agreement_id;
