-- The schema before the migration (`--schema`) for fixtures/foreign-key-without-index.sql.
CREATE TABLE projects (id bigint PRIMARY KEY);
CREATE TABLE issues (id bigint PRIMARY KEY, project_id bigint, author_id bigint);
CREATE TABLE issue_keys (id bigint, project_id bigint, PRIMARY KEY (id, project_id));
CREATE TABLE notes (id bigint PRIMARY KEY, issue_id bigint, project_id bigint, author_id bigint, archived boolean);
CREATE INDEX index_notes_on_project_id ON notes (project_id);
CREATE INDEX index_notes_on_author_id_active ON notes (author_id) WHERE archived = false;
-- An existing foreign key without an index: not the migration's doing.
ALTER TABLE issues ADD CONSTRAINT fk_issues_author_id FOREIGN KEY (author_id) REFERENCES projects (id);
