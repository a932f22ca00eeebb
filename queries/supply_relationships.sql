-- title: Who supplies whom
-- question: Which organisation supplies which customer, under which agreement, how firm is it, since when and from which facility?
-- param org ORGANISATION = NULL: Only pairs with this organisation as supplier or customer (id, name or alias, in any case, with or without accents); NULL for all.
-- column supplier VARCHAR: The supplier.
-- column customer VARCHAR: The customer.
-- column agreement_id INTEGER: The agreement's id.
-- column kind VARCHAR: What kind of agreement: supply, production, joint_brand or partnership.
-- column status VARCHAR: How far the agreement had got when reported (agreement_statuses).
-- column firmness INTEGER: How firm that status is, from 1 (considered or reported) to 5 (active).
-- column announced_on DATE: When it was announced, as the first day of the month or year when known only to those.
-- column announced_precision VARCHAR: How precisely announced_on is known: day, month or year.
-- column start_year INTEGER: The year it is to start or started, where given.
-- column facility VARCHAR: The plant it concerns, where there is one.
-- column subject VARCHAR: What it is about, in our words.
-- column source_id VARCHAR: The source of the agreement (see the provenance query).
-- example: org=AESC
--
-- One row per supplier and customer of the same agreement: every party in
-- the supplier role paired with every party in the customer role, whatever
-- the agreement's kind. Agreements between partners only give no row. When
-- the same two organisations meet in several agreements, each agreement is
-- its own row, since status, date and facility are the agreement's. The
-- status and firmness (agreement_statuses: 1 least firm, 5 in force) are
-- those of the agreement as of its source, so a row may be only a
-- possibility a party was studying. Sorted by supplier, customer, then
-- agreement. With org given, only the parties of its agreements are paired,
-- and names and plants are looked up for the pairs made.
-- the supplier and customer parties of the agreements asked for: with an
-- organisation given, only the agreements it is a party to, so that the
-- pairs below are made from a few rows rather than from every party
WITH parties AS (
    SELECT p.agreement_id, p.org_id, p.role
    FROM agreement_parties AS p
    WHERE p.role IN ('supplier', 'customer')
      AND ($org IS NULL OR p.agreement_id IN (
              SELECT mine.agreement_id
              FROM agreement_parties AS mine
              WHERE mine.org_id = $org))
),

pairs AS (
    SELECT sp.agreement_id, sp.org_id AS supplier_id, cp.org_id AS customer_id
    FROM parties AS sp
    JOIN parties AS cp ON cp.agreement_id = sp.agreement_id AND cp.role = 'customer'
    WHERE sp.role = 'supplier'
      AND ($org IS NULL OR sp.org_id = $org OR cp.org_id = $org)
),

-- the names of the organisations in those pairs, looked up once for both
-- sides
names AS (
    SELECT o.org_id, o.name
    FROM organisations AS o
    WHERE o.org_id IN (SELECT pr.supplier_id FROM pairs AS pr UNION ALL SELECT pr.customer_id FROM pairs AS pr)
),

-- the plants of those agreements: a semi-join, so that a few agreements
-- look up a few plants rather than scanning every one
plants AS (
    SELECT f.facility_id, f.name
    FROM facilities AS f
    WHERE f.facility_id IN (
        SELECT a.facility_id
        FROM agreements AS a
        WHERE a.agreement_id IN (SELECT pr.agreement_id FROM pairs AS pr))
)

SELECT
    supplier.name AS supplier,
    customer.name AS customer,
    a.agreement_id,
    a.kind,
    a.status,
    st.firmness,
    a.announced_on,
    a.announced_precision,
    a.start_year,
    f.name AS facility,
    a.subject,
    a.source_id
FROM pairs AS pr
JOIN agreements AS a ON a.agreement_id = pr.agreement_id
JOIN agreement_statuses AS st ON st.status = a.status
JOIN names AS supplier ON supplier.org_id = pr.supplier_id
JOIN names AS customer ON customer.org_id = pr.customer_id
LEFT JOIN plants AS f ON f.facility_id = a.facility_id
ORDER BY supplier.name, customer.name, a.agreement_id;
