-- Macros that turn the value-or-bounds columns into something a person can
-- read, and into the canonical unit. Named queries use them; so can anyone
-- at a SQL console.

CREATE MACRO number_text(x) AS
    CASE WHEN x IS NULL THEN NULL
         ELSE regexp_replace(regexp_replace(CAST(CAST(x AS DECIMAL(38, 6)) AS VARCHAR), '0+$', ''), '\.$', '')
    END;
COMMENT ON MACRO number_text IS 'A number as short text, to six decimals: 400.0 becomes 400, 0.12 stays 0.12.';

CREATE MACRO date_text(day, precision) AS
    CASE precision
        WHEN 'day' THEN strftime(day, '%Y-%m-%d')
        WHEN 'month' THEN strftime(day, '%Y-%m')
        WHEN 'year' THEN strftime(day, '%Y')
    END;
COMMENT ON MACRO date_text IS 'A date to the precision it is known to: 2024-03 for a month, 2024 for a year (NULL for a NULL date or precision).';

CREATE MACRO bounds_text(qualifier, value, value_min, min_exclusive, value_max, max_exclusive) AS
    CASE qualifier
        WHEN 'exact' THEN number_text(value)
        WHEN 'about' THEN 'about ' || number_text(value)
        WHEN 'as_much_as' THEN 'up to ' || number_text(value_max)
        WHEN 'under' THEN 'under ' || number_text(value_max)
        WHEN 'at_least' THEN 'at least ' || number_text(value_min)
        WHEN 'over' THEN 'over ' || number_text(value_min)
        WHEN 'range' THEN
            CASE WHEN min_exclusive THEN 'over ' ELSE '' END || number_text(value_min)
            || ' to ' || CASE WHEN max_exclusive THEN 'under ' ELSE '' END || number_text(value_max)
        WHEN 'unknown' THEN 'unknown'
    END;
COMMENT ON MACRO bounds_text IS 'A value or its bounds as the source put them, e.g. "up to 400", "over 100", "100 to under 1000", "unknown".';

CREATE MACRO lower_bound(value, value_min) AS coalesce(value, value_min);
COMMENT ON MACRO lower_bound IS 'The least a figure can be: the value itself, else its minimum, else NULL (no lower bound known).';

CREATE MACRO upper_bound(value, value_max) AS coalesce(value, value_max);
COMMENT ON MACRO upper_bound IS 'The most a figure can be: the value itself, else its maximum, else NULL (no upper bound known).';

CREATE MACRO exact_sum(x) AS CAST(sum(CAST(x AS DECIMAL(38, 18))) AS DOUBLE);
COMMENT ON MACRO exact_sum IS 'The sum of DOUBLE figures, added up as DECIMAL(38, 18) and given back as DOUBLE: a DOUBLE sum depends on the order DuckDB''s threads add its terms in, so the same query could give different last digits from run to run; this one gives the same sum every time.';

CREATE MACRO name_key(x) AS lower(strip_accents(trim(x)));
COMMENT ON MACRO name_key IS 'A name folded for matching: trimmed, lower case, accents removed ("Önnerud" and "onnerud" match).';

CREATE MACRO org_matches(query) AS TABLE
    SELECT DISTINCT o.org_id
    FROM organisations AS o
    LEFT JOIN organisation_aliases AS a ON a.org_id = o.org_id
    WHERE name_key(o.org_id) = name_key(query)
       OR name_key(o.name) = name_key(query)
       OR name_key(a.alias) = name_key(query);
COMMENT ON MACRO TABLE org_matches IS 'The org_id of every organisation whose id, name or alias is the given text, ignoring case and accents.';

CREATE MACRO key_score(candidate_key, query_key, near_misses) AS
    CASE
        WHEN length(query_key) = 0 THEN NULL
        WHEN candidate_key = query_key THEN 1.0
        WHEN starts_with(candidate_key, query_key) THEN 0.9
        WHEN contains(candidate_key, query_key) THEN 0.8
        WHEN near_misses AND jaro_winkler_similarity(candidate_key, query_key) >= 0.85
            THEN 0.5 + 0.25 * jaro_winkler_similarity(candidate_key, query_key)
    END;
COMMENT ON MACRO key_score IS 'match_score of a name and a text both already folded by name_key(); with near_misses false, exact, prefix and contained matches alone (NULL for a near miss).';

CREATE MACRO match_score(candidate, query) AS key_score(name_key(candidate), name_key(query), true);
COMMENT ON MACRO match_score IS 'How well a name matches the text a person typed, after folding case and accents: 1 exact, 0.9 prefix, 0.8 contained, 0.5 to 0.75 a near miss (Jaro-Winkler similarity from 0.85 up), NULL no match.';

CREATE MACRO match_kind(score) AS
    CASE
        WHEN score = 1.0 THEN 'exact'
        WHEN score = 0.9 THEN 'prefix'
        WHEN score = 0.8 THEN 'contained'
        WHEN score IS NOT NULL THEN 'similar'
    END;
COMMENT ON MACRO match_kind IS 'The word for a match_score: exact, prefix, contained or similar.';

CREATE MACRO org_names() AS TABLE
    SELECT o.org_id, 'id' AS matched_on, o.org_id AS matched_text, 3 AS preference, o.source_id
    FROM organisations AS o
    UNION ALL
    SELECT o.org_id, 'name', o.name, 1, o.source_id FROM organisations AS o
    UNION ALL
    SELECT a.org_id, 'alias', a.alias, 2, a.source_id FROM organisation_aliases AS a;
COMMENT ON MACRO TABLE org_names IS 'Every organisation''s id, name and aliases, each as matched_text with what it is (matched_on), its preference when two match as well (1 the name, 2 an alias, 3 the id) and its source.';

CREATE MACRO org_candidates(query, enough) AS TABLE
    SELECT ranked.org_id, ranked.matched_on, ranked.matched_text, ranked.score, ranked.source_id
    FROM (
        SELECT
            scored.*,
            row_number() OVER (
                PARTITION BY scored.org_id ORDER BY scored.score DESC, scored.preference, scored.matched_text
            ) AS rank
        FROM (
            SELECT n.*, match_score(n.matched_text, query) AS score FROM org_names() AS n WHERE enough > 0
        ) AS scored
        WHERE scored.score IS NOT NULL
    ) AS ranked
    WHERE ranked.rank = 1;
COMMENT ON MACRO TABLE org_candidates IS 'Every organisation whose id, name or alias matches the text (see match_score), once, by its best match, with the source of the matched row; ties go to the name, then an alias, then the id. enough is how many of the best (by score) the caller takes: none when 0, and the stored lookup leaves out near misses that cannot be among them.';

CREATE MACRO quoted_text(x) AS '''' || replace(x, '''', '''''') || '''';
COMMENT ON MACRO quoted_text IS 'Text in single quotes, as a message shows what a person typed.';

CREATE MACRO closest_orgs(query, needed) AS (
    SELECT string_agg(best.name || ' (' || best.org_id || ')', ', ' ORDER BY best.score DESC, best.name)
    FROM (
        SELECT o.name, c.org_id, c.score
        FROM org_candidates(query, CASE WHEN needed THEN 3 ELSE 0 END) AS c
        JOIN organisations AS o ON o.org_id = c.org_id
        ORDER BY c.score DESC, o.name
        LIMIT 3
    ) AS best
);
COMMENT ON MACRO closest_orgs IS 'The three organisations that best match the text, as "Name (id)" separated by commas; NULL when none is close, or when not needed (DuckDB works out a subquery even in a CASE branch it does not take, so the resolving macros say whether they need it).';

CREATE MACRO resolve_org(query) AS (
    SELECT CASE
        WHEN query IS NULL THEN NULL
        WHEN found.n = 1 THEN found.org_id
        WHEN found.n = 0 THEN error(
            'no organisation matches ' || quoted_text(query)
            || coalesce('; closest: ' || closest_orgs(query, found.n = 0), '; none has a similar id, name or alias')
        )
        ELSE error(quoted_text(query) || ' matches ' || found.n || ' organisations: ' || found.names
                   || '; give one of their ids')
    END
    FROM (
        SELECT
            count(*) AS n,
            any_value(m.org_id) AS org_id,
            string_agg(o.name || ' (' || m.org_id || ')', ', ' ORDER BY o.name, m.org_id) AS names
        FROM org_matches(query) AS m
        JOIN organisations AS o ON o.org_id = m.org_id
    ) AS found
);
COMMENT ON MACRO resolve_org IS 'The org_id of the one organisation whose id, name or alias is the text, ignoring case and accents (NULL for NULL); an error naming the closest organisations when none is, and listing them when several are.';

CREATE MACRO subject_matches(query) AS TABLE
    SELECT f.facility_id AS id, f.name
    FROM facilities AS f
    WHERE name_key(f.facility_id) = name_key(query) OR name_key(f.name) = name_key(query)
    UNION
    SELECT o.org_id, o.name
    FROM org_matches(query) AS om
    JOIN organisations AS o ON o.org_id = om.org_id;
COMMENT ON MACRO TABLE subject_matches IS 'The id and name of every plant (by id or name) and organisation (by id, name or alias) the text names, ignoring case and accents.';

CREATE MACRO resolve_subject(query) AS (
    SELECT CASE
        WHEN query IS NULL THEN NULL
        WHEN found.n = 1 THEN found.id
        WHEN found.n = 0 THEN error(
            'no plant or organisation matches ' || quoted_text(query)
            || coalesce('; closest organisations: ' || closest_orgs(query, found.n = 0), '')
        )
        ELSE error(quoted_text(query) || ' matches ' || found.n || ' plants and organisations: ' || found.names
                   || '; give one of their ids')
    END
    FROM (
        SELECT
            count(*) AS n,
            any_value(m.id) AS id,
            string_agg(m.name || ' (' || m.id || ')', ', ' ORDER BY m.name, m.id) AS names
        FROM subject_matches(query) AS m
    ) AS found
);
COMMENT ON MACRO resolve_subject IS 'The id of the one plant (by id or name) or organisation (by id, name or alias) the text names, ignoring case and accents (NULL for NULL); an error when none or several do.';

CREATE MACRO stake_bounds() AS TABLE
    SELECT reports.owner_org_id, reports.owned_org_id, reports.low, reports.high, reports.exact
    FROM (
        SELECT
            s.owner_org_id,
            s.owned_org_id,
            CAST(coalesce(s.share_pct, s.share_min_pct, 0) AS DOUBLE) / 100 AS low,
            CAST(coalesce(s.share_pct, s.share_max_pct, 100) AS DOUBLE) / 100 AS high,
            s.qualifier = 'exact' AS exact,
            s.reported_on,
            max(s.reported_on) OVER (PARTITION BY s.owner_org_id, s.owned_org_id) AS latest
        FROM ownership_stakes AS s
    ) AS reports
    WHERE reports.reported_on = reports.latest;
COMMENT ON MACRO TABLE stake_bounds IS 'Each owner''s latest reported stake in each organisation as a fraction with bounds: an exact share gives equal bounds, a range its minimum and maximum, an open bound 0 or 1, an unknown share 0 to 1; exact says whether the share is exact.';

CREATE MACRO facility_latest_status(as_of_year) AS TABLE
    WITH status_reports AS (
        SELECT h.facility_id, h.status, h.status_on
        FROM facility_status_history AS h
        WHERE NOT h.is_expected AND (as_of_year IS NULL OR year(h.status_on) <= as_of_year)
    )
    SELECT latest.facility_id, latest.status, latest.status_on, h.status_precision, h.source_id
    FROM (
        SELECT r.facility_id, min(r.status) AS status, r.status_on
        FROM status_reports AS r
        JOIN (
            SELECT reports.facility_id, max(reports.status_on) AS status_on
            FROM status_reports AS reports
            GROUP BY reports.facility_id
        ) AS latest_day ON latest_day.facility_id = r.facility_id AND latest_day.status_on = r.status_on
        GROUP BY r.facility_id, r.status_on
    ) AS latest
    JOIN facility_status_history AS h
        ON h.facility_id = latest.facility_id AND h.status = latest.status AND h.status_on = latest.status_on;
COMMENT ON MACRO TABLE facility_latest_status IS 'Each facility''s latest status reported up to a year (NULL: ever), expected statuses left out, with its date''s precision and its source; of two on the same day, the first by name. Found by aggregates (the latest date, then the least status on it) rather than a window; the status row is then found by its key.';

CREATE MACRO organisation_ties() AS TABLE
    SELECT s.owner_org_id AS org_id, s.owned_org_id, CAST(NULL AS INTEGER) AS agreement_id
    FROM ownership_stakes AS s
    UNION ALL
    SELECT p.org_id, CAST(NULL AS VARCHAR), p.agreement_id
    FROM agreement_parties AS p;
COMMENT ON MACRO TABLE organisation_ties IS 'What each organisation holds a stake in (owned_org_id) and the agreements it is party to (agreement_id), one row per stake or party row, the other column NULL: its ties as seen from its side.';

-- main.agreements and main.targets: called from inside schema analytics (a
-- query's macro there), a bare name would find the view of the same name
-- first (the agreements and targets queries).
CREATE MACRO agreement_details() AS TABLE
    SELECT
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
    FROM main.agreements AS a
    JOIN agreement_statuses AS st ON st.status = a.status
    LEFT JOIN facilities AS f ON f.facility_id = a.facility_id;
COMMENT ON MACRO TABLE agreement_details IS 'Each agreement as agreements_between and supply_relationships show it: its kind, status with its firmness (1 least firm, 5 in force), dates, the name of the plant it concerns, subject and source.';

CREATE MACRO target_setters_named() AS TABLE
    SELECT t.target_id, o.name, di.source_id
    FROM main.targets AS t
    JOIN document_issuers AS di ON di.document_id = t.document_id
    JOIN organisations AS o ON o.org_id = di.org_id
    UNION ALL
    SELECT ts.target_id, o.name, ts.source_id
    FROM target_setters AS ts
    JOIN organisations AS o ON o.org_id = ts.org_id;
COMMENT ON MACRO TABLE target_setters_named IS 'Who set each target, by name, with the source that says so: the bodies that issued its policy document (document_issuers), and those target_setters names.';

CREATE MACRO facility_snapshot(as_of_year) AS TABLE
    WITH figures AS (
        SELECT c.facility_id, c.unit_code, c.year, c.year_qualifier, c.value, c.value_min, c.value_max
        FROM capacities AS c
        WHERE c.facility_id IS NOT NULL AND (as_of_year IS NULL OR c.year <= as_of_year)
    ),
    latest_figures AS (
        SELECT
            fg.facility_id,
            bool_or(uc.factor IS NOT NULL) AS has_gwh,
            exact_sum(CASE WHEN fg.year_qualifier = 'not_before' THEN 0
                           ELSE coalesce(fg.value, fg.value_min, 0) END * uc.factor) AS gwh_low,
            CASE WHEN bool_and(fg.value IS NOT NULL OR fg.value_max IS NOT NULL) FILTER (WHERE uc.factor IS NOT NULL)
                 THEN exact_sum(coalesce(fg.value, fg.value_max) * uc.factor) END AS gwh_high,
            max(fg.year) AS figure_year
        FROM figures AS fg
        JOIN (
            SELECT per_unit.facility_id, per_unit.unit_code, max(per_unit.year) AS year
            FROM figures AS per_unit
            GROUP BY per_unit.facility_id, per_unit.unit_code
        ) AS latest ON latest.facility_id = fg.facility_id AND latest.unit_code = fg.unit_code AND latest.year = fg.year
        LEFT JOIN unit_conversions AS uc
            ON uc.unit_code = fg.unit_code AND uc.canonical_unit_code = 'gwh_per_year'
        GROUP BY fg.facility_id
    )
    SELECT
        f.facility_id,
        f.name,
        f.operator_org_id,
        f.country_code,
        f.region,
        s.status,
        s.status_on,
        s.status_precision,
        s.source_id AS status_source_id,
        lf.facility_id IS NOT NULL AS has_figure,
        coalesce(lf.has_gwh, false) AS has_gwh,
        lf.gwh_low,
        lf.gwh_high,
        lf.figure_year
    FROM facilities AS f
    LEFT JOIN facility_latest_status(as_of_year) AS s ON s.facility_id = f.facility_id
    LEFT JOIN latest_figures AS lf ON lf.facility_id = f.facility_id;
COMMENT ON MACRO TABLE facility_snapshot IS 'Each facility as of a year (NULL: as of the latest data): its latest reported status (with its date''s precision and source) and its latest capacity figure per unit, summed in GWh per year where the unit converts (lower bound 0 for a figure given as "that year or later"); has_figure and has_gwh tell unknown capacity apart.';
