-- Sources, organisations and the people and documents around them.
--
-- Dates that a source gives only to the month or the year are stored as the
-- first day of that month or year together with a *_precision column
-- ('day', 'month' or 'year'); the CHECK constraints keep the two consistent.

CREATE TABLE sources (
    source_id           VARCHAR PRIMARY KEY,
    kind                VARCHAR NOT NULL REFERENCES source_kinds (kind),
    publisher_note      VARCHAR,
    title               VARCHAR,
    published_on        DATE,
    published_precision VARCHAR,
    file_name           VARCHAR UNIQUE,
    note                VARCHAR,
    -- on published_precision: published_on and published_precision go together: give both or neither
    CONSTRAINT published_on_with_published_precision CHECK ((published_on IS NULL) = (published_precision IS NULL)),
    -- on published_precision: published_precision '{published_precision}' is not allowed; expected one of: day, month, year
    CONSTRAINT published_precision_known CHECK (published_precision IN ('day', 'month', 'year')),
    -- on published_on: published_on {published_on} has published_precision month, so it must be the first of the month ({published_on:%Y-%m-01})
    CONSTRAINT published_on_month_on_the_first CHECK (published_precision <> 'month' OR day(published_on) = 1),
    -- on published_on: published_on {published_on} has published_precision year, so it must be the first of January ({published_on:%Y-01-01})
    CONSTRAINT published_on_year_on_january_first CHECK (published_precision <> 'year'
        OR (month(published_on) = 1 AND day(published_on) = 1))
);
COMMENT ON TABLE sources IS 'Every document a fact comes from: the source articles themselves (with their file name) and the upstream reports, statements and interviews they cite (linked through source_citations). Every fact row points at the most specific source known.';
COMMENT ON COLUMN sources.source_id IS 'Stable identifier, e.g. bloomberg_2012_08_08.';
COMMENT ON COLUMN sources.kind IS 'Kind of source (article, blog post, newspaper report, statement, ...).';
COMMENT ON COLUMN sources.publisher_note IS 'What is known of the publisher when the source does not name it (then it has no row in source_publishers), or a remark on it.';
COMMENT ON COLUMN sources.title IS 'A short title in our own words saying what the source reports (not its published headline); NULL for sources known only through an article citing them.';
COMMENT ON COLUMN sources.published_on IS 'Publication date, as the first day of the month or year when only those are known (see published_precision).';
COMMENT ON COLUMN sources.published_precision IS 'Precision of published_on: day, month or year.';
COMMENT ON COLUMN sources.file_name IS 'File name of the stored copy of the article (in the shared sources folder); NULL for upstream sources known only through a citing article.';
COMMENT ON COLUMN sources.note IS 'How the date or other details were worked out.';

CREATE TABLE source_citations (
    citing_source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    cited_source_id  VARCHAR NOT NULL REFERENCES sources (source_id),
    note             VARCHAR,
    PRIMARY KEY (citing_source_id, cited_source_id),
    -- on cited_source_id: citing_source_id and cited_source_id must differ: citing_source_id and cited_source_id are both '{citing_source_id}'
    CONSTRAINT citing_source_id_not_cited_source_id CHECK (citing_source_id <> cited_source_id)
);
COMMENT ON TABLE source_citations IS 'Which upstream sources (a wire service, a newspaper, an e-mailed statement) an article cites or quotes.';
COMMENT ON COLUMN source_citations.citing_source_id IS 'The article that cites.';
COMMENT ON COLUMN source_citations.cited_source_id IS 'The upstream source it cites.';
COMMENT ON COLUMN source_citations.note IS 'How the article cites it.';

CREATE TABLE organisations (
    org_id       VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL UNIQUE,
    kind         VARCHAR NOT NULL REFERENCES organisation_kinds (kind),
    country_code VARCHAR REFERENCES countries (country_code),
    region       VARCHAR,
    city         VARCHAR,
    source_id    VARCHAR NOT NULL REFERENCES sources (source_id),
    note         VARCHAR
);
COMMENT ON TABLE organisations IS 'Companies, joint ventures, business units, government bodies, research firms and media outlets named in the sources.';
COMMENT ON COLUMN organisations.org_id IS 'Stable identifier, e.g. boston_power.';
COMMENT ON COLUMN organisations.name IS 'The name most used in the sources; other names are in organisation_aliases.';
COMMENT ON COLUMN organisations.kind IS 'Kind of organisation.';
COMMENT ON COLUMN organisations.country_code IS 'ISO 3166-1 alpha-2 code of the home country; NULL when no source states it.';
COMMENT ON COLUMN organisations.region IS 'State, province or region of the headquarters, where a source states it.';
COMMENT ON COLUMN organisations.city IS 'City of the headquarters, where a source states it.';
COMMENT ON COLUMN organisations.source_id IS 'Source for the kind and location given here.';
COMMENT ON COLUMN organisations.note IS 'Other facts about the organisation from the sources, in our own words.';

CREATE TABLE organisation_aliases (
    org_id    VARCHAR NOT NULL REFERENCES organisations (org_id),
    alias     VARCHAR NOT NULL,
    kind      VARCHAR NOT NULL REFERENCES alias_kinds (kind),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (org_id, alias)
);
COMMENT ON TABLE organisation_aliases IS 'Other names an organisation goes by in the sources: legal names, short names, abbreviations and misspellings, so that a search by any of them finds it.';
COMMENT ON COLUMN organisation_aliases.org_id IS 'The organisation.';
COMMENT ON COLUMN organisation_aliases.alias IS 'The name exactly as a source spells it.';
COMMENT ON COLUMN organisation_aliases.kind IS 'Kind of alias.';
COMMENT ON COLUMN organisation_aliases.source_id IS 'A source that uses this name.';

CREATE TABLE organisation_identifiers (
    org_id     VARCHAR NOT NULL REFERENCES organisations (org_id),
    scheme     VARCHAR NOT NULL REFERENCES identifier_schemes (scheme),
    identifier VARCHAR NOT NULL CHECK (identifier <> ''),
    source_id  VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (org_id, scheme, identifier)
);
COMMENT ON TABLE organisation_identifiers IS 'The identifiers registers give an organisation (an LEI, a company number), as a source or an imported BODS statement states them.';
COMMENT ON COLUMN organisation_identifiers.org_id IS 'The organisation.';
COMMENT ON COLUMN organisation_identifiers.scheme IS 'The register or list the identifier is from.';
COMMENT ON COLUMN organisation_identifiers.identifier IS 'The identifier exactly as the register writes it.';
COMMENT ON COLUMN organisation_identifiers.source_id IS 'A source that states it.';

CREATE TABLE organisation_sectors (
    org_id      VARCHAR NOT NULL REFERENCES organisations (org_id),
    sector_code VARCHAR NOT NULL REFERENCES sectors (sector_code),
    role        VARCHAR NOT NULL CHECK (role IN ('producer', 'market', 'main_market')),
    source_id   VARCHAR NOT NULL REFERENCES sources (source_id),
    note        VARCHAR,
    PRIMARY KEY (org_id, sector_code, role)
);
COMMENT ON TABLE organisation_sectors IS 'What an organisation makes (producer) and which markets it sells into (market, or main_market when a source says it is the most important one).';
COMMENT ON COLUMN organisation_sectors.org_id IS 'The organisation.';
COMMENT ON COLUMN organisation_sectors.sector_code IS 'The sector.';
COMMENT ON COLUMN organisation_sectors.role IS 'producer: makes products of this sector; market: sells into it; main_market: the market a source calls its most important.';
COMMENT ON COLUMN organisation_sectors.source_id IS 'Source of the fact.';
COMMENT ON COLUMN organisation_sectors.note IS 'Details, in our own words.';

CREATE TABLE source_publishers (
    source_id VARCHAR PRIMARY KEY REFERENCES sources (source_id),
    org_id    VARCHAR NOT NULL REFERENCES organisations (org_id)
);
COMMENT ON TABLE source_publishers IS 'The organisation that published or issued each source. Kept apart from sources because organisations themselves cite a source: the two tables would otherwise reference each other.';
COMMENT ON COLUMN source_publishers.source_id IS 'The source.';
COMMENT ON COLUMN source_publishers.org_id IS 'Its publisher (a media outlet, a research firm, the company making a statement).';

CREATE TABLE people (
    person_id VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id)
);
COMMENT ON TABLE people IS 'People the sources name.';
COMMENT ON COLUMN people.person_id IS 'Stable identifier, e.g. christina_lampe_onnerud.';
COMMENT ON COLUMN people.name IS 'Name as the source spells it.';
COMMENT ON COLUMN people.source_id IS 'Source that names the person.';

CREATE TABLE person_roles (
    person_id VARCHAR NOT NULL REFERENCES people (person_id),
    org_id    VARCHAR NOT NULL REFERENCES organisations (org_id),
    title     VARCHAR NOT NULL,
    city      VARCHAR,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (person_id, org_id, title)
);
COMMENT ON TABLE person_roles IS 'The role a person holds at an organisation, as of the source.';
COMMENT ON COLUMN person_roles.person_id IS 'The person.';
COMMENT ON COLUMN person_roles.org_id IS 'The organisation.';
COMMENT ON COLUMN person_roles.title IS 'Job title or role, as the source gives it.';
COMMENT ON COLUMN person_roles.city IS 'City where the person is based, where the source says.';
COMMENT ON COLUMN person_roles.source_id IS 'Source of the fact.';

CREATE TABLE documents (
    document_id      VARCHAR PRIMARY KEY,
    title            VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL REFERENCES document_kinds (kind),
    issued_on        DATE,
    issued_precision VARCHAR,
    source_id        VARCHAR NOT NULL REFERENCES sources (source_id),
    note             VARCHAR,
    -- on issued_precision: issued_on and issued_precision go together: give both or neither
    CONSTRAINT issued_on_with_issued_precision CHECK ((issued_on IS NULL) = (issued_precision IS NULL)),
    -- on issued_precision: issued_precision '{issued_precision}' is not allowed; expected one of: day, month, year
    CONSTRAINT issued_precision_known CHECK (issued_precision IN ('day', 'month', 'year')),
    -- on issued_on: issued_on {issued_on} has issued_precision month, so it must be the first of the month ({issued_on:%Y-%m-01})
    CONSTRAINT issued_on_month_on_the_first CHECK (issued_precision <> 'month' OR day(issued_on) = 1),
    -- on issued_on: issued_on {issued_on} has issued_precision year, so it must be the first of January ({issued_on:%Y-01-01})
    CONSTRAINT issued_on_year_on_january_first CHECK (issued_precision <> 'year'
        OR (month(issued_on) = 1 AND day(issued_on) = 1))
);
COMMENT ON TABLE documents IS 'Policy and strategy documents (action plans, national initiatives) that targets belong to.';
COMMENT ON COLUMN documents.document_id IS 'Stable identifier.';
COMMENT ON COLUMN documents.title IS 'What the document is called in English, in short and in our own words (the source gives its full title).';
COMMENT ON COLUMN documents.kind IS 'Kind of document.';
COMMENT ON COLUMN documents.issued_on IS 'Date of issue, as the first day of the month or year when only those are known.';
COMMENT ON COLUMN documents.issued_precision IS 'Precision of issued_on: day, month or year.';
COMMENT ON COLUMN documents.source_id IS 'Source that reports the document.';
COMMENT ON COLUMN documents.note IS 'What the document sets out, in our own words.';

CREATE TABLE document_issuers (
    document_id VARCHAR NOT NULL REFERENCES documents (document_id),
    org_id      VARCHAR NOT NULL REFERENCES organisations (org_id),
    source_id   VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (document_id, org_id)
);
COMMENT ON TABLE document_issuers IS 'The bodies that issued a document; a document issued jointly has one row per body.';
COMMENT ON COLUMN document_issuers.document_id IS 'The document.';
COMMENT ON COLUMN document_issuers.org_id IS 'An issuing body.';
COMMENT ON COLUMN document_issuers.source_id IS 'Source of the fact.';

CREATE TABLE document_relations (
    document_id         VARCHAR NOT NULL REFERENCES documents (document_id),
    related_document_id VARCHAR NOT NULL REFERENCES documents (document_id),
    relation            VARCHAR NOT NULL CHECK (relation IN ('implements', 'supersedes', 'amends')),
    source_id           VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (document_id, related_document_id),
    -- on related_document_id: document_id and related_document_id must differ: document_id and related_document_id are both '{document_id}'
    CONSTRAINT document_id_not_related_document_id CHECK (document_id <> related_document_id)
);
COMMENT ON TABLE document_relations IS 'How one document relates to another, e.g. an action plan that implements a national initiative.';
COMMENT ON COLUMN document_relations.document_id IS 'The document.';
COMMENT ON COLUMN document_relations.related_document_id IS 'The document it relates to.';
COMMENT ON COLUMN document_relations.relation IS 'implements, supersedes or amends.';
COMMENT ON COLUMN document_relations.source_id IS 'Source of the fact.';
