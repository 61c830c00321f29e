//! The local PostgreSQL server, driven through `psql` and `pg_dump`.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Connection settings for the local server.
pub struct Server {
    host: String,
    user: String,
}

static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

impl Server {
    /// Checks that the server answers; an error explains how to start it.
    pub fn connect() -> Result<Self, String> {
        let server = Server {
            host: std::env::var("ASTROLA_PGHOST").unwrap_or_else(|_| "127.0.0.1".into()),
            user: std::env::var("ASTROLA_PGUSER").unwrap_or_else(|_| "postgres".into()),
        };
        let out = server.psql("postgres", "SELECT 1", &[]).map_err(|e| format!("PostgreSQL is not reachable on {}: {e}. Start it (see .ci/run); these tests never skip.", server.host))?;
        let _ = out;
        Ok(server)
    }

    fn psql(&self, db: &str, sql: &str, extra: &[&str]) -> Result<String, String> {
        let mut child = Command::new("psql")
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                &self.host,
                "-U",
                &self.user,
                "-d",
                db,
            ])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run psql: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            // psql stops reading at the first error (ON_ERROR_STOP); its
            // message is on stderr, so a broken pipe here is not the story.
            let _ = stdin.write_all(sql.as_bytes());
        }
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

const RESET: &str = r#"
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT evtname FROM pg_event_trigger LOOP EXECUTE format('DROP EVENT TRIGGER %I', r.evtname); END LOOP;
  FOR r IN SELECT pubname FROM pg_publication LOOP EXECUTE format('DROP PUBLICATION %I', r.pubname); END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP EXECUTE format('DROP EXTENSION %I CASCADE', r.extname); END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
END $$;
SET client_min_messages = warning;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';
"#;

/// A fresh database, dropped when this value is dropped.
pub struct Database<'a> {
    server: &'a Server,
    /// The database name.
    pub name: String,
}

impl<'a> Database<'a> {
    /// Creates an empty database from `template0`.
    pub fn create(server: &'a Server) -> Result<Self, String> {
        let name = format!(
            "astrola_t{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        server.psql("postgres", &format!("DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY;"), &[])?;
        Ok(Database { server, name })
    }

    /// Empties the database back to what `create` made: drops every
    /// extension but plpgsql, every schema (with its contents), event
    /// trigger and publication, and recreates `public` as PostgreSQL 15
    /// creates it. `pg_dump` of a reset database equals that of a new one,
    /// and a reset takes a fraction of the time of `CREATE DATABASE` (which
    /// forces a checkpoint).
    pub fn reset(&self) -> Result<(), String> {
        self.load(RESET)
    }

    /// Runs SQL in the database, stopping at the first error.
    pub fn load(&self, sql: &str) -> Result<(), String> {
        self.server.psql(&self.name, sql, &[]).map(|_| ())
    }

    /// `pg_dump --schema-only --no-owner` of the database.
    pub fn dump(&self) -> Result<String, String> {
        let out = Command::new("pg_dump")
            .args([
                "--schema-only",
                "--no-owner",
                "-h",
                &self.server.host,
                "-U",
                &self.server.user,
                &self.name,
            ])
            .output()
            .map_err(|e| format!("cannot run pg_dump: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

impl Drop for Database<'_> {
    fn drop(&mut self) {
        let _ = self.server.psql(
            "postgres",
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            &[],
        );
    }
}
