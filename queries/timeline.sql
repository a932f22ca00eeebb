-- title: Timeline of dated events
-- question: What happened, or was expected to happen, when, to whom, and which source says so?
-- param from_date DATE = NULL: Only events that can fall on or after this date; NULL for no lower limit.
-- param to_date DATE = NULL: Only events that can fall on or before this date; NULL for no upper limit.
-- column event_on DATE: When it happened or is due, as the first day of the month or year when only those are
--   known.
-- column event_precision VARCHAR: Precision of event_on: day, month or year.
-- column event_kind VARCHAR: What kind of event it is (see the list below).
-- column organisations VARCHAR: The organisations involved, by name, in alphabetical order, separated by '; '.
-- column description VARCHAR: What happened, put together from the row's codes, names and figures.
-- column source_id VARCHAR: The source of the event's row (see the provenance query).
-- example: from_date=2024-01-01
--
-- One row per dated event, of these kinds:
--   source published          a source with a publication date (organisations:
--                             its publisher, when known);
--   stake reported            an ownership stake on the date it was reported;
--   facility status reported  a lifecycle status a source reports for a plant;
--   facility status expected  a status a source expects a plant to reach;
--   investment announced      an investment with its announcement date;
--   agreement announced       an agreement with the date it was announced or
--                             first reported (possibly only as considered);
--   document issued           a policy document with its date of issue;
--   target deadline           the year a target is to be met by (or before);
--   target start              the year a target starts to apply.
-- Targets are included because their years place the aims on the same line
-- as what happened; their kinds say they are aims, not events that took
-- place; a deadline sits in the year the source names, with its "by" or
-- "before" in the description. Not included: capacity years (a figure for
-- a year, not an event), agreements' start years, and anything undated.
--
-- Dates keep their precision: an event known only to the month or the year
-- is at the first day of it, with event_precision saying so. Events are
-- sorted by that date, then the more precise first (on the same first day
-- of a month, the day-dated event is the more likely to come first), then
-- by kind and description. from_date and to_date keep every event whose
-- period can overlap the window: March 2024 (month) is kept for a window
-- ending on 10 March 2024. organisations lists the names involved, in
-- alphabetical order; description is put together from the row's codes,
-- names and figures.
WITH setters AS (
    SELECT
        ts.target_id,
        ts.name
    FROM target_setters_named() AS ts
),

target_text AS (
    SELECT
        t.target_id,
        t.metric_code || ': ' || CASE
            WHEN t.qualifier = 'unknown' THEN 'milestone'
            ELSE bounds_text(t.qualifier, t.value, t.value_min, t.value_min_exclusive,
                             t.value_max, t.value_max_exclusive) || ' ' || u.name
        END AS what,
        (SELECT string_agg(DISTINCT s.name, '; ' ORDER BY s.name) FROM setters AS s
         WHERE s.target_id = t.target_id) AS set_by
    FROM targets AS t
    LEFT JOIN units AS u ON u.unit_code = t.unit_code
),

-- the investor and the invested-in organisation of each investment, as one list of names
investment_organisations AS (
    SELECT
        involved.investment_id,
        string_agg(DISTINCT o.name, '; ' ORDER BY o.name) AS names
    FROM (
        SELECT
            i.investment_id,
            i.target_org_id AS org_id
        FROM investments AS i
        UNION
        SELECT
            ii.investment_id,
            ii.org_id
        FROM investment_investors AS ii
    ) AS involved
    JOIN organisations AS o ON o.org_id = involved.org_id
    GROUP BY involved.investment_id
),

events AS (
    SELECT
        s.published_on AS event_on,
        s.published_precision AS event_precision,
        'source published' AS event_kind,
        publisher.name AS organisations,
        s.kind || coalesce(': ' || s.title, '') AS description,
        s.source_id
    FROM sources AS s
    LEFT JOIN source_publishers AS sp ON sp.source_id = s.source_id
    LEFT JOIN organisations AS publisher ON publisher.org_id = sp.org_id
    WHERE s.published_on IS NOT NULL

    UNION ALL

    SELECT
        st.reported_on,
        st.reported_precision,
        'stake reported',
        least(owner.name, owned.name) || '; ' || greatest(owner.name, owned.name),
        owner.name || ' holds '
        || CASE WHEN st.qualifier = 'unknown' THEN 'an undisclosed share'
                ELSE bounds_text(st.qualifier, st.share_pct, st.share_min_pct, st.share_min_exclusive,
                                 st.share_max_pct, st.share_max_exclusive) || '%' END
        || ' of ' || owned.name || ' (' || st.kind || ')',
        st.source_id
    FROM ownership_stakes AS st
    JOIN organisations AS owner ON owner.org_id = st.owner_org_id
    JOIN organisations AS owned ON owned.org_id = st.owned_org_id

    UNION ALL

    SELECT
        h.status_on,
        h.status_precision,
        CASE WHEN h.is_expected THEN 'facility status expected' ELSE 'facility status reported' END,
        operator.name,
        f.name || ': ' || CASE WHEN h.is_expected THEN 'expected ' ELSE '' END || h.status,
        h.source_id
    FROM facility_status_history AS h
    JOIN facilities AS f ON f.facility_id = h.facility_id
    LEFT JOIN organisations AS operator ON operator.org_id = f.operator_org_id

    UNION ALL

    SELECT
        i.announced_on,
        i.announced_precision,
        'investment announced',
        io.names,
        'investment of '
        || CASE WHEN i.qualifier = 'unknown' THEN 'an undisclosed amount'
                ELSE bounds_text(i.qualifier, i.amount, i.amount_min, i.amount_min_exclusive,
                                 i.amount_max, i.amount_max_exclusive) || ' ' || i.currency_code END
        || coalesce(' in ' || target_org.name, '')
        || coalesce(' in ' || target_facility.name, '')
        || coalesce(' over ' || i.period_years || ' years', ''),
        i.source_id
    FROM investments AS i
    LEFT JOIN investment_organisations AS io ON io.investment_id = i.investment_id
    LEFT JOIN organisations AS target_org ON target_org.org_id = i.target_org_id
    LEFT JOIN facilities AS target_facility ON target_facility.facility_id = i.target_facility_id
    WHERE i.announced_on IS NOT NULL

    UNION ALL

    SELECT
        a.announced_on,
        a.announced_precision,
        'agreement announced',
        (SELECT string_agg(DISTINCT o.name, '; ' ORDER BY o.name)
         FROM agreement_parties AS p
         JOIN organisations AS o ON o.org_id = p.org_id
         WHERE p.agreement_id = a.agreement_id),
        a.kind || ' agreement ' || a.agreement_id || ' (' || a.status || ')',
        a.source_id
    FROM agreements AS a
    WHERE a.announced_on IS NOT NULL

    UNION ALL

    SELECT
        d.issued_on,
        d.issued_precision,
        'document issued',
        (SELECT string_agg(DISTINCT o.name, '; ' ORDER BY o.name)
         FROM document_issuers AS di
         JOIN organisations AS o ON o.org_id = di.org_id
         WHERE di.document_id = d.document_id),
        d.kind || ': ' || d.title,
        d.source_id
    FROM documents AS d
    WHERE d.issued_on IS NOT NULL

    UNION ALL

    SELECT
        make_date(t.deadline_year, 1, 1),
        'year',
        'target deadline',
        tt.set_by,
        tt.what || ' ' || t.deadline_qualifier || ' ' || t.deadline_year,
        t.source_id
    FROM targets AS t
    JOIN target_text AS tt ON tt.target_id = t.target_id
    WHERE t.deadline_year IS NOT NULL

    UNION ALL

    SELECT
        make_date(t.start_year, 1, 1),
        'year',
        'target start',
        tt.set_by,
        tt.what || ' from ' || t.start_year,
        t.source_id
    FROM targets AS t
    JOIN target_text AS tt ON tt.target_id = t.target_id
    WHERE t.start_year IS NOT NULL
)

SELECT
    e.event_on,
    e.event_precision,
    e.event_kind,
    e.organisations,
    e.description,
    e.source_id
FROM events AS e
WHERE ($from_date IS NULL
       OR CASE e.event_precision
              WHEN 'day' THEN e.event_on
              WHEN 'month' THEN CAST(e.event_on + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE)
              ELSE CAST(e.event_on + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE)
          END >= $from_date)
  AND ($to_date IS NULL OR e.event_on <= $to_date)
ORDER BY
    e.event_on,
    CASE e.event_precision WHEN 'day' THEN 1 WHEN 'month' THEN 2 ELSE 3 END,
    e.event_kind,
    e.description;
