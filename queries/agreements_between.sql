-- title: Agreements of an organisation, or between two
-- question: Which agreements has an organisation, or a pair of organisations, entered into: of what kind, with whom in which role, how firm and since when?
-- param org ORGANISATION = NULL: Only agreements this organisation is a party to (id, name or alias, in any case, with or without accents); NULL for all.
-- param other_org ORGANISATION = NULL: Only agreements this organisation is also a party to, to see what two organisations have agreed between them; NULL for any.
-- param kinds VARCHAR[] = NULL: Only agreements of these kinds (supply, production, joint_brand, partnership); NULL for all.
-- param min_firmness INTEGER = NULL (1 to 5): Only agreements at least this firm (1 considered or reported ... 5 active); NULL for all.
-- column agreement_id INTEGER: The agreement's id.
-- column kind VARCHAR: What kind of agreement: supply, production, joint_brand or partnership.
-- column parties VARCHAR: Every party with its role, as Name (role), joined with '; '.
-- column status VARCHAR: How far the agreement had got when reported (agreement_statuses).
-- column firmness INTEGER: How firm that status is, from 1 (considered or reported) to 5 (active).
-- column announced_on DATE: When it was announced, as the first day of the month or year when known only to those.
-- column announced_precision VARCHAR: How precisely announced_on is known: day, month or year.
-- column start_year INTEGER: The year it is to start or started, where given.
-- column facility VARCHAR: The plant it concerns, where there is one.
-- column subject VARCHAR: What it is about, in our words.
-- column source_id VARCHAR: The source of the agreement (see the provenance query).
-- example: org=CATL
--
-- One row per agreement, in the order they were announced (undated ones
-- last, by id). parties lists every party with its role, suppliers first,
-- then partners and customers, as "Name (role)". org and other_org match an
-- organisation by id, name or alias (an organisation parameter); each filter left
-- NULL does not filter. Both org and other_org given: agreements with both
-- among the parties. firmness comes from agreement_statuses (1 least firm,
-- 5 in force); announced_on is the first day of the month or year when the
-- date is known only to those (see announced_precision). The agreements
-- are chosen first and only theirs have their parties looked up, so that
-- one organisation's agreements cost a few lookups.
WITH chosen AS (
    SELECT d.*
    FROM agreement_details() AS d
    WHERE ($org IS NULL OR d.agreement_id IN (
              SELECT p.agreement_id
              FROM agreement_parties AS p
              WHERE p.org_id = $org))
      AND ($other_org IS NULL OR d.agreement_id IN (
              SELECT p.agreement_id
              FROM agreement_parties AS p
              WHERE p.org_id = $other_org))
      AND ($kinds IS NULL OR list_contains($kinds, d.kind))
      AND ($min_firmness IS NULL OR d.firmness >= $min_firmness)
),

parties AS (
    SELECT
        p.agreement_id,
        string_agg(o.name || ' (' || p.role || ')', '; '
                   ORDER BY CASE p.role WHEN 'supplier' THEN 1 WHEN 'partner' THEN 2 ELSE 3 END, o.name) AS names
    FROM chosen AS c
    JOIN agreement_parties AS p ON p.agreement_id = c.agreement_id
    JOIN organisations AS o ON o.org_id = p.org_id
    GROUP BY p.agreement_id
)

SELECT
    c.agreement_id,
    c.kind,
    pa.names AS parties,
    c.status,
    c.firmness,
    c.announced_on,
    c.announced_precision,
    c.start_year,
    c.facility,
    c.subject,
    c.source_id
FROM chosen AS c
LEFT JOIN parties AS pa ON pa.agreement_id = c.agreement_id
ORDER BY c.announced_on NULLS LAST, c.agreement_id;
