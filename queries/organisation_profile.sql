-- title: Everything known about an organisation
-- question: What does the database know about this organisation: its names, owners and holdings, plants and capacity, targets, money, agreements and people, each with its source?
-- param org ORGANISATION (required): Organisation id, name or alias, in any case, with or without accents.
-- column section VARCHAR: What the row is about: organisation, alias, sector, owner, holding, facility,
--   capacity, target, investment, agreement or person.
-- column item VARCHAR: The name, code or title the row is about.
-- column detail VARCHAR: What the database holds on it, put together from the row's codes, names and figures.
-- column as_of DATE: The date the fact was reported or applies to, as the first day of the month or year when
--   only those are known; NULL when it has none.
-- column as_of_precision VARCHAR: How as_of is known: day, month or year; for a year a source qualifies, year
--   and the qualifier in brackets, e.g. year (before) for a deadline before 2018, year (from) for a capacity
--   from 2009; NULL when as_of is NULL.
-- column source_id VARCHAR: The source of the row's fact (see the provenance query).
-- example: org=Boston-Power
--
-- One row per fact, grouped by section in a fixed order (organisation,
-- alias, sector, owner, holding, facility, capacity, target, investment,
-- agreement, person). as_of is the date the fact was reported or applies
-- to, where there is one: the date a stake was reported, a facility's
-- status was reported (or is expected), an investment or agreement was
-- announced, with the precision its row records; the year of a capacity
-- figure, or of a target's deadline. A year keeps its qualifier in
-- as_of_precision: year alone for "in 2011", year (by), year (before),
-- year (from) or year (not_before) otherwise (capacities.year_qualifier,
-- targets.deadline_qualifier), since 2018-01-01 alone would put a deadline
-- "before 2018" inside 2018. source_id cites the row's fact (see the
-- provenance query); a facility with no status reported cites the facility.
WITH target AS (
    SELECT o.org_id FROM organisations AS o WHERE o.org_id = $org
),

-- The plants the organisation runs, found once for their own rows and their capacity figures.
operated AS (
    SELECT
        f.facility_id,
        f.name,
        f.kind,
        f.area,
        f.region,
        f.country_code,
        f.source_id
    FROM facilities AS f
    JOIN target AS t ON t.org_id = f.operator_org_id
),

-- A capacity figure is either a plant's (counted for the plant's operator) or an organisation's own: each
-- kind is looked up by its own column, rather than joining every figure to its plant before filtering.
own_capacities AS (
    SELECT
        f.name AS item,
        c.*
    FROM operated AS f
    JOIN capacities AS c ON c.facility_id = f.facility_id
    UNION ALL
    SELECT
        o.name AS item,
        c.*
    FROM target AS t
    JOIN organisations AS o ON o.org_id = t.org_id
    JOIN capacities AS c ON c.org_id = t.org_id
    WHERE c.facility_id IS NULL
),

-- The targets the organisation is the scope or a setter of, or that a document it issued sets, each once.
own_targets AS (
    SELECT tg.target_id FROM targets AS tg JOIN target AS t ON t.org_id = tg.scope_org_id
    UNION
    SELECT ts.target_id FROM target_setters AS ts JOIN target AS t ON t.org_id = ts.org_id
    UNION
    SELECT tg.target_id
    FROM document_issuers AS di
    JOIN target AS t ON t.org_id = di.org_id
    JOIN targets AS tg ON tg.document_id = di.document_id
),

-- The investments the organisation received or made, each once.
own_investments AS (
    SELECT i.investment_id FROM investments AS i JOIN target AS t ON t.org_id = i.target_org_id
    UNION
    SELECT v.investment_id FROM investment_investors AS v JOIN target AS t ON t.org_id = v.org_id
),

facts AS (
    SELECT
        1 AS section_order,
        'organisation' AS section,
        o.name AS item,
        concat_ws('; ', o.kind, o.country_code, o.region, o.city, o.note) AS detail,
        CAST(NULL AS DATE) AS as_of,
        CAST(NULL AS VARCHAR) AS as_of_precision,
        o.source_id
    FROM organisations AS o JOIN target AS t ON t.org_id = o.org_id
    UNION ALL
    SELECT
        2,
        'alias',
        a.alias,
        a.kind,
        NULL,
        NULL,
        a.source_id
    FROM organisation_aliases AS a JOIN target AS t ON t.org_id = a.org_id
    UNION ALL
    SELECT
        3,
        'sector',
        os.sector_code,
        concat_ws('; ', os.role, os.note),
        NULL,
        NULL,
        os.source_id
    FROM organisation_sectors AS os JOIN target AS t ON t.org_id = os.org_id
    UNION ALL
    SELECT
        4,
        'owner',
        w.name,
        s.kind || ', ' || CASE WHEN s.qualifier = 'unknown' THEN 'share unknown'
                               ELSE bounds_text(s.qualifier, s.share_pct, s.share_min_pct, s.share_min_exclusive,
                                                s.share_max_pct, s.share_max_exclusive) || '%' END,
        s.reported_on,
        s.reported_precision,
        s.source_id
    FROM ownership_stakes AS s
    JOIN target AS t ON t.org_id = s.owned_org_id
    JOIN organisations AS w ON w.org_id = s.owner_org_id
    UNION ALL
    SELECT
        5,
        'holding',
        h.name,
        s.kind || ', ' || CASE WHEN s.qualifier = 'unknown' THEN 'share unknown'
                               ELSE bounds_text(s.qualifier, s.share_pct, s.share_min_pct, s.share_min_exclusive,
                                                s.share_max_pct, s.share_max_exclusive) || '%' END,
        s.reported_on,
        s.reported_precision,
        s.source_id
    FROM ownership_stakes AS s
    JOIN target AS t ON t.org_id = s.owner_org_id
    JOIN organisations AS h ON h.org_id = s.owned_org_id
    UNION ALL
    SELECT
        6,
        'facility',
        f.name,
        concat_ws('; ', f.kind, coalesce(f.area, f.region), f.country_code,
                  h.status || CASE WHEN h.is_expected THEN ' (expected)' ELSE '' END),
        h.status_on,
        h.status_precision,
        coalesce(h.source_id, f.source_id)
    FROM operated AS f
    LEFT JOIN facility_status_history AS h ON h.facility_id = f.facility_id
    UNION ALL
    SELECT
        7,
        'capacity',
        c.item,
        bounds_text(c.qualifier, c.value, c.value_min, c.value_min_exclusive, c.value_max, c.value_max_exclusive)
        || ' ' || u.name || ', ' || c.basis || ', ' || c.year_qualifier || ' ' || c.year,
        make_date(c.year, 1, 1),
        CASE WHEN c.year_qualifier = 'in' THEN 'year' ELSE 'year (' || c.year_qualifier || ')' END,
        c.source_id
    FROM own_capacities AS c
    JOIN units AS u ON u.unit_code = c.unit_code
    UNION ALL
    SELECT
        8,
        'target',
        tg.metric_code,
        tg.description,
        CASE WHEN tg.deadline_year IS NOT NULL THEN make_date(tg.deadline_year, 1, 1) END,
        CASE WHEN tg.deadline_qualifier = 'in' THEN 'year'
             WHEN tg.deadline_qualifier IS NOT NULL THEN 'year (' || tg.deadline_qualifier || ')' END,
        tg.source_id
    FROM targets AS tg
    WHERE tg.target_id IN (SELECT ot.target_id FROM own_targets AS ot)
    UNION ALL
    SELECT
        9,
        'investment',
        i.purpose,
        CASE WHEN i.qualifier = 'unknown' THEN 'amount not disclosed'
             ELSE bounds_text(i.qualifier, i.amount, i.amount_min, i.amount_min_exclusive, i.amount_max,
                              i.amount_max_exclusive) || ' ' || i.currency_code END
        || CASE WHEN i.target_org_id IN (SELECT t.org_id FROM target AS t) THEN ', received' ELSE ', invested' END,
        i.announced_on,
        i.announced_precision,
        i.source_id
    FROM investments AS i
    WHERE i.investment_id IN (SELECT oi.investment_id FROM own_investments AS oi)
    UNION ALL
    SELECT
        10,
        'agreement',
        a.kind || ' (' || p.role || ')',
        a.subject || ' [' || a.status || ']',
        a.announced_on,
        a.announced_precision,
        a.source_id
    FROM agreements AS a
    JOIN agreement_parties AS p ON p.agreement_id = a.agreement_id
    JOIN target AS t ON t.org_id = p.org_id
    UNION ALL
    SELECT
        11,
        'person',
        pe.name,
        concat_ws(', ', r.title, r.city),
        NULL,
        NULL,
        r.source_id
    FROM person_roles AS r
    JOIN target AS t ON t.org_id = r.org_id
    JOIN people AS pe ON pe.person_id = r.person_id
)

SELECT
    f.section,
    f.item,
    f.detail,
    f.as_of,
    f.as_of_precision,
    f.source_id
FROM facts AS f
ORDER BY f.section_order, f.as_of NULLS LAST, f.item, f.detail;
