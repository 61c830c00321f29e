CREATE TABLE people (name text COLLATE "C", bio text, handle text);
CREATE INDEX people_name_idx ON people (name);
CREATE UNIQUE INDEX people_handle_idx ON people (lower(handle));
