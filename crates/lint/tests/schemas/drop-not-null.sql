-- The schema before the migration (`--schema`) for fixtures/drop-not-null.sql.
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, nickname text);
