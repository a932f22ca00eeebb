-- rule: a cumulative metric must add up a metric that exists
-- table: metrics
-- column: running_total_of
-- severity: error
--
-- metrics.running_total_of names another row of the same table, which a
-- foreign key cannot do here (rows of one file load in a single statement).
SELECT m._row,
       'unknown running_total_of ''' || m.running_total_of || ''': no row of metrics.csv has it as its metric_code'
FROM staged.metrics AS m
WHERE m._ok
  AND m.running_total_of IS NOT NULL
  AND m.running_total_of NOT IN (SELECT metric_code FROM staged.metrics WHERE metric_code IS NOT NULL)
ORDER BY m._row;
