-- Fact tables: ownership, facilities and their capacities, targets, reported
-- figures, money and agreements. Every row cites a source.
--
-- Numbers follow one pattern (after the Beneficial Ownership Data Standard's
-- share object): an exact `value`, or bounds `value_min` / `value_max` with
-- `*_exclusive` flags, and a `qualifier` saying how the source put it. The
-- CHECK constraints below keep the three consistent, so "as much as 400"
-- can only be stored as an inclusive maximum of 400, "over 100" only as an
-- exclusive minimum, and "about 200,000" only as an approximate value.
-- An empty *_exclusive cell in a seed file means false.

CREATE TABLE ownership_stakes (
    stake_id            INTEGER PRIMARY KEY,
    owner_org_id        VARCHAR NOT NULL REFERENCES organisations (org_id),
    owned_org_id        VARCHAR NOT NULL REFERENCES organisations (org_id),
    kind                VARCHAR NOT NULL REFERENCES stake_kinds (kind),
    qualifier           VARCHAR NOT NULL REFERENCES qualifiers (qualifier),
    share_pct           DECIMAL(9, 6) CHECK (share_pct BETWEEN 0 AND 100),
    share_min_pct       DECIMAL(9, 6) CHECK (share_min_pct BETWEEN 0 AND 100),
    share_min_exclusive BOOLEAN NOT NULL DEFAULT false,
    share_max_pct       DECIMAL(9, 6) CHECK (share_max_pct BETWEEN 0 AND 100),
    share_max_exclusive BOOLEAN NOT NULL DEFAULT false,
    reported_on         DATE NOT NULL,
    reported_precision  VARCHAR NOT NULL CHECK (reported_precision IN ('day', 'month', 'year')),
    source_id           VARCHAR NOT NULL REFERENCES sources (source_id),
    note                VARCHAR,
    -- on owned_org_id: an organisation cannot own itself: owner_org_id and owned_org_id are both '{owner_org_id}'
    CONSTRAINT not_its_own_owner CHECK (owner_org_id <> owned_org_id),
    -- on reported_on: reported_on {reported_on} has reported_precision month, so it must be the first of the month ({reported_on:%Y-%m-01})
    CONSTRAINT reported_on_month_on_the_first CHECK (reported_precision <> 'month' OR day(reported_on) = 1),
    -- on reported_on: reported_on {reported_on} has reported_precision year, so it must be the first of January ({reported_on:%Y-01-01})
    CONSTRAINT reported_on_year_on_january_first CHECK (reported_precision <> 'year'
        OR (month(reported_on) = 1 AND day(reported_on) = 1)),
    -- on share_min_pct: share_min_pct {share_min_pct} is above share_max_pct {share_max_pct}
    CONSTRAINT min_not_above_max CHECK (share_min_pct IS NULL OR share_max_pct IS NULL
        OR share_min_pct <= share_max_pct),
    -- on share_min_pct: share_min_pct and share_max_pct are both {share_min_pct} but a bound is exclusive, so no value fits
    CONSTRAINT equal_bounds_inclusive CHECK (share_min_pct IS NULL OR share_max_pct IS NULL
        OR share_min_pct <> share_max_pct OR NOT (share_min_exclusive OR share_max_exclusive)),
    -- on qualifier: qualifier {qualifier} needs {qualifier_needs}; found {figures_found}
    CONSTRAINT figures_as_qualified CHECK (CASE qualifier
        WHEN 'exact' THEN share_pct IS NOT NULL AND share_min_pct IS NULL AND share_max_pct IS NULL
        WHEN 'about' THEN share_pct IS NOT NULL AND share_min_pct IS NULL AND share_max_pct IS NULL
        WHEN 'as_much_as' THEN share_pct IS NULL AND share_min_pct IS NULL AND share_max_pct IS NOT NULL AND NOT share_max_exclusive
        WHEN 'under' THEN share_pct IS NULL AND share_min_pct IS NULL AND share_max_pct IS NOT NULL AND share_max_exclusive
        WHEN 'at_least' THEN share_pct IS NULL AND share_min_pct IS NOT NULL AND NOT share_min_exclusive AND share_max_pct IS NULL
        WHEN 'over' THEN share_pct IS NULL AND share_min_pct IS NOT NULL AND share_min_exclusive AND share_max_pct IS NULL
        WHEN 'range' THEN share_pct IS NULL AND share_min_pct IS NOT NULL AND share_max_pct IS NOT NULL
        WHEN 'unknown' THEN share_pct IS NULL AND share_min_pct IS NULL AND share_max_pct IS NULL
        ELSE false END)
);
COMMENT ON TABLE ownership_stakes IS 'Who owns what: one row per owner, owned organisation and reporting date. The share is exact, bounded, or unknown (NULL) when a source names an owner without a figure. Shares in one organisation may add up to less than 100%: the remainder is undisclosed, not missing.';
COMMENT ON COLUMN ownership_stakes.stake_id IS 'Row identifier.';
COMMENT ON COLUMN ownership_stakes.owner_org_id IS 'The owner (or joint-venture partner, or parent of a business unit).';
COMMENT ON COLUMN ownership_stakes.owned_org_id IS 'The organisation owned.';
COMMENT ON COLUMN ownership_stakes.kind IS 'Kind of tie: equity_stake, jv_partner or business_unit.';
COMMENT ON COLUMN ownership_stakes.qualifier IS 'How the source states the share (exact, range, unknown, ...).';
COMMENT ON COLUMN ownership_stakes.share_pct IS 'Exact share in percent (0-100), when the source gives one; DECIMAL to six decimal places, so that registers'' shares (33.333334) are kept digit for digit and add up exactly.';
COMMENT ON COLUMN ownership_stakes.share_min_pct IS 'Lower bound of the share in percent, when the source gives bounds.';
COMMENT ON COLUMN ownership_stakes.share_min_exclusive IS 'True when the lower bound itself is excluded ("more than 50%").';
COMMENT ON COLUMN ownership_stakes.share_max_pct IS 'Upper bound of the share in percent, when the source gives bounds.';
COMMENT ON COLUMN ownership_stakes.share_max_exclusive IS 'True when the upper bound itself is excluded ("less than 50%").';
COMMENT ON COLUMN ownership_stakes.reported_on IS 'Date the stake was reported, as the first day of the month or year when only those are known.';
COMMENT ON COLUMN ownership_stakes.reported_precision IS 'Precision of reported_on: day, month or year.';
COMMENT ON COLUMN ownership_stakes.source_id IS 'Source of the fact.';
COMMENT ON COLUMN ownership_stakes.note IS 'How the source''s wording was read, in our own words.';

CREATE TABLE facilities (
    facility_id             VARCHAR PRIMARY KEY,
    name                    VARCHAR NOT NULL,
    operator_org_id         VARCHAR REFERENCES organisations (org_id),
    kind                    VARCHAR NOT NULL REFERENCES facility_kinds (kind),
    product                 VARCHAR,
    area                    VARCHAR,
    region                  VARCHAR,
    country_code            VARCHAR REFERENCES countries (country_code),
    location_is_approximate BOOLEAN NOT NULL,
    source_id               VARCHAR NOT NULL REFERENCES sources (source_id),
    note                    VARCHAR
);
COMMENT ON TABLE facilities IS 'Plants and production lines, built or only planned. Their lifecycle is in facility_status_history and their output in capacities.';
COMMENT ON COLUMN facilities.facility_id IS 'Stable identifier, e.g. boston_power_shanghai_plant.';
COMMENT ON COLUMN facilities.name IS 'Descriptive name (our own when the source gives none).';
COMMENT ON COLUMN facilities.operator_org_id IS 'Organisation that runs, or is to run, the facility.';
COMMENT ON COLUMN facilities.kind IS 'Kind of facility: plant or production_line.';
COMMENT ON COLUMN facilities.product IS 'What it makes, as the source says (e.g. lithium-ion battery cells).';
COMMENT ON COLUMN facilities.area IS 'City or area, as precisely as the source gives it (e.g. near Shanghai).';
COMMENT ON COLUMN facilities.region IS 'Province, state or wider region (e.g. Europe when no country is named).';
COMMENT ON COLUMN facilities.country_code IS 'ISO 3166-1 alpha-2 code; NULL when the source names only a wider region.';
COMMENT ON COLUMN facilities.location_is_approximate IS 'True when the source gives only a vicinity, a region or a country rather than the place itself.';
COMMENT ON COLUMN facilities.source_id IS 'Source that first describes the facility.';
COMMENT ON COLUMN facilities.note IS 'Other facts about the facility, in our own words.';

CREATE TABLE facility_status_history (
    facility_id      VARCHAR NOT NULL REFERENCES facilities (facility_id),
    status           VARCHAR NOT NULL REFERENCES facility_statuses (status),
    status_on        DATE NOT NULL,
    status_precision VARCHAR NOT NULL CHECK (status_precision IN ('day', 'month', 'year')),
    is_expected      BOOLEAN NOT NULL DEFAULT false,
    source_id        VARCHAR NOT NULL REFERENCES sources (source_id),
    note             VARCHAR,
    PRIMARY KEY (facility_id, status, status_on),
    -- on status_on: status_on {status_on} has status_precision month, so it must be the first of the month ({status_on:%Y-%m-01})
    CONSTRAINT status_on_month_on_the_first CHECK (status_precision <> 'month' OR day(status_on) = 1),
    -- on status_on: status_on {status_on} has status_precision year, so it must be the first of January ({status_on:%Y-01-01})
    CONSTRAINT status_on_year_on_january_first CHECK (status_precision <> 'year'
        OR (month(status_on) = 1 AND day(status_on) = 1))
);
COMMENT ON TABLE facility_status_history IS 'Dated lifecycle statuses of each facility. A row with is_expected = true is a status the source expects the facility to reach by that date, not one it reports.';
COMMENT ON COLUMN facility_status_history.facility_id IS 'The facility.';
COMMENT ON COLUMN facility_status_history.status IS 'Lifecycle status (see facility_statuses).';
COMMENT ON COLUMN facility_status_history.status_on IS 'Date the status was reported (or is expected), as the first day of the month or year when only those are known.';
COMMENT ON COLUMN facility_status_history.status_precision IS 'Precision of status_on: day, month or year.';
COMMENT ON COLUMN facility_status_history.is_expected IS 'True when the source forecasts this status rather than reporting it; an empty seed cell means false.';
COMMENT ON COLUMN facility_status_history.source_id IS 'Source of the fact.';
COMMENT ON COLUMN facility_status_history.note IS 'How the status was read from the source.';

CREATE TABLE capacities (
    capacity_id         INTEGER PRIMARY KEY,
    facility_id         VARCHAR REFERENCES facilities (facility_id),
    org_id              VARCHAR REFERENCES organisations (org_id),
    basis               VARCHAR NOT NULL CHECK (basis IN ('actual', 'planned', 'targeted')),
    qualifier           VARCHAR NOT NULL REFERENCES qualifiers (qualifier),
    value               DOUBLE CHECK (value >= 0),
    value_min           DOUBLE CHECK (value_min >= 0),
    value_min_exclusive BOOLEAN NOT NULL DEFAULT false,
    value_max           DOUBLE CHECK (value_max >= 0),
    value_max_exclusive BOOLEAN NOT NULL DEFAULT false,
    unit_code           VARCHAR NOT NULL REFERENCES units (unit_code),
    year                INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    year_qualifier      VARCHAR NOT NULL CHECK (year_qualifier IN ('in', 'from', 'by', 'not_before')),
    source_id           VARCHAR NOT NULL REFERENCES sources (source_id),
    note                VARCHAR,
    -- on facility_id: give exactly one of facility_id and org_id
    CONSTRAINT facility_id_or_org_id CHECK ((facility_id IS NULL) <> (org_id IS NULL)),
    -- on value_min: value_min {value_min} is above value_max {value_max}
    CONSTRAINT min_not_above_max CHECK (value_min IS NULL OR value_max IS NULL OR value_min <= value_max),
    -- on value_min: value_min and value_max are both {value_min} but a bound is exclusive, so no value fits
    CONSTRAINT equal_bounds_inclusive CHECK (value_min IS NULL OR value_max IS NULL OR value_min <> value_max
        OR NOT (value_min_exclusive OR value_max_exclusive)),
    -- on qualifier: qualifier {qualifier} needs {qualifier_needs}; found {figures_found}
    CONSTRAINT figures_as_qualified CHECK (CASE qualifier
        WHEN 'exact' THEN value IS NOT NULL AND value_min IS NULL AND value_max IS NULL
        WHEN 'about' THEN value IS NOT NULL AND value_min IS NULL AND value_max IS NULL
        WHEN 'as_much_as' THEN value IS NULL AND value_min IS NULL AND value_max IS NOT NULL AND NOT value_max_exclusive
        WHEN 'under' THEN value IS NULL AND value_min IS NULL AND value_max IS NOT NULL AND value_max_exclusive
        WHEN 'at_least' THEN value IS NULL AND value_min IS NOT NULL AND NOT value_min_exclusive AND value_max IS NULL
        WHEN 'over' THEN value IS NULL AND value_min IS NOT NULL AND value_min_exclusive AND value_max IS NULL
        WHEN 'range' THEN value IS NULL AND value_min IS NOT NULL AND value_max IS NOT NULL
        WHEN 'unknown' THEN value IS NULL AND value_min IS NULL AND value_max IS NULL
        ELSE false END)
);
COMMENT ON TABLE capacities IS 'Production capacity of a facility (or of an organisation, when the source names no plant) in a year, in the unit the source uses. Convert through unit_conversions; units without a conversion must not be summed with others.';
COMMENT ON COLUMN capacities.capacity_id IS 'Row identifier.';
COMMENT ON COLUMN capacities.facility_id IS 'The facility, when the capacity belongs to one (exactly one of facility_id and org_id is set).';
COMMENT ON COLUMN capacities.org_id IS 'The organisation, when the source gives its capacity without naming a plant.';
COMMENT ON COLUMN capacities.basis IS 'actual: capacity in place; planned: capacity a project is to have; targeted: an aim the operator set itself.';
COMMENT ON COLUMN capacities.qualifier IS 'How the source states the figure: exact, about, as_much_as (inclusive maximum), at_least (inclusive minimum), over (exclusive minimum), range, unknown.';
COMMENT ON COLUMN capacities.value IS 'Exact or approximate figure, in unit_code.';
COMMENT ON COLUMN capacities.value_min IS 'Lower bound, in unit_code.';
COMMENT ON COLUMN capacities.value_min_exclusive IS 'True when the lower bound itself is excluded ("over").';
COMMENT ON COLUMN capacities.value_max IS 'Upper bound, in unit_code.';
COMMENT ON COLUMN capacities.value_max_exclusive IS 'True when the upper bound itself is excluded.';
COMMENT ON COLUMN capacities.unit_code IS 'Unit of the figure, as in the source.';
COMMENT ON COLUMN capacities.year IS 'Year the figure applies to.';
COMMENT ON COLUMN capacities.year_qualifier IS 'How year applies: in (that year), from (that year on), by (no later than), not_before (that year or later).';
COMMENT ON COLUMN capacities.source_id IS 'Source of the fact.';
COMMENT ON COLUMN capacities.note IS 'How the source''s wording was read, in our own words.';

CREATE TABLE targets (
    target_id           INTEGER PRIMARY KEY,
    document_id         VARCHAR REFERENCES documents (document_id),
    metric_code         VARCHAR NOT NULL REFERENCES metrics (metric_code),
    scope_country_code  VARCHAR REFERENCES countries (country_code),
    scope_sector_code   VARCHAR REFERENCES sectors (sector_code),
    scope_org_id        VARCHAR REFERENCES organisations (org_id),
    comparator          VARCHAR NOT NULL CHECK (comparator IN ('>=', '>', '<=', '<', 'between', 'achieve')),
    qualifier           VARCHAR NOT NULL REFERENCES qualifiers (qualifier),
    value               DOUBLE,
    value_min           DOUBLE,
    value_min_exclusive BOOLEAN NOT NULL DEFAULT false,
    value_max           DOUBLE,
    value_max_exclusive BOOLEAN NOT NULL DEFAULT false,
    unit_code           VARCHAR REFERENCES units (unit_code),
    start_year          INTEGER CHECK (start_year BETWEEN 1900 AND 2200),
    deadline_year       INTEGER CHECK (deadline_year BETWEEN 1900 AND 2200),
    deadline_qualifier  VARCHAR CHECK (deadline_qualifier IN ('by', 'before', 'in')),
    description         VARCHAR NOT NULL,
    source_id           VARCHAR NOT NULL REFERENCES sources (source_id),
    note                VARCHAR,
    -- on scope_country_code: give the scope: at least one of scope_country_code, scope_sector_code and scope_org_id
    CONSTRAINT scope_given CHECK (scope_country_code IS NOT NULL OR scope_sector_code IS NOT NULL
        OR scope_org_id IS NOT NULL),
    -- on deadline_qualifier: deadline_year and deadline_qualifier go together: give both or neither
    CONSTRAINT deadline_year_with_deadline_qualifier CHECK ((deadline_year IS NULL) = (deadline_qualifier IS NULL)),
    -- on start_year: start_year {start_year} is after deadline_year {deadline_year}
    CONSTRAINT starts_by_its_deadline CHECK (start_year IS NULL OR deadline_year IS NULL
        OR start_year <= deadline_year),
    -- on comparator: comparator achieve (a milestone) goes with qualifier unknown (no figure), and only with it; found comparator {comparator} and qualifier {qualifier}
    CONSTRAINT milestone_without_figure CHECK ((comparator = 'achieve') = (qualifier = 'unknown')),
    -- on unit_code: a figure needs its unit_code and a milestone without a figure (qualifier unknown) has none; found unit_code {unit_code} and qualifier {qualifier}
    CONSTRAINT unit_with_figure CHECK ((unit_code IS NULL) = (qualifier = 'unknown')),
    -- on value_min: value_min {value_min} is above value_max {value_max}
    CONSTRAINT min_not_above_max CHECK (value_min IS NULL OR value_max IS NULL OR value_min <= value_max),
    -- on value_min: value_min and value_max are both {value_min} but a bound is exclusive, so no value fits
    CONSTRAINT equal_bounds_inclusive CHECK (value_min IS NULL OR value_max IS NULL OR value_min <> value_max
        OR NOT (value_min_exclusive OR value_max_exclusive)),
    -- on qualifier: qualifier {qualifier} needs {qualifier_needs}; found {figures_found}
    CONSTRAINT figures_as_qualified CHECK (CASE qualifier
        WHEN 'exact' THEN value IS NOT NULL AND value_min IS NULL AND value_max IS NULL
        WHEN 'about' THEN value IS NOT NULL AND value_min IS NULL AND value_max IS NULL
        WHEN 'as_much_as' THEN value IS NULL AND value_min IS NULL AND value_max IS NOT NULL AND NOT value_max_exclusive
        WHEN 'under' THEN value IS NULL AND value_min IS NULL AND value_max IS NOT NULL AND value_max_exclusive
        WHEN 'at_least' THEN value IS NULL AND value_min IS NOT NULL AND NOT value_min_exclusive AND value_max IS NULL
        WHEN 'over' THEN value IS NULL AND value_min IS NOT NULL AND value_min_exclusive AND value_max IS NULL
        WHEN 'range' THEN value IS NULL AND value_min IS NOT NULL AND value_max IS NOT NULL
        WHEN 'unknown' THEN value IS NULL AND value_min IS NULL AND value_max IS NULL
        ELSE false END)
);
COMMENT ON TABLE targets IS 'Targets and expectations set by governments and companies: what is to be reached (metric, value or bounds, unit), for which scope (country, sector, organisation), by when. Who set a target is in target_setters, or, for a target in a policy document, in document_issuers.';
COMMENT ON COLUMN targets.target_id IS 'Row identifier.';
COMMENT ON COLUMN targets.document_id IS 'The policy document the target belongs to, if any.';
COMMENT ON COLUMN targets.metric_code IS 'What is measured.';
COMMENT ON COLUMN targets.scope_country_code IS 'Country the target covers, if it covers one.';
COMMENT ON COLUMN targets.scope_sector_code IS 'Industry or market the target covers, if it covers one.';
COMMENT ON COLUMN targets.scope_org_id IS 'Organisation the target covers, for a company''s own goals or expectations.';
COMMENT ON COLUMN targets.comparator IS 'When a reported figure meets the target: >= or > the value or minimum, <= or < the value or maximum, between the bounds, or achieve for a milestone without a number.';
COMMENT ON COLUMN targets.qualifier IS 'How the source states the figure (unknown for milestones without a number).';
COMMENT ON COLUMN targets.value IS 'Target figure, when the source gives one number.';
COMMENT ON COLUMN targets.value_min IS 'Lower bound of the target.';
COMMENT ON COLUMN targets.value_min_exclusive IS 'True when the lower bound itself is excluded ("over 100").';
COMMENT ON COLUMN targets.value_max IS 'Upper bound of the target.';
COMMENT ON COLUMN targets.value_max_exclusive IS 'True when the upper bound itself is excluded ("hundreds" stops below 1,000).';
COMMENT ON COLUMN targets.unit_code IS 'Unit of the figure; NULL for milestones without a number.';
COMMENT ON COLUMN targets.start_year IS 'Year from which the target applies ("starting in 2012"), if stated.';
COMMENT ON COLUMN targets.deadline_year IS 'Year by which the target is to be met.';
COMMENT ON COLUMN targets.deadline_qualifier IS 'by (during or before the year), before (strictly before the year), in (during the year).';
COMMENT ON COLUMN targets.description IS 'The target in our own words.';
COMMENT ON COLUMN targets.source_id IS 'Source of the fact.';
COMMENT ON COLUMN targets.note IS 'How the source''s wording was read.';

CREATE TABLE target_setters (
    target_id INTEGER NOT NULL REFERENCES targets (target_id),
    org_id    VARCHAR NOT NULL REFERENCES organisations (org_id),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (target_id, org_id)
);
COMMENT ON TABLE target_setters IS 'Who set a target that does not belong to a document (a government, a company); several rows when set jointly.';
COMMENT ON COLUMN target_setters.target_id IS 'The target.';
COMMENT ON COLUMN target_setters.org_id IS 'A body that set it.';
COMMENT ON COLUMN target_setters.source_id IS 'Source of the fact.';

CREATE TABLE reported_figures (
    figure_id           INTEGER PRIMARY KEY,
    metric_code         VARCHAR NOT NULL REFERENCES metrics (metric_code),
    scope_country_code  VARCHAR REFERENCES countries (country_code),
    scope_sector_code   VARCHAR REFERENCES sectors (sector_code),
    scope_org_id        VARCHAR REFERENCES organisations (org_id),
    period_start        DATE NOT NULL,
    period_end          DATE NOT NULL,
    qualifier           VARCHAR NOT NULL REFERENCES qualifiers (qualifier),
    value               DOUBLE,
    value_min           DOUBLE,
    value_min_exclusive BOOLEAN NOT NULL DEFAULT false,
    value_max           DOUBLE,
    value_max_exclusive BOOLEAN NOT NULL DEFAULT false,
    unit_code           VARCHAR NOT NULL REFERENCES units (unit_code),
    reported_by_org_id  VARCHAR REFERENCES organisations (org_id),
    source_id           VARCHAR NOT NULL REFERENCES sources (source_id),
    note                VARCHAR,
    -- on period_start: period_start {period_start} is after period_end {period_end}
    CONSTRAINT period_in_order CHECK (period_start <= period_end),
    -- on scope_country_code: give the scope: at least one of scope_country_code, scope_sector_code and scope_org_id
    CONSTRAINT scope_given CHECK (scope_country_code IS NOT NULL OR scope_sector_code IS NOT NULL
        OR scope_org_id IS NOT NULL),
    -- on qualifier: a reported figure states a figure: qualifier unknown is not allowed here
    CONSTRAINT figure_reported CHECK (qualifier <> 'unknown'),
    -- on value_min: value_min {value_min} is above value_max {value_max}
    CONSTRAINT min_not_above_max CHECK (value_min IS NULL OR value_max IS NULL OR value_min <= value_max),
    -- on value_min: value_min and value_max are both {value_min} but a bound is exclusive, so no value fits
    CONSTRAINT equal_bounds_inclusive CHECK (value_min IS NULL OR value_max IS NULL OR value_min <> value_max
        OR NOT (value_min_exclusive OR value_max_exclusive)),
    -- on qualifier: qualifier {qualifier} needs {qualifier_needs}; found {figures_found}
    CONSTRAINT figures_as_qualified CHECK (CASE qualifier
        WHEN 'exact' THEN value IS NOT NULL AND value_min IS NULL AND value_max IS NULL
        WHEN 'about' THEN value IS NOT NULL AND value_min IS NULL AND value_max IS NULL
        WHEN 'as_much_as' THEN value IS NULL AND value_min IS NULL AND value_max IS NOT NULL AND NOT value_max_exclusive
        WHEN 'under' THEN value IS NULL AND value_min IS NULL AND value_max IS NOT NULL AND value_max_exclusive
        WHEN 'at_least' THEN value IS NULL AND value_min IS NOT NULL AND NOT value_min_exclusive AND value_max IS NULL
        WHEN 'over' THEN value IS NULL AND value_min IS NOT NULL AND value_min_exclusive AND value_max IS NULL
        WHEN 'range' THEN value IS NULL AND value_min IS NOT NULL AND value_max IS NOT NULL
        WHEN 'unknown' THEN value IS NULL AND value_min IS NULL AND value_max IS NULL
        ELSE false END)
);
COMMENT ON TABLE reported_figures IS 'Measured statistics (e.g. a country''s electric-vehicle sales in a year), to set beside targets for the same metric and scope.';
COMMENT ON COLUMN reported_figures.figure_id IS 'Row identifier.';
COMMENT ON COLUMN reported_figures.metric_code IS 'What is measured.';
COMMENT ON COLUMN reported_figures.scope_country_code IS 'Country the figure covers, if any.';
COMMENT ON COLUMN reported_figures.scope_sector_code IS 'Industry or market the figure covers, if any.';
COMMENT ON COLUMN reported_figures.scope_org_id IS 'Organisation the figure covers, if any.';
COMMENT ON COLUMN reported_figures.period_start IS 'First day of the period measured.';
COMMENT ON COLUMN reported_figures.period_end IS 'Last day of the period measured.';
COMMENT ON COLUMN reported_figures.qualifier IS 'How the source states the figure.';
COMMENT ON COLUMN reported_figures.value IS 'The figure, when the source gives one number.';
COMMENT ON COLUMN reported_figures.value_min IS 'Lower bound.';
COMMENT ON COLUMN reported_figures.value_min_exclusive IS 'True when the lower bound itself is excluded.';
COMMENT ON COLUMN reported_figures.value_max IS 'Upper bound.';
COMMENT ON COLUMN reported_figures.value_max_exclusive IS 'True when the upper bound itself is excluded.';
COMMENT ON COLUMN reported_figures.unit_code IS 'Unit of the figure.';
COMMENT ON COLUMN reported_figures.reported_by_org_id IS 'Organisation that compiled or gave the figure, when the source attributes it.';
COMMENT ON COLUMN reported_figures.source_id IS 'Source of the fact.';
COMMENT ON COLUMN reported_figures.note IS 'What exactly is counted, in our own words.';

CREATE TABLE investments (
    investment_id        INTEGER PRIMARY KEY,
    target_org_id        VARCHAR REFERENCES organisations (org_id),
    target_facility_id   VARCHAR REFERENCES facilities (facility_id),
    purpose              VARCHAR NOT NULL,
    qualifier            VARCHAR NOT NULL REFERENCES qualifiers (qualifier),
    amount               DECIMAL(18, 2) CHECK (amount >= 0),
    amount_min           DECIMAL(18, 2) CHECK (amount_min >= 0),
    amount_min_exclusive BOOLEAN NOT NULL DEFAULT false,
    amount_max           DECIMAL(18, 2) CHECK (amount_max >= 0),
    amount_max_exclusive BOOLEAN NOT NULL DEFAULT false,
    currency_code        VARCHAR REFERENCES currencies (currency_code),
    usd_stated           DECIMAL(18, 2) CHECK (usd_stated >= 0),
    usd_stated_qualifier VARCHAR REFERENCES qualifiers (qualifier) CHECK (usd_stated_qualifier IN ('exact', 'about')),
    period_years         INTEGER CHECK (period_years > 0),
    announced_on         DATE,
    announced_precision  VARCHAR CHECK (announced_precision IN ('day', 'month', 'year')),
    source_id            VARCHAR NOT NULL REFERENCES sources (source_id),
    note                 VARCHAR,
    -- on announced_precision: announced_on and announced_precision go together: give both or neither
    CONSTRAINT announced_on_with_announced_precision CHECK ((announced_on IS NULL) = (announced_precision IS NULL)),
    -- on announced_on: announced_on {announced_on} has announced_precision month, so it must be the first of the month ({announced_on:%Y-%m-01})
    CONSTRAINT announced_on_month_on_the_first CHECK (announced_precision <> 'month' OR day(announced_on) = 1),
    -- on announced_on: announced_on {announced_on} has announced_precision year, so it must be the first of January ({announced_on:%Y-01-01})
    CONSTRAINT announced_on_year_on_january_first CHECK (announced_precision <> 'year'
        OR (month(announced_on) = 1 AND day(announced_on) = 1)),
    -- on usd_stated_qualifier: usd_stated and usd_stated_qualifier go together: give both or neither
    CONSTRAINT usd_stated_with_usd_stated_qualifier CHECK ((usd_stated IS NULL) = (usd_stated_qualifier IS NULL)),
    -- on currency_code: an amount needs its currency_code and an unknown amount (qualifier unknown) has none; found currency_code {currency_code} and qualifier {qualifier}
    CONSTRAINT currency_with_amount CHECK ((currency_code IS NULL) = (qualifier = 'unknown')),
    -- on amount_min: amount_min {amount_min} is above amount_max {amount_max}
    CONSTRAINT min_not_above_max CHECK (amount_min IS NULL OR amount_max IS NULL OR amount_min <= amount_max),
    -- on amount_min: amount_min and amount_max are both {amount_min} but a bound is exclusive, so no value fits
    CONSTRAINT equal_bounds_inclusive CHECK (amount_min IS NULL OR amount_max IS NULL OR amount_min <> amount_max
        OR NOT (amount_min_exclusive OR amount_max_exclusive)),
    -- on qualifier: qualifier {qualifier} needs {qualifier_needs}; found {figures_found}
    CONSTRAINT figures_as_qualified CHECK (CASE qualifier
        WHEN 'exact' THEN amount IS NOT NULL AND amount_min IS NULL AND amount_max IS NULL
        WHEN 'about' THEN amount IS NOT NULL AND amount_min IS NULL AND amount_max IS NULL
        WHEN 'as_much_as' THEN amount IS NULL AND amount_min IS NULL AND amount_max IS NOT NULL AND NOT amount_max_exclusive
        WHEN 'under' THEN amount IS NULL AND amount_min IS NULL AND amount_max IS NOT NULL AND amount_max_exclusive
        WHEN 'at_least' THEN amount IS NULL AND amount_min IS NOT NULL AND NOT amount_min_exclusive AND amount_max IS NULL
        WHEN 'over' THEN amount IS NULL AND amount_min IS NOT NULL AND amount_min_exclusive AND amount_max IS NULL
        WHEN 'range' THEN amount IS NULL AND amount_min IS NOT NULL AND amount_max IS NOT NULL
        WHEN 'unknown' THEN amount IS NULL AND amount_min IS NULL AND amount_max IS NULL
        ELSE false END)
);
COMMENT ON TABLE investments IS 'Money committed or spent: amount (exact or bounds) in the source''s currency, the US-dollar figure where the source itself states one, what it goes into and over how long. Investors are in investment_investors.';
COMMENT ON COLUMN investments.investment_id IS 'Row identifier.';
COMMENT ON COLUMN investments.target_org_id IS 'Organisation invested in (e.g. a joint venture''s capital), if any.';
COMMENT ON COLUMN investments.target_facility_id IS 'Facility invested in, if any.';
COMMENT ON COLUMN investments.purpose IS 'What the money is for, in our own words.';
COMMENT ON COLUMN investments.qualifier IS 'How the source states the amount (unknown when it gives none).';
COMMENT ON COLUMN investments.amount IS 'Amount in currency_code, when the source gives one figure.';
COMMENT ON COLUMN investments.amount_min IS 'Lower bound of the amount.';
COMMENT ON COLUMN investments.amount_min_exclusive IS 'True when the lower bound itself is excluded.';
COMMENT ON COLUMN investments.amount_max IS 'Upper bound of the amount.';
COMMENT ON COLUMN investments.amount_max_exclusive IS 'True when the upper bound itself is excluded.';
COMMENT ON COLUMN investments.currency_code IS 'ISO 4217 currency of the amount; NULL only when no amount is known.';
COMMENT ON COLUMN investments.usd_stated IS 'US-dollar equivalent as the source itself states it (never computed here).';
COMMENT ON COLUMN investments.usd_stated_qualifier IS 'exact or about, as the source states the US-dollar figure.';
COMMENT ON COLUMN investments.period_years IS 'Number of years the amount is spread over ("over three years"), if stated.';
COMMENT ON COLUMN investments.announced_on IS 'Date the investment was announced or reported, as the first day of the month or year when only those are known.';
COMMENT ON COLUMN investments.announced_precision IS 'Precision of announced_on: day, month or year.';
COMMENT ON COLUMN investments.source_id IS 'Source of the fact.';
COMMENT ON COLUMN investments.note IS 'How the source''s wording was read.';

CREATE TABLE investment_investors (
    investment_id INTEGER NOT NULL REFERENCES investments (investment_id),
    org_id        VARCHAR NOT NULL REFERENCES organisations (org_id),
    source_id     VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (investment_id, org_id)
);
COMMENT ON TABLE investment_investors IS 'Who puts up the money of an investment; several rows when investors invest together (the split between them is not known unless stated elsewhere).';
COMMENT ON COLUMN investment_investors.investment_id IS 'The investment.';
COMMENT ON COLUMN investment_investors.org_id IS 'An investor.';
COMMENT ON COLUMN investment_investors.source_id IS 'Source of the fact.';

CREATE TABLE agreements (
    agreement_id        INTEGER PRIMARY KEY,
    kind                VARCHAR NOT NULL REFERENCES agreement_kinds (kind),
    status              VARCHAR NOT NULL REFERENCES agreement_statuses (status),
    subject             VARCHAR NOT NULL,
    facility_id         VARCHAR REFERENCES facilities (facility_id),
    announced_on        DATE,
    announced_precision VARCHAR CHECK (announced_precision IN ('day', 'month', 'year')),
    start_year          INTEGER CHECK (start_year BETWEEN 1900 AND 2200),
    source_id           VARCHAR NOT NULL REFERENCES sources (source_id),
    note                VARCHAR,
    -- on announced_precision: announced_on and announced_precision go together: give both or neither
    CONSTRAINT announced_on_with_announced_precision CHECK ((announced_on IS NULL) = (announced_precision IS NULL)),
    -- on announced_on: announced_on {announced_on} has announced_precision month, so it must be the first of the month ({announced_on:%Y-%m-01})
    CONSTRAINT announced_on_month_on_the_first CHECK (announced_precision <> 'month' OR day(announced_on) = 1),
    -- on announced_on: announced_on {announced_on} has announced_precision year, so it must be the first of January ({announced_on:%Y-01-01})
    CONSTRAINT announced_on_year_on_january_first CHECK (announced_precision <> 'year'
        OR (month(announced_on) = 1 AND day(announced_on) = 1))
);
COMMENT ON TABLE agreements IS 'Agreements between organisations (supply deals, production deals, joint brands, partnerships), including those only reported or under consideration; status says how firm each is. Parties and their roles are in agreement_parties.';
COMMENT ON COLUMN agreements.agreement_id IS 'Row identifier.';
COMMENT ON COLUMN agreements.kind IS 'Kind of agreement.';
COMMENT ON COLUMN agreements.status IS 'How firm the agreement is, as of the source.';
COMMENT ON COLUMN agreements.subject IS 'What is agreed, in our own words.';
COMMENT ON COLUMN agreements.facility_id IS 'Facility that supplies or produces under the agreement, when the source names one.';
COMMENT ON COLUMN agreements.announced_on IS 'Date the agreement was announced or reported, as the first day of the month or year when only those are known; NULL when the source gives no date.';
COMMENT ON COLUMN agreements.announced_precision IS 'Precision of announced_on: day, month or year.';
COMMENT ON COLUMN agreements.start_year IS 'Year deliveries or the cooperation start, if stated.';
COMMENT ON COLUMN agreements.source_id IS 'Source of the fact.';
COMMENT ON COLUMN agreements.note IS 'Further details, in our own words.';

CREATE TABLE agreement_parties (
    agreement_id INTEGER NOT NULL REFERENCES agreements (agreement_id),
    org_id       VARCHAR NOT NULL REFERENCES organisations (org_id),
    role         VARCHAR NOT NULL REFERENCES party_roles (role),
    source_id    VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (agreement_id, org_id, role)
);
COMMENT ON TABLE agreement_parties IS 'The parties to an agreement and the role each plays.';
COMMENT ON COLUMN agreement_parties.agreement_id IS 'The agreement.';
COMMENT ON COLUMN agreement_parties.org_id IS 'A party.';
COMMENT ON COLUMN agreement_parties.role IS 'Its role: supplier, customer or partner.';
COMMENT ON COLUMN agreement_parties.source_id IS 'Source of the fact.';
