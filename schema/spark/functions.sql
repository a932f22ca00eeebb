-- What the named queries need in Spark SQL beyond its own functions, in
-- the database that holds the tables. As for PostgreSQL, the queries are
-- written once in DuckDB's dialect and carried by sqlglot; these are the
-- pieces that cannot be. name_key() is not here: Spark has no
-- strip_accents, so `batterydb export --format spark` writes name_key from
-- the DuckDB that built the data (every character DuckDB folds, mapped as
-- DuckDB maps it), before this file. Spark SQL functions cannot raise an
-- error of their own but through raise_error(); it has no Jaro-Winkler
-- similarity, so the closest organisations a failed lookup names are those
-- whose id, name or alias starts with or contains the text, as on
-- PostgreSQL. A function's body names its tables and functions with their
-- database: Spark looks unqualified names up where the function is called
-- from. Each statement ends with a semicolon at the end of a line.
CREATE OR REPLACE FUNCTION quoted_text(x STRING) RETURNS STRING
    COMMENT 'Text in single quotes, for messages.'
    RETURN '\'' || replace(x, '\'', '\'\'') || '\'';

CREATE OR REPLACE FUNCTION closest_orgs(query STRING) RETURNS STRING
    COMMENT 'Up to three organisations whose id, name or alias equals, starts with or contains the text, folded by batterydb.name_key(), best first; NULL when none does.'
    RETURN (
        SELECT array_join(transform(
            slice(array_sort(collect_list(named_struct('score', -best.score, 'name', best.name, 'org_id', best.org_id))), 1, 3),
            b -> b.name || ' (' || b.org_id || ')'), ', ')
        FROM (
            SELECT o.name, o.org_id, max(scored.score) AS score
            FROM (
                SELECT names.org_id, CASE
                    WHEN batterydb.name_key(names.text) = batterydb.name_key(query) THEN 1.0
                    WHEN startswith(batterydb.name_key(names.text), batterydb.name_key(query)) THEN 0.9
                    WHEN contains(batterydb.name_key(names.text), batterydb.name_key(query)) THEN 0.8
                END AS score
                FROM (
                    SELECT org_id, org_id AS text FROM batterydb.organisations
                    UNION ALL
                    SELECT org_id, name FROM batterydb.organisations
                    UNION ALL
                    SELECT org_id, alias FROM batterydb.organisation_aliases
                ) AS names
                WHERE length(batterydb.name_key(query)) > 0
            ) AS scored
            JOIN batterydb.organisations AS o ON o.org_id = scored.org_id
            WHERE scored.score IS NOT NULL
            GROUP BY o.name, o.org_id
        ) AS best
        HAVING count(*) > 0
    );

CREATE OR REPLACE FUNCTION resolve_org(query STRING) RETURNS STRING
    COMMENT 'The org_id of the one organisation whose id, name or alias is the text, ignoring case and accents (NULL for NULL); an error naming the closest organisations when none is, and listing them when several are.'
    RETURN (
        SELECT CASE
            WHEN query IS NULL THEN NULL
            WHEN found.n = 1 THEN found.org_id
            WHEN found.n = 0 THEN raise_error(
                'no organisation matches ' || batterydb.quoted_text(query)
                || coalesce('; closest: ' || batterydb.closest_orgs(query), '; none has a similar id, name or alias')
            )
            ELSE raise_error(batterydb.quoted_text(query) || ' matches ' || found.n || ' organisations: ' || found.names
                             || '; give one of their ids')
        END
        FROM (
            SELECT
                count(*) AS n,
                min(m.org_id) AS org_id,
                array_join(transform(array_sort(collect_list(named_struct('name', m.name, 'org_id', m.org_id))),
                                     x -> x.name || ' (' || x.org_id || ')'), ', ') AS names
            FROM (
                SELECT o.org_id, o.name FROM batterydb.organisations AS o WHERE batterydb.name_key(o.org_id) = batterydb.name_key(query)
                UNION
                SELECT o.org_id, o.name FROM batterydb.organisations AS o WHERE batterydb.name_key(o.name) = batterydb.name_key(query)
                UNION
                SELECT o.org_id, o.name
                FROM batterydb.organisation_aliases AS a
                JOIN batterydb.organisations AS o ON o.org_id = a.org_id
                WHERE batterydb.name_key(a.alias) = batterydb.name_key(query)
            ) AS m
        ) AS found
    );

CREATE OR REPLACE FUNCTION resolve_subject(query STRING) RETURNS STRING
    COMMENT 'The id of the one plant (by id or name) or organisation (by id, name or alias) the text names, ignoring case and accents (NULL for NULL); an error when none or several do.'
    RETURN (
        SELECT CASE
            WHEN query IS NULL THEN NULL
            WHEN found.n = 1 THEN found.id
            WHEN found.n = 0 THEN raise_error(
                'no plant or organisation matches ' || batterydb.quoted_text(query)
                || coalesce('; closest organisations: ' || batterydb.closest_orgs(query), '')
            )
            ELSE raise_error(batterydb.quoted_text(query) || ' matches ' || found.n || ' plants and organisations: '
                             || found.names || '; give one of their ids')
        END
        FROM (
            SELECT
                count(*) AS n,
                min(m.id) AS id,
                array_join(transform(array_sort(collect_list(named_struct('name', m.name, 'id', m.id))),
                                     x -> x.name || ' (' || x.id || ')'), ', ') AS names
            FROM (
                SELECT f.facility_id AS id, f.name
                FROM batterydb.facilities AS f
                WHERE batterydb.name_key(f.facility_id) = batterydb.name_key(query) OR batterydb.name_key(f.name) = batterydb.name_key(query)
                UNION
                SELECT o.org_id, o.name FROM batterydb.organisations AS o WHERE batterydb.name_key(o.org_id) = batterydb.name_key(query)
                UNION
                SELECT o.org_id, o.name FROM batterydb.organisations AS o WHERE batterydb.name_key(o.name) = batterydb.name_key(query)
                UNION
                SELECT o.org_id, o.name
                FROM batterydb.organisation_aliases AS a
                JOIN batterydb.organisations AS o ON o.org_id = a.org_id
                WHERE batterydb.name_key(a.alias) = batterydb.name_key(query)
            ) AS m
        ) AS found
    );
