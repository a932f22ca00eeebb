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
-- agreement.
SELECT
    supplier.name AS supplier,
    customer.name AS customer,
    a.agreement_id,
    a.kind,
    a.status,
    a.firmness,
    a.announced_on,
    a.announced_precision,
    a.start_year,
    a.facility,
    a.subject,
    a.source_id
FROM agreement_details() AS a
JOIN agreement_parties AS sp ON sp.agreement_id = a.agreement_id AND sp.role = 'supplier'
JOIN agreement_parties AS cp ON cp.agreement_id = a.agreement_id AND cp.role = 'customer'
JOIN organisations AS supplier ON supplier.org_id = sp.org_id
JOIN organisations AS customer ON customer.org_id = cp.org_id
WHERE $org IS NULL
   OR sp.org_id = $org
   OR cp.org_id = $org
ORDER BY supplier.name, customer.name, a.agreement_id;
