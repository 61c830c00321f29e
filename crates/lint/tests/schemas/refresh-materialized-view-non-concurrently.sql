CREATE MATERIALIZED VIEW sales_by_day AS SELECT 1 AS day, 2 AS total;
CREATE UNIQUE INDEX sales_by_day_day ON sales_by_day (day);
