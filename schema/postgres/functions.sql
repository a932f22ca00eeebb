-- What the published queries need in PostgreSQL beyond its own functions.
-- The named queries are written once, in DuckDB's dialect; sqlglot carries
-- them to PostgreSQL, and batterydb's DuckDB macros are written out in
-- place. These are the few pieces that cannot be: DuckDB's strip_accents
-- and its round() of a double have no PostgreSQL counterpart, so they are
-- defined here, in the published schema, with the same results.

CREATE FUNCTION name_key(x text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower(regexp_replace(normalize(trim(x), NFD), '[\u0300-\u036f]', '', 'g'));
COMMENT ON FUNCTION name_key(text) IS 'A name folded for matching: trimmed, lower case, accents removed ("Önnerud" and "onnerud" match).';

-- DuckDB rounds a double to a double; PostgreSQL only rounds numeric.
CREATE FUNCTION round(x double precision, digits integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.round(x::numeric, digits)::double precision;
COMMENT ON FUNCTION round(double precision, integer) IS 'A double rounded to a number of decimals, as DuckDB''s round(DOUBLE, INTEGER) does.';
