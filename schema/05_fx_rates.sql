-- Exchange rates, for turning an investment's amount into US dollars when the
-- source itself gives no dollar figure (see the investments_usd query).
--
-- A rate may only be seeded when it can be cited to a named official series
-- (a central bank's or a statistics office's published rate), with that
-- series' publication as its source row. The shipped seed file is empty:
-- no such series has been consulted for this data set. A rate is the
-- average (or fixing) of one day, one month or one year, stored like every
-- other date here: the first day of that period with a *_precision column.

CREATE TABLE fx_rates (
    currency_code  VARCHAR NOT NULL REFERENCES currencies (currency_code),
    rate_on        DATE NOT NULL,
    rate_precision VARCHAR NOT NULL CHECK (rate_precision IN ('day', 'month', 'year')),
    units_per_usd  DECIMAL(18, 6) NOT NULL CHECK (units_per_usd > 0),
    series         VARCHAR NOT NULL CHECK (trim(series) <> ''),
    source_id      VARCHAR NOT NULL REFERENCES sources (source_id),
    note           VARCHAR,
    PRIMARY KEY (currency_code, rate_precision, rate_on),
    -- on currency_code: currency_code USD needs no rate: every rate is a currency's units per USD
    CONSTRAINT not_usd CHECK (currency_code <> 'USD'),
    -- on rate_on: rate_on {rate_on} has rate_precision month, so it must be the first of the month ({rate_on:%Y-%m-01})
    CONSTRAINT rate_on_month_on_the_first CHECK (rate_precision <> 'month' OR day(rate_on) = 1),
    -- on rate_on: rate_on {rate_on} has rate_precision year, so it must be the first of January ({rate_on:%Y-01-01})
    CONSTRAINT rate_on_year_on_january_first CHECK (rate_precision <> 'year'
        OR (month(rate_on) = 1 AND day(rate_on) = 1))
);
COMMENT ON TABLE fx_rates IS 'Exchange rates against the US dollar, each from a named official series, for converting amounts the sources give in other currencies. One rate per currency and period (a day, a month or a year). Empty as shipped: a rate may only be added with a citable official series as its source.';
COMMENT ON COLUMN fx_rates.currency_code IS 'ISO 4217 code of the currency the rate converts from (never USD itself).';
COMMENT ON COLUMN fx_rates.rate_on IS 'First day of the period the rate applies to: the day itself, or the first of the month or of the year (see rate_precision).';
COMMENT ON COLUMN fx_rates.rate_precision IS 'Length of the period the rate applies to: day (a daily fixing), month or year (an average over that month or year).';
COMMENT ON COLUMN fx_rates.units_per_usd IS 'Units of the currency that one US dollar buys in that period (e.g. JPY per USD); an amount divided by it is in US dollars.';
COMMENT ON COLUMN fx_rates.series IS 'Name of the official series the rate is taken from, as its publisher names it, with the kind of figure (end of period, period average).';
COMMENT ON COLUMN fx_rates.source_id IS 'Source row for the publication of the series (its publisher in source_publishers).';
COMMENT ON COLUMN fx_rates.note IS 'How the rate was read from the series (e.g. which table, rounding), in our own words.';
