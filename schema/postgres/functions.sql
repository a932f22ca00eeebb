-- What the published queries need in PostgreSQL beyond its own functions.
-- The named queries are written once, in DuckDB's dialect; sqlglot carries
-- them to PostgreSQL, and batterydb's DuckDB macros are written out in
-- place. These are the few pieces that cannot be: DuckDB's strip_accents
-- and its round() of a double have no PostgreSQL counterpart, and the
-- macros that resolve organisation parameters raise errors, which a
-- PostgreSQL SQL function cannot; so they are defined here, in the
-- published schema, with the same results.

CREATE FUNCTION name_key(x text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower(regexp_replace(normalize(trim(x), NFD), '[\u0300-\u036f]', '', 'g'));
COMMENT ON FUNCTION name_key(text) IS 'A name folded for matching: trimmed, lower case, accents removed ("Önnerud" and "onnerud" match).';

-- DuckDB rounds a double to a double; PostgreSQL only rounds numeric.
CREATE FUNCTION round(x double precision, digits integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.round(x::numeric, digits)::double precision;
COMMENT ON FUNCTION round(double precision, integer) IS 'A double rounded to a number of decimals, as DuckDB''s round(DOUBLE, INTEGER) does.';

-- DuckDB's jaro_winkler_similarity(), which search_organisations scores
-- near misses with, step for step as DuckDB computes it (its
-- rapidfuzz-derived code), so that the same pairs score the same doubles:
-- characters (code points) match within max(length) / 2 - 1 places, each
-- character of t taking the first unmatched one of p in its window; the
-- transpositions are halved in integers; and a common prefix of up to
-- four characters lifts a Jaro similarity above 0.7. A test holds it to
-- DuckDB's doubles on every pair of some hundreds of texts.
CREATE FUNCTION jaro_winkler_similarity(p text, t text) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    p_len integer := length(p);
    t_len integer := length(t);
    bound integer := greatest(length(p), length(t)) / 2 - 1;
    p_chars text[] := regexp_split_to_array(p, '');
    t_chars text[] := regexp_split_to_array(t, '');
    p_taken boolean[] := array_fill(false, ARRAY[length(p)]);
    t_taken boolean[] := array_fill(false, ARRAY[length(t)]);
    common integer := 0;
    transpositions integer := 0;
    prefix integer := 0;
    k integer := 1;
    sim double precision;
    scaled numeric;
    weight numeric;
    exact numeric;
    rounded numeric;
    rest numeric;
BEGIN
    IF p_len = 0 OR t_len = 0 THEN
        RETURN 0.0;
    ELSIF p_len = 1 AND t_len = 1 THEN
        RETURN CASE WHEN p = t THEN 1.0 ELSE 0.0 END;
    END IF;
    FOR j IN 1 .. t_len LOOP
        FOR i IN greatest(1, j - bound) .. least(p_len, j + bound) LOOP
            IF NOT p_taken[i] AND p_chars[i] = t_chars[j] THEN
                p_taken[i] := true;
                t_taken[j] := true;
                common := common + 1;
                EXIT;
            END IF;
        END LOOP;
    END LOOP;
    IF common = 0 THEN
        RETURN 0.0;
    END IF;
    FOR j IN 1 .. t_len LOOP
        IF t_taken[j] THEN
            WHILE NOT p_taken[k] LOOP
                k := k + 1;
            END LOOP;
            IF p_chars[k] <> t_chars[j] THEN
                transpositions := transpositions + 1;
            END IF;
            k := k + 1;
        END IF;
    END LOOP;
    sim := (common::float8 / p_len + common::float8 / t_len
            + (common - transpositions / 2)::float8 / common) / 3.0::float8;
    WHILE prefix < least(p_len, t_len, 4) AND p_chars[prefix + 1] = t_chars[prefix + 1] LOOP
        prefix := prefix + 1;
    END LOOP;
    IF sim > 0.7::float8 THEN
        -- sim + prefix * 0.1 * (1 - sim), rounded once, as DuckDB's build computes it (a fused
        -- multiply-add): worked out exactly in integers scaled by 2^53 and 2^56 (sim, 1 - sim
        -- and prefix * 0.1 are exact there), then rounded to the nearest double, ties to even.
        scaled := (sim * 9007199254740992::float8)::bigint;
        weight := (prefix * 0.1::float8 * 72057594037927936::float8)::bigint;
        exact := scaled * 72057594037927936 + weight * (9007199254740992 - scaled);
        rounded := div(exact, 72057594037927936);
        rest := exact - rounded * 72057594037927936;
        IF 2 * rest > 72057594037927936 OR (2 * rest = 72057594037927936 AND mod(rounded, 2) = 1) THEN
            rounded := rounded + 1;
        END IF;
        sim := rounded::float8 / 9007199254740992::float8;
    END IF;
    RETURN sim;
END
$$;
COMMENT ON FUNCTION jaro_winkler_similarity(text, text) IS 'The Jaro-Winkler similarity of two texts, 0 to 1, as DuckDB''s jaro_winkler_similarity() gives it.';

-- Organisation parameters. A published function resolves the text it is
-- given as DuckDB's resolve_org() macro does, and fails with the same
-- message, naming the same closest organisations (match_score's ranks:
-- exact, prefix, contained, or a near miss by Jaro-Winkler similarity).
CREATE FUNCTION fail(message text) RETURNS text
    LANGUAGE plpgsql VOLATILE
    AS $$BEGIN RAISE EXCEPTION USING MESSAGE = message; END$$;
COMMENT ON FUNCTION fail(text) IS 'Raises an error with the message; for the resolving functions.';

CREATE FUNCTION quoted_text(x text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '''' || replace(x, '''', '''''') || '''';
COMMENT ON FUNCTION quoted_text(text) IS 'Text in single quotes, as a message shows what a person typed.';

CREATE FUNCTION closest_orgs(query text) RETURNS text
    LANGUAGE sql STABLE
    RETURN (
        SELECT string_agg(best.name || ' (' || best.org_id || ')', ', ' ORDER BY best.score DESC, best.name)
        FROM (
            SELECT o.name, o.org_id, max(scored.score) AS score
            FROM (
                SELECT names.org_id, CASE
                    WHEN name_key(names.text) = name_key(query) THEN 1.0
                    WHEN starts_with(name_key(names.text), name_key(query)) THEN 0.9
                    WHEN strpos(name_key(names.text), name_key(query)) > 0 THEN 0.8
                    WHEN jaro_winkler_similarity(name_key(names.text), name_key(query)) >= 0.85
                        THEN 0.5 + 0.25 * jaro_winkler_similarity(name_key(names.text), name_key(query))
                END AS score
                FROM (
                    SELECT org_id, org_id AS text FROM organisations
                    UNION ALL
                    SELECT org_id, name FROM organisations
                    UNION ALL
                    SELECT org_id, alias FROM organisation_aliases
                ) AS names
                WHERE length(name_key(query)) > 0
            ) AS scored
            JOIN organisations AS o ON o.org_id = scored.org_id
            WHERE scored.score IS NOT NULL
            GROUP BY o.name, o.org_id
            ORDER BY score DESC, o.name
            LIMIT 3
        ) AS best
    );
COMMENT ON FUNCTION closest_orgs(text) IS 'The three organisations whose id, name or alias best matches the text (exact, prefix, contained or a near miss), as "Name (id)"; NULL when none does.';

-- The folded ids, names and aliases are indexed, so that resolving a
-- parameter is three index lookups rather than folding every name; each
-- lookup is a branch of its own, which an index can answer (an OR of the
-- three over a join could not), and none runs for a NULL.
CREATE INDEX organisations_folded_id ON organisations (name_key(org_id));
CREATE INDEX organisations_folded_name ON organisations (name_key(name));
CREATE INDEX organisation_aliases_folded_alias ON organisation_aliases (name_key(alias));
CREATE INDEX facilities_folded_id ON facilities (name_key(facility_id));
CREATE INDEX facilities_folded_name ON facilities (name_key(name));

-- (The body's semicolon is not at the end of a line: publish splits this file there.)
CREATE FUNCTION organisations_named(query text) RETURNS TABLE (org_id text, name text)
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT o.org_id, o.name FROM organisations AS o WHERE name_key(o.org_id) = name_key(query) AND query IS NOT NULL
    UNION
    SELECT o.org_id, o.name FROM organisations AS o WHERE name_key(o.name) = name_key(query) AND query IS NOT NULL
    UNION
    SELECT o.org_id, o.name FROM organisation_aliases AS a JOIN organisations AS o ON o.org_id = a.org_id
    WHERE name_key(a.alias) = name_key(query) AND query IS NOT NULL; END;
COMMENT ON FUNCTION organisations_named(text) IS 'Every organisation whose id, name or alias is the text, ignoring case and accents, by the indexes on the folded names; none for NULL.';

CREATE FUNCTION resolve_org(query text) RETURNS text
    LANGUAGE sql STABLE
    RETURN (
        SELECT CASE
            WHEN query IS NULL THEN NULL
            WHEN found.n = 1 THEN found.org_id
            WHEN found.n = 0 THEN fail(
                'no organisation matches ' || quoted_text(query)
                || coalesce('; closest: ' || closest_orgs(query), '; none has a similar id, name or alias')
            )
            ELSE fail(quoted_text(query) || ' matches ' || found.n || ' organisations: ' || found.names
                      || '; give one of their ids')
        END
        FROM (
            SELECT
                count(*) AS n,
                min(m.org_id) AS org_id,
                string_agg(m.name || ' (' || m.org_id || ')', ', ' ORDER BY m.name, m.org_id) AS names
            FROM organisations_named(query) AS m
        ) AS found
    );
COMMENT ON FUNCTION resolve_org(text) IS 'The org_id of the one organisation whose id, name or alias is the text, ignoring case and accents (NULL for NULL); an error naming the closest organisations when none is, and listing them when several are.';

CREATE FUNCTION resolve_subject(query text) RETURNS text
    LANGUAGE sql STABLE
    RETURN (
        SELECT CASE
            WHEN query IS NULL THEN NULL
            WHEN found.n = 1 THEN found.id
            WHEN found.n = 0 THEN fail(
                'no plant or organisation matches ' || quoted_text(query)
                || coalesce('; closest organisations: ' || closest_orgs(query), '')
            )
            ELSE fail(quoted_text(query) || ' matches ' || found.n || ' plants and organisations: ' || found.names
                      || '; give one of their ids')
        END
        FROM (
            SELECT
                count(*) AS n,
                min(m.id) AS id,
                string_agg(m.name || ' (' || m.id || ')', ', ' ORDER BY m.name, m.id) AS names
            FROM (
                SELECT f.facility_id AS id, f.name
                FROM facilities AS f
                WHERE name_key(f.facility_id) = name_key(query) AND query IS NOT NULL
                UNION
                SELECT f.facility_id, f.name
                FROM facilities AS f
                WHERE name_key(f.name) = name_key(query) AND query IS NOT NULL
                UNION
                SELECT m.org_id, m.name
                FROM organisations_named(query) AS m
            ) AS m
        ) AS found
    );
COMMENT ON FUNCTION resolve_subject(text) IS 'The id of the one plant (by id or name) or organisation (by id, name or alias) the text names, ignoring case and accents (NULL for NULL); an error when none or several do.';
