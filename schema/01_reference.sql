-- Reference tables: the controlled vocabularies every fact table points at.
-- They are seeded like everything else, so a user can extend a vocabulary by
-- adding a row, and a typo in a fact is caught by its foreign key.

CREATE TABLE countries (
    country_code VARCHAR PRIMARY KEY CHECK (country_code SIMILAR TO '[A-Z]{2}'),
    name         VARCHAR NOT NULL
);
COMMENT ON TABLE countries IS 'ISO 3166-1 countries and territories, keyed by their alpha-2 code (taken from the iso-codes project).';
COMMENT ON COLUMN countries.country_code IS 'ISO 3166-1 alpha-2 code, e.g. CN, JP, US.';
COMMENT ON COLUMN countries.name IS 'Name of the country or territory as ISO 3166-1 gives it.';

CREATE TABLE currencies (
    currency_code VARCHAR PRIMARY KEY CHECK (currency_code SIMILAR TO '[A-Z]{3}'),
    name          VARCHAR NOT NULL
);
COMMENT ON TABLE currencies IS 'ISO 4217 currencies, keyed by their alphabetic code (taken from the iso-codes project).';
COMMENT ON COLUMN currencies.currency_code IS 'ISO 4217 alphabetic code, e.g. CNY, JPY, USD.';
COMMENT ON COLUMN currencies.name IS 'Name of the currency as ISO 4217 gives it.';

CREATE TABLE units (
    unit_code   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    dimension   VARCHAR NOT NULL,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE units IS 'Units in which capacities, targets and reported figures are stated. The source''s own unit is always kept; unit_conversions says which units convert to a canonical one.';
COMMENT ON COLUMN units.unit_code IS 'Short code used by fact rows, e.g. mwh_per_year.';
COMMENT ON COLUMN units.name IS 'Human-readable name of the unit.';
COMMENT ON COLUMN units.dimension IS 'What the unit measures (energy_per_year, items_per_year, count, share); only units of the same dimension can ever be compared.';
COMMENT ON COLUMN units.description IS 'What exactly is counted or measured, in words.';

CREATE TABLE unit_conversions (
    unit_code           VARCHAR PRIMARY KEY REFERENCES units (unit_code),
    canonical_unit_code VARCHAR NOT NULL REFERENCES units (unit_code),
    factor              DOUBLE NOT NULL CHECK (factor > 0)
);
COMMENT ON TABLE unit_conversions IS 'How a unit converts to its canonical unit (GWh per year for production capacity). A unit with no row here does not convert: battery units or vehicle sets per year have no stated energy per unit, so they are never summed with GWh.';
COMMENT ON COLUMN unit_conversions.unit_code IS 'The unit being converted.';
COMMENT ON COLUMN unit_conversions.canonical_unit_code IS 'The canonical unit of the same dimension.';
COMMENT ON COLUMN unit_conversions.factor IS 'Multiply a value in unit_code by this to get the canonical unit (MWh per year to GWh per year: 0.001).';

CREATE TABLE qualifiers (
    qualifier   VARCHAR PRIMARY KEY,
    wording     VARCHAR NOT NULL,
    meaning     VARCHAR NOT NULL
);
COMMENT ON TABLE qualifiers IS 'How precisely a source states a number. Each fact table stores an exact value, or bounds, consistently with its qualifier (enforced by CHECK constraints).';
COMMENT ON COLUMN qualifiers.qualifier IS 'Code: exact, about, as_much_as, at_least, over, under, range or unknown.';
COMMENT ON COLUMN qualifiers.wording IS 'Typical wording in a source, e.g. "as much as".';
COMMENT ON COLUMN qualifiers.meaning IS 'Which of value, minimum and maximum are set, and whether the bounds are inclusive.';

CREATE TABLE organisation_kinds (
    kind                VARCHAR PRIMARY KEY,
    description         VARCHAR NOT NULL,
    bods_entity_type    VARCHAR NOT NULL CHECK (bods_entity_type IN ('registeredEntity', 'legalEntity', 'arrangement', 'anonymousEntity', 'unknownEntity', 'state', 'stateBody')),
    bods_entity_subtype VARCHAR CHECK (bods_entity_subtype IN ('governmentDepartment', 'stateAgency', 'other', 'trust', 'nomination'))
);
COMMENT ON TABLE organisation_kinds IS 'Kinds of organisation: company, joint venture, business unit, government body, research firm, media outlet.';
COMMENT ON COLUMN organisation_kinds.kind IS 'Code of the kind.';
COMMENT ON COLUMN organisation_kinds.description IS 'What belongs to this kind.';
COMMENT ON COLUMN organisation_kinds.bods_entity_type IS 'The entity type (BODS 0.4 entityType codelist) an organisation of this kind is exported as, and the kind an imported entity of that type becomes.';
COMMENT ON COLUMN organisation_kinds.bods_entity_subtype IS 'The BODS 0.4 entitySubtype, where the kind says one (NULL: none given).';

CREATE TABLE alias_kinds (
    kind        VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE alias_kinds IS 'Kinds of alternative name: legal name, short name, abbreviation, misspelling, descriptive reference.';
COMMENT ON COLUMN alias_kinds.kind IS 'Code of the kind.';
COMMENT ON COLUMN alias_kinds.description IS 'What belongs to this kind.';

CREATE TABLE sectors (
    sector_code VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE sectors IS 'Industries and markets, used for what an organisation makes or sells into and for the scope of targets and statistics.';
COMMENT ON COLUMN sectors.sector_code IS 'Code of the sector, e.g. car_batteries.';
COMMENT ON COLUMN sectors.description IS 'What the sector covers.';

CREATE TABLE stake_kinds (
    kind               VARCHAR PRIMARY KEY,
    description        VARCHAR NOT NULL,
    bods_interest_type VARCHAR NOT NULL CHECK (bods_interest_type IN ('shareholding', 'votingRights',
        'appointmentOfBoard', 'otherInfluenceOrControl', 'unknownInterest'))
);
COMMENT ON TABLE stake_kinds IS 'Kinds of tie between an owner and what it owns: equity stake, joint-venture partner, business unit.';
COMMENT ON COLUMN stake_kinds.kind IS 'Code of the kind.';
COMMENT ON COLUMN stake_kinds.description IS 'What the tie means.';
COMMENT ON COLUMN stake_kinds.bods_interest_type IS 'The interest type (BODS 0.4 interestType codelist) a stake of this kind is exported as.';

CREATE TABLE facility_kinds (
    kind        VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE facility_kinds IS 'Kinds of facility: a whole plant or a single production line.';
COMMENT ON COLUMN facility_kinds.kind IS 'Code of the kind.';
COMMENT ON COLUMN facility_kinds.description IS 'What belongs to this kind.';

CREATE TABLE facility_statuses (
    status      VARCHAR PRIMARY KEY,
    stage       INTEGER NOT NULL,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE facility_statuses IS 'Lifecycle statuses of a facility, after the vocabulary of Global Energy Monitor''s plant trackers (announced, pre-construction, construction, operating, mothballed, cancelled, ...), plus "considered" for sites an operator says it is only studying.';
COMMENT ON COLUMN facility_statuses.status IS 'Code of the status.';
COMMENT ON COLUMN facility_statuses.stage IS 'Order of the status in a plant''s life, for sorting: 1 considered, 2 announced, 3 planned, 4 under construction, 5 operating; halted and end states are 6 and 7.';
COMMENT ON COLUMN facility_statuses.description IS 'When a facility is in this status.';

CREATE TABLE metrics (
    metric_code     VARCHAR PRIMARY KEY,
    description     VARCHAR NOT NULL,
    is_quantitative BOOLEAN NOT NULL,
    running_total_of VARCHAR
);
COMMENT ON TABLE metrics IS 'What a target or a reported figure measures, so that targets can be set beside the figures for the same metric and scope.';
COMMENT ON COLUMN metrics.metric_code IS 'Code of the metric, e.g. ev_sales.';
COMMENT ON COLUMN metrics.description IS 'What is measured, and over which period.';
COMMENT ON COLUMN metrics.is_quantitative IS 'False for milestones that have no number (e.g. large-scale application of new batteries).';
COMMENT ON COLUMN metrics.running_total_of IS 'For a cumulative metric, the per-period metric it adds up (ev_sales_cumulative adds up ev_sales), so that reported periods can be set against a cumulative target; NULL otherwise.';

CREATE TABLE agreement_kinds (
    kind        VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE agreement_kinds IS 'Kinds of agreement between organisations: supply, production, joint brand, partnership.';
COMMENT ON COLUMN agreement_kinds.kind IS 'Code of the kind.';
COMMENT ON COLUMN agreement_kinds.description IS 'What belongs to this kind.';

CREATE TABLE agreement_statuses (
    status      VARCHAR PRIMARY KEY,
    firmness    INTEGER NOT NULL,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE agreement_statuses IS 'How firm an agreement is, from a reported possibility to a deal in force.';
COMMENT ON COLUMN agreement_statuses.status IS 'Code of the status.';
COMMENT ON COLUMN agreement_statuses.firmness IS 'Rank from 1 (least firm: considered) to 5 (most firm: active); higher is firmer.';
COMMENT ON COLUMN agreement_statuses.description IS 'When an agreement is in this status.';

CREATE TABLE party_roles (
    role        VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE party_roles IS 'Roles a party plays in an agreement: supplier, customer, partner.';
COMMENT ON COLUMN party_roles.role IS 'Code of the role.';
COMMENT ON COLUMN party_roles.description IS 'What the party does in the agreement.';

CREATE TABLE source_kinds (
    kind             VARCHAR PRIMARY KEY,
    description      VARCHAR NOT NULL,
    bods_source_type VARCHAR NOT NULL CHECK (bods_source_type IN ('selfDeclaration', 'officialRegister',
        'thirdParty', 'primaryResearch'))
);
COMMENT ON TABLE source_kinds IS 'Kinds of source: a news article, a blog post, a newspaper or wire report an article cites, a statement, an interview, an e-mail.';
COMMENT ON COLUMN source_kinds.kind IS 'Code of the kind.';
COMMENT ON COLUMN source_kinds.description IS 'What belongs to this kind.';
COMMENT ON COLUMN source_kinds.bods_source_type IS 'The source type (BODS 0.4 sourceType codelist) a statement resting on a source of this kind gives.';

CREATE TABLE document_kinds (
    kind        VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE document_kinds IS 'Kinds of policy or strategy document that targets belong to.';
COMMENT ON COLUMN document_kinds.kind IS 'Code of the kind.';
COMMENT ON COLUMN document_kinds.description IS 'What belongs to this kind.';

CREATE TABLE identifier_schemes (
    scheme      VARCHAR PRIMARY KEY,
    code        VARCHAR NOT NULL UNIQUE CHECK (code SIMILAR TO '[A-Z]{2}-[A-Z0-9]+'),
    name        VARCHAR NOT NULL,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE identifier_schemes IS 'Registers and lists whose identifiers name an organisation, with the org-id.guide code BODS statements give an identifier''s scheme by.';
COMMENT ON COLUMN identifier_schemes.scheme IS 'Code of the scheme in batterydb (an id: letters, digits and _), such as xi_lei.';
COMMENT ON COLUMN identifier_schemes.code IS 'Its org-id.guide code, as BODS writes it: a two-letter country code (XI for international) and the list, such as XI-LEI or GB-COH.';
COMMENT ON COLUMN identifier_schemes.name IS 'The name of the register or list.';
COMMENT ON COLUMN identifier_schemes.description IS 'What its identifiers name.';
