CREATE UNLOGGED TABLE cache_entries (k text);
