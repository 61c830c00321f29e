//! The local MariaDB (or MySQL) server, driven through the `mariadb` (or
//! `mysql`) client and `mariadb-dump` (or `mysqldump`).
//!
//! The server is `127.0.0.1:3306`, user `root` with an empty password,
//! unless `ASTROLA_MYSQL_HOST`, `ASTROLA_MYSQL_PORT` and `ASTROLA_MYSQL_USER`
//! say otherwise.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Connection settings for the local server and the client programs found.
pub struct Server {
    host: String,
    port: String,
    user: String,
    client: &'static str,
    dumper: &'static str,
}

static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The first of `names` that runs (`--version` succeeds).
fn program(names: &[&'static str]) -> Option<&'static str> {
    names.iter().copied().find(|p| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// Runs `program` with `args`, feeding it `input`; returns its standard
/// output, or its error output when it fails.
fn run(program: &str, args: &[String], input: &str) -> Result<String, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let stdin = child.stdin.take();
    let input = input.to_string();
    // Written from a thread so that a large input cannot deadlock against a
    // full output pipe. The client stops reading at the first error; its
    // message is on stderr, so a broken pipe here is not the story.
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(input.as_bytes());
        }
    });
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

impl Server {
    /// Checks that the server answers; an error explains what is missing.
    pub fn connect() -> Result<Self, String> {
        let client = program(&["mariadb", "mysql"]).ok_or("neither the `mariadb` nor the `mysql` client is installed")?;
        let dumper = program(&["mariadb-dump", "mysqldump"]).ok_or("neither `mariadb-dump` nor `mysqldump` is installed")?;
        let server = Server {
            host: std::env::var("ASTROLA_MYSQL_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
            port: std::env::var("ASTROLA_MYSQL_PORT").unwrap_or_else(|_| "3306".into()),
            user: std::env::var("ASTROLA_MYSQL_USER").unwrap_or_else(|_| "root".into()),
            client,
            dumper,
        };
        server.query(None, "SELECT 1").map_err(|e| {
            format!(
                "MariaDB is not reachable on {}:{} as {} (empty password): {}. Start it (see .ci/run); these tests never skip.",
                server.host,
                server.port,
                server.user,
                e.trim()
            )
        })?;
        Ok(server)
    }

    fn connection_args(&self) -> Vec<String> {
        vec![
            format!("--host={}", self.host),
            format!("--port={}", self.port),
            format!("--user={}", self.user),
            "--default-character-set=utf8mb4".into(),
        ]
    }

    /// Runs `sql` (a script, with `DELIMITER` lines if it needs them) in
    /// `db`, stopping at the first error; returns the tab-separated rows.
    pub fn query(&self, db: Option<&str>, sql: &str) -> Result<String, String> {
        let mut args = self.connection_args();
        args.extend(["--batch".into(), "--skip-column-names".into()]);
        args.extend(db.map(str::to_string));
        run(self.client, &args, sql)
    }

    /// Runs `sql` in `db`, stopping at the first error. A script with
    /// `DELIMITER` lines is written for the `mysql` client and goes through
    /// it as it is; any other script is sent as one multi-statement request,
    /// as a driver (or a migration tool) sends it, so that the server splits
    /// it and a trigger or routine body needs no `DELIMITER`.
    pub fn execute_script(&self, db: &str, sql: &str) -> Result<(), String> {
        let for_the_client = sql.lines().any(|l| l.trim_start().get(..10).is_some_and(|w| w.eq_ignore_ascii_case("DELIMITER ")));
        let mut args = self.connection_args();
        args.push("--batch".into());
        if !for_the_client {
            // A delimiter no script holds: the client sends the text whole.
            args.push("--delimiter=/*astrola-end-of-script*/".into());
        }
        args.push(db.to_string());
        run(self.client, &args, sql).map(|_| ())
    }

    /// The server's version string (`10.11.6-MariaDB-...`).
    pub fn version(&self) -> Result<String, String> {
        self.query(None, "SELECT VERSION()").map(|v| v.trim().to_string())
    }
}

/// A fresh database, dropped when this value is dropped.
pub struct Database<'a> {
    server: &'a Server,
    /// The database name.
    pub name: String,
}

impl<'a> Database<'a> {
    /// Creates an empty database with the server's default character set.
    pub fn create(server: &'a Server) -> Result<Self, String> {
        let name = format!("astrola_t{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::Relaxed));
        server.query(None, &format!("DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`;"))?;
        Ok(Database { server, name })
    }

    /// Runs a script in the database as one multi-statement request (see
    /// [`Server::execute_script`]), stopping at the first error.
    pub fn load(&self, sql: &str) -> Result<(), String> {
        self.server.execute_script(&self.name, sql)
    }

    /// Runs a query in the database; returns the tab-separated rows.
    pub fn query(&self, sql: &str) -> Result<String, String> {
        self.server.query(Some(&self.name), sql)
    }

    /// `mariadb-dump --no-data --skip-comments` of the database: tables,
    /// views and triggers, without data and without the dump's header.
    pub fn dump(&self) -> Result<String, String> {
        let mut args = self.server.connection_args();
        args.extend(["--no-data".into(), "--skip-comments".into(), "--skip-add-drop-table".into(), self.name.clone()]);
        run(self.server.dumper, &args, "")
    }
}

impl Drop for Database<'_> {
    fn drop(&mut self) {
        let _ = self.server.query(None, &format!("DROP DATABASE IF EXISTS `{}`", self.name));
    }
}
