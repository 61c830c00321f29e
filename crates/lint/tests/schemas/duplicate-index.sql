-- The schema before the migration (`--schema`) for fixtures/duplicate-index.sql.
CREATE TABLE issues (id bigint PRIMARY KEY, project_id bigint, title text, state text);
CREATE INDEX index_issues_on_project_id ON issues (project_id);
CREATE INDEX index_issues_on_title ON issues (title);
