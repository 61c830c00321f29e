-- The schema before the migration (`--schema`) for fixtures/redundant-index.sql.
CREATE TABLE notes (id bigint PRIMARY KEY, project_id bigint, created_at timestamptz, note text);
CREATE INDEX index_notes_on_project_id_and_created_at ON notes (project_id, created_at);
CREATE INDEX index_notes_on_note ON notes (note);
