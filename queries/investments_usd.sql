-- title: Investments in US dollars
-- question: Who invests how much in what, as the source states it and in US dollars, and on what basis is each dollar figure given?
-- column investment_id INTEGER: The investment's id (see the provenance query with table_name=investments).
-- column investors VARCHAR: Every investor by name, separated by '; '.
-- column invested_in VARCHAR: The organisation and/or facility the money goes into; NULL when the source names
--   neither.
-- column purpose VARCHAR: What the money is for, in our own words.
-- column amount_as_stated VARCHAR: The amount as the source states it, in its own currency, e.g. at least
--   1100000000; unknown when it gives none.
-- column amount_min DECIMAL(18,2): The least the amount can be, in currency_code; NULL when it has no lower
--   bound or is not disclosed.
-- column amount_max DECIMAL(18,2): The most the amount can be, in currency_code; NULL when it has no upper
--   bound or is not disclosed.
-- column currency_code VARCHAR: The amount's currency (ISO 4217); NULL when no amount is disclosed.
-- column period_years INTEGER: The years the amount is spread over, when the source says.
-- column usd_min DECIMAL(18,2): The least the amount can be in US dollars; NULL when it cannot be given.
-- column usd_max DECIMAL(18,2): The most the amount can be in US dollars; NULL when it cannot be given.
-- column usd_basis VARCHAR: Where usd_min and usd_max come from, or why they are NULL.
-- column announced_on DATE: When it was announced or reported, as the first day of the month or year when only
--   those are known.
-- column announced_precision VARCHAR: Precision of announced_on: day, month or year.
-- column source_id VARCHAR: The source of the investment (see the provenance query).
--
-- One row per investment, earliest announcement first (undated ones last).
-- investors lists every investor by name; invested_in is the organisation
-- or facility the money goes into, NULL when the source names neither (the
-- purpose then says what it is for). The amount is shown as the source
-- states it (bounds_text) in its own currency, and as the least and the
-- most it can be in that currency (amount_min, amount_max).
--
-- usd_min and usd_max are the least and the most the amount can be in US
-- dollars (an "at least" amount has no usd_max); whether a bound is itself
-- excluded ("under", "over") shows in amount_as_stated, not in these
-- columns. usd_basis says where they come from, in this order of preference:
--   'no amount disclosed'          the source gives no figure; both NULL.
--   'amount already in USD'        the bounds are the amount's own.
--   'stated by the source'         the dollar figure the source itself gives
--                                  (investments.usd_stated), as both bounds;
--                                  "(about)" when the source rounds it.
--   'fx_rates: SERIES, ...'        amount divided by the units per dollar of
--                                  the rate in fx_rates, naming the series,
--                                  the rate and the period it applies to.
--   'no date to choose a XXX rate by' / 'no rate for XXX in fx_rates'
--                                  no conversion is possible; both NULL.
-- A rate applies when its period (day, month or year) covers the whole
-- period the announcement date is known to: a date known to the month takes
-- that month's or that year's rate, never a single day's. When several
-- apply, the finest one is used. Converted bounds are rounded to the cent.
-- An amount spread over several years (period_years) is converted at the
-- rate of its announcement, not year by year. fx_rates ships empty, so on
-- the shipped data only the first three bases occur.
WITH investors AS (
    SELECT
        ii.investment_id,
        string_agg(o.name, '; ' ORDER BY o.name) AS names
    FROM investment_investors AS ii
    JOIN organisations AS o ON o.org_id = ii.org_id
    GROUP BY ii.investment_id
),

-- Every rate whose period covers the announcement, the finest first.
applicable_rates AS (
    SELECT
        i.investment_id,
        r.units_per_usd,
        r.series,
        r.rate_on,
        r.rate_precision,
        row_number() OVER (
            PARTITION BY i.investment_id
            ORDER BY CASE r.rate_precision WHEN 'day' THEN 1 WHEN 'month' THEN 2 ELSE 3 END
        ) AS preference
    FROM investments AS i
    JOIN fx_rates AS r
        ON r.currency_code = i.currency_code
       AND r.rate_on = CAST(date_trunc(r.rate_precision, i.announced_on) AS DATE)
       AND CASE r.rate_precision WHEN 'day' THEN 1 WHEN 'month' THEN 2 ELSE 3 END
           >= CASE i.announced_precision WHEN 'day' THEN 1 WHEN 'month' THEN 2 ELSE 3 END
),

rates AS (
    SELECT
        ar.investment_id,
        ar.units_per_usd,
        'fx_rates: ' || ar.series || ', ' || number_text(ar.units_per_usd) || ' ' || i.currency_code
        || ' per USD for ' || date_text(ar.rate_on, ar.rate_precision) AS basis
    FROM applicable_rates AS ar
    JOIN investments AS i ON i.investment_id = ar.investment_id
    WHERE ar.preference = 1
),

converted AS (
    SELECT
        i.*,
        CASE
            WHEN i.qualifier = 'unknown' THEN 'no amount disclosed'
            WHEN i.currency_code = 'USD' THEN 'amount already in USD'
            WHEN i.usd_stated IS NOT NULL THEN
                'stated by the source' || CASE WHEN i.usd_stated_qualifier = 'about' THEN ' (about)' ELSE '' END
            WHEN r.basis IS NOT NULL THEN r.basis
            WHEN i.announced_on IS NULL THEN 'no date to choose a ' || i.currency_code || ' rate by'
            ELSE 'no rate for ' || i.currency_code || ' in fx_rates'
        END AS usd_basis,
        CASE
            WHEN i.qualifier = 'unknown' THEN NULL
            WHEN i.currency_code = 'USD' THEN lower_bound(i.amount, i.amount_min)
            WHEN i.usd_stated IS NOT NULL THEN i.usd_stated
            ELSE CAST(round(lower_bound(i.amount, i.amount_min) / r.units_per_usd, 2) AS DECIMAL(18, 2))
        END AS usd_min,
        CASE
            WHEN i.qualifier = 'unknown' THEN NULL
            WHEN i.currency_code = 'USD' THEN upper_bound(i.amount, i.amount_max)
            WHEN i.usd_stated IS NOT NULL THEN i.usd_stated
            ELSE CAST(round(upper_bound(i.amount, i.amount_max) / r.units_per_usd, 2) AS DECIMAL(18, 2))
        END AS usd_max
    FROM investments AS i
    LEFT JOIN rates AS r ON r.investment_id = i.investment_id
)

SELECT
    c.investment_id,
    inv.names AS investors,
    nullif(concat_ws(' / ', target_org.name, target_facility.name), '') AS invested_in,
    c.purpose,
    bounds_text(
        c.qualifier, c.amount, c.amount_min, c.amount_min_exclusive, c.amount_max, c.amount_max_exclusive
    ) AS amount_as_stated,
    lower_bound(c.amount, c.amount_min) AS amount_min,
    upper_bound(c.amount, c.amount_max) AS amount_max,
    c.currency_code,
    c.period_years,
    c.usd_min,
    c.usd_max,
    c.usd_basis,
    c.announced_on,
    c.announced_precision,
    c.source_id
FROM converted AS c
LEFT JOIN investors AS inv ON inv.investment_id = c.investment_id
LEFT JOIN organisations AS target_org ON target_org.org_id = c.target_org_id
LEFT JOIN facilities AS target_facility ON target_facility.facility_id = c.target_facility_id
ORDER BY c.announced_on NULLS LAST, c.investment_id;
