CREATE TABLE refunds (id bigint, code text NOT NULL);
CREATE UNIQUE INDEX refunds_id_idx ON refunds (id);
CREATE TABLE tokens (id bigint);
