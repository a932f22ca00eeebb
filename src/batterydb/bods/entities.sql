-- What does BODS need to state each organisation as an entity? One row per
-- organisation, in id order: its name, the names the sources also use for
-- it (alternateNames), the identifiers registers give it (by each scheme's
-- org-id.guide code), its jurisdiction from its country, the entity type
-- its kind maps to (organisation_kinds), and the source of its row with the
-- source type its kind maps to (source_kinds); and a digest of all of it,
-- which changes when anything the statement says does.
WITH aliases AS (
    SELECT
        oa.org_id,
        list(oa.alias ORDER BY oa.alias) AS alternate_names
    FROM organisation_aliases AS oa
    GROUP BY oa.org_id
),

identifiers AS (
    SELECT
        oi.org_id,
        list(
            {'id': oi.identifier, 'scheme': sc.code, 'schemeName': sc.name}
            ORDER BY sc.code, oi.identifier
        ) AS identifiers
    FROM organisation_identifiers AS oi
    JOIN identifier_schemes AS sc ON sc.scheme = oi.scheme
    GROUP BY oi.org_id
),

entities AS (
    SELECT
        o.org_id,
        o.name,
        a.alternate_names,
        i.identifiers,
        o.country_code,
        c.name AS country_name,
        k.bods_entity_type,
        k.bods_entity_subtype,
        s.source_id,
        s.title AS source_title,
        s.publisher_note AS source_publisher_note,
        s.file_name AS source_file_name,
        s.published_on AS source_published_on,
        date_text(s.published_on, s.published_precision) AS source_published_text,
        sk.bods_source_type
    FROM organisations AS o
    JOIN organisation_kinds AS k ON k.kind = o.kind
    JOIN sources AS s ON s.source_id = o.source_id
    JOIN source_kinds AS sk ON sk.kind = s.kind
    LEFT JOIN countries AS c ON c.country_code = o.country_code
    LEFT JOIN aliases AS a ON a.org_id = o.org_id
    LEFT JOIN identifiers AS i ON i.org_id = o.org_id
)

SELECT
    e.*,
    sha256(CAST(e AS VARCHAR)) AS row_digest
FROM entities AS e
ORDER BY e.org_id;
