-- title: Gaps in the data
-- question: Where is the database incomplete or vague: stakes that do not add up, plants without capacity, figures known only as bounds, organisations without a country, targets with nothing to compare against?
-- column gap VARCHAR: The kind of gap: stakes below 100%, facility without capacity, vague figure,
--   organisation without country or target without reported figure.
-- column table_name VARCHAR: The table of the row to look at.
-- column row_id VARCHAR: That row's key as text (see the provenance query); for stakes below 100%, the
--   first of the stakes reported on that date.
-- column subject VARCHAR: What the row is about: an organisation, a plant, a metric or a purpose.
-- column detail VARCHAR: What is missing or vague, in words.
-- column source_ids VARCHAR: The sources of the rows the gap rests on (for stakes below 100%, every stake
--   reported on that date; otherwise the one row), distinct, sorted and joined with ', '.
--
-- A to-do list for whoever adds sources. "Vague figure" covers every value
-- held as bounds, an approximation or unknown (anything but an exact
-- figure). A target counts as having nothing to compare against when no
-- reported figure shares its metric (or the metric it adds up) and scope,
-- and, for a country's capacity target, no plant in that country has a
-- capacity figure. The string_agg of the stakes' sources sorts NULLS
-- FIRST, which changes nothing (it skips NULLs) but is the order sqlglot
-- can write for BigQuery.
WITH stake_totals AS (
    SELECT
        s.owned_org_id,
        s.reported_on,
        min(s.stake_id) AS first_stake,
        string_agg(DISTINCT s.source_id, ', ' ORDER BY s.source_id NULLS FIRST) AS source_ids,
        bool_and(coalesce(s.share_pct, s.share_max_pct) IS NOT NULL) AS all_bounded,
        sum(coalesce(s.share_pct, s.share_max_pct)) AS total_max
    FROM ownership_stakes AS s
    GROUP BY s.owned_org_id, s.reported_on
),

vague AS (
    SELECT
        'ownership_stakes' AS table_name,
        CAST(s.stake_id AS VARCHAR) AS row_id,
        w.name || ' in ' || o.name AS subject,
        'share ' || bounds_text(s.qualifier, s.share_pct, s.share_min_pct, s.share_min_exclusive,
                                s.share_max_pct, s.share_max_exclusive) AS detail,
        s.source_id,
        s.qualifier
    FROM ownership_stakes AS s
    JOIN organisations AS o ON o.org_id = s.owned_org_id
    JOIN organisations AS w ON w.org_id = s.owner_org_id
    UNION ALL
    SELECT
        'capacities',
        CAST(c.capacity_id AS VARCHAR),
        coalesce(f.name, o.name),
        bounds_text(c.qualifier, c.value, c.value_min, c.value_min_exclusive, c.value_max, c.value_max_exclusive)
        || ' ' || c.unit_code,
        c.source_id,
        c.qualifier
    FROM capacities AS c
    LEFT JOIN facilities AS f ON f.facility_id = c.facility_id
    LEFT JOIN organisations AS o ON o.org_id = c.org_id
    UNION ALL
    SELECT
        'targets',
        CAST(t.target_id AS VARCHAR),
        t.metric_code,
        bounds_text(t.qualifier, t.value, t.value_min, t.value_min_exclusive, t.value_max, t.value_max_exclusive)
        || coalesce(' ' || t.unit_code, ''),
        t.source_id,
        t.qualifier
    FROM targets AS t
    WHERE t.unit_code IS NOT NULL
    UNION ALL
    SELECT
        'reported_figures',
        CAST(r.figure_id AS VARCHAR),
        r.metric_code,
        bounds_text(r.qualifier, r.value, r.value_min, r.value_min_exclusive, r.value_max, r.value_max_exclusive)
        || ' ' || r.unit_code,
        r.source_id,
        r.qualifier
    FROM reported_figures AS r
    UNION ALL
    SELECT
        'investments',
        CAST(i.investment_id AS VARCHAR),
        i.purpose,
        bounds_text(i.qualifier, i.amount, i.amount_min, i.amount_min_exclusive, i.amount_max,
                    i.amount_max_exclusive) || coalesce(' ' || i.currency_code, ''),
        i.source_id,
        i.qualifier
    FROM investments AS i
),

gaps AS (
    SELECT
        1 AS gap_order,
        'stakes below 100%' AS gap,
        'ownership_stakes' AS table_name,
        CAST(st.first_stake AS VARCHAR) AS row_id,
        o.name AS subject,
        'known stakes reported on ' || st.reported_on || ' add up to ' || number_text(st.total_max)
        || '%; ' || number_text(100 - st.total_max) || '% undisclosed' AS detail,
        st.source_ids
    FROM stake_totals AS st
    JOIN organisations AS o ON o.org_id = st.owned_org_id
    WHERE st.all_bounded AND st.total_max < 100
    UNION ALL
    SELECT
        2,
        'facility without capacity',
        'facilities',
        f.facility_id,
        f.name,
        'no capacity figure in any unit',
        f.source_id
    FROM facilities AS f
    WHERE f.facility_id NOT IN (SELECT c.facility_id FROM capacities AS c WHERE c.facility_id IS NOT NULL)
    UNION ALL
    SELECT
        3,
        'vague figure',
        v.table_name,
        v.row_id,
        v.subject,
        v.detail || ' (' || v.qualifier || ')',
        v.source_id
    FROM vague AS v
    WHERE v.qualifier <> 'exact'
    UNION ALL
    SELECT
        4,
        'organisation without country',
        'organisations',
        o.org_id,
        o.name,
        'no source gives its country',
        o.source_id
    FROM organisations AS o
    WHERE o.country_code IS NULL
    UNION ALL
    SELECT
        5,
        'target without reported figure',
        'targets',
        CAST(t.target_id AS VARCHAR),
        t.metric_code,
        t.description,
        t.source_id
    FROM targets AS t
    JOIN metrics AS m ON m.metric_code = t.metric_code
    WHERE NOT EXISTS (
        SELECT 1 FROM reported_figures AS r
        WHERE r.metric_code IN (t.metric_code, m.running_total_of)
          AND r.scope_country_code IS NOT DISTINCT FROM t.scope_country_code
          AND r.scope_sector_code IS NOT DISTINCT FROM t.scope_sector_code
          AND r.scope_org_id IS NOT DISTINCT FROM t.scope_org_id
    )
      AND NOT (
          t.metric_code = 'annual_production_capacity' AND t.scope_country_code IS NOT NULL
          AND EXISTS (
              SELECT 1 FROM capacities AS c JOIN facilities AS f ON f.facility_id = c.facility_id
              WHERE f.country_code = t.scope_country_code
          )
      )
)

SELECT
    g.gap,
    g.table_name,
    g.row_id,
    g.subject,
    g.detail,
    g.source_ids
FROM gaps AS g
ORDER BY g.gap_order, g.table_name, g.subject, g.row_id;
