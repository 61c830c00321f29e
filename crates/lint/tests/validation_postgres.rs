//! The pre-deployment queries of the findings that fail on existing data,
//! run on the local PostgreSQL server against tables with planted bad rows:
//! each query must count exactly the planted rows, the statement must fail
//! on the server while they are there, and succeed (with the query at 0)
//! once they are gone. The server must answer: this test never skips.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use astrola_core::{parse_sql, Dialect};
use astrola_lint::{lint_sql, LintOptions};

/// The tables, as the linter's `--schema` and as the server's setup.
const SCHEMA: &str = r#"
CREATE TABLE users (id bigint PRIMARY KEY, email text, nickname text, age int);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);
CREATE TABLE tags (id bigint, name text);
CREATE TABLE refs (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE pairs (a int, ref_a int, ref_b int);
CREATE TABLE "Weird Table" ("select" int, "Mixed" text);
"#;

/// The planted rows. The comments count the rows each statement below
/// fails on.
const ROWS: &str = r#"
INSERT INTO users VALUES (1, 'a@x', 'n', 20), (2, NULL, 'n', 30), (3, NULL, NULL, -5), (4, 'a@x', 'm', 40), (5, 'a@x', NULL, 50), (6, 'b@x', 'z', NULL);
INSERT INTO orders VALUES (1, 1, 10), (2, 99, 5), (3, NULL, 1), (4, 98, -1);
INSERT INTO tags VALUES (1, 'a'), (1, 'b'), (NULL, 'c'), (2, 'd');
INSERT INTO refs VALUES (1, 1);
INSERT INTO pairs VALUES (1, 1, 1), (2, 2, NULL), (3, 9, 9), (4, NULL, NULL);
INSERT INTO "Weird Table" VALUES (NULL, 'x'), (1, 'x'), (NULL, 'y');
"#;

/// Each statement, the rule that reports it, the rows it fails on, and the
/// SQL that removes those rows.
const CASES: &[(&str, &str, i64, &str)] = &[
    // users.email is NULL in rows 2 and 3.
    ("ALTER TABLE users ALTER COLUMN email SET NOT NULL", "set-not-null", 2, "UPDATE users SET email = 'filled' || id WHERE email IS NULL"),
    // 'a@x' appears in rows 1, 4 and 5; NULLs never collide.
    ("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)", "add-unique-constraint", 3, "UPDATE users SET email = email || id WHERE email = 'a@x'"),
    // age -5 fails; NULL passes a CHECK.
    ("ALTER TABLE users ADD CONSTRAINT users_age_positive CHECK (age > 0)", "add-check-without-not-valid", 1, "UPDATE users SET age = 1 WHERE age <= 0"),
    // user_id 99 and 98 have no user; NULL is not checked. The referenced
    // columns come from the schema's primary key.
    ("ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users", "add-foreign-key-without-not-valid", 2, "DELETE FROM orders WHERE user_id > 90"),
    // MATCH FULL: (9, 9) has no parent and (2, NULL) is partly NULL; (NULL, NULL) passes.
    ("ALTER TABLE pairs ADD CONSTRAINT pairs_ref FOREIGN KEY (ref_a, ref_b) REFERENCES refs (x, y) MATCH FULL", "add-foreign-key-without-not-valid", 2, "DELETE FROM pairs WHERE a IN (2, 3)"),
    // A primary key on tags.id: one NULL and two rows with id 1.
    ("ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY (id)", "add-unique-constraint", 3, "DELETE FROM tags WHERE id IS NULL OR name = 'b'"),
    // Every row of refs (the statements above only ran in rolled-back
    // transactions, so no foreign key points at it).
    ("ALTER TABLE refs ADD COLUMN note text NOT NULL", "add-required-column", 1, "DELETE FROM refs"),
    // Quoted names: two NULLs in "select".
    (r#"ALTER TABLE "Weird Table" ALTER COLUMN "select" SET NOT NULL"#, "set-not-null", 2, r#"DELETE FROM "Weird Table" WHERE "select" IS NULL"#),
];

struct Server {
    host: String,
    user: String,
    db: String,
}

impl Server {
    fn psql(&self, db: &str, sql: &str) -> Result<String, String> {
        let mut child = Command::new("psql")
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", &self.host, "-U", &self.user, "-d", db])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run psql: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(sql.as_bytes());
        }
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    fn run(&self, sql: &str) -> Result<String, String> {
        self.psql(&self.db, sql)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.psql("postgres", &format!("DROP DATABASE IF EXISTS {}", self.db));
    }
}

fn server() -> Server {
    let server = Server {
        host: std::env::var("ASTROLA_PGHOST").unwrap_or_else(|_| "127.0.0.1".into()),
        user: std::env::var("ASTROLA_PGUSER").unwrap_or_else(|_| "postgres".into()),
        db: format!("astrola_lint_validation_{}", std::process::id()),
    };
    server.psql("postgres", "SELECT 1").unwrap_or_else(|e| panic!("PostgreSQL is not reachable on {}: {e}. Start it (see .ci/run); this test never skips.", server.host));
    server.psql("postgres", &format!("DROP DATABASE IF EXISTS {0}; CREATE DATABASE {0}", server.db)).expect("creates the test database");
    server
}

#[test]
fn validation_queries_count_the_planted_rows_on_the_server() {
    let server = server();
    server.run(SCHEMA).expect("schema loads");
    server.run(ROWS).expect("rows load");
    let schema = parse_sql(SCHEMA, Dialect::Postgres).expect("schema parses").schema;
    let options = LintOptions { schema: Some(Arc::new(schema)), ..LintOptions::default() };
    for &(statement, rule, planted, cleanup) in CASES {
        let found = lint_sql(&format!("{statement};"), "m.sql", &options);
        let finding = found.iter().find(|d| d.rule == rule).unwrap_or_else(|| panic!("{rule} does not report `{statement}`: {found:?}"));
        let query = finding.validation.as_deref().unwrap_or_else(|| panic!("{rule} gives no validation query for `{statement}`"));
        let counted: i64 = server.run(query).unwrap_or_else(|e| panic!("`{query}` fails: {e}")).parse().unwrap_or_else(|e| panic!("`{query}` is not a count: {e}"));
        assert_eq!(counted, planted, "`{query}` for `{statement}`");
        // The statement really fails while the rows are there...
        let attempt = server.run(&format!("BEGIN; {statement}; ROLLBACK;"));
        assert!(attempt.is_err(), "`{statement}` succeeded although {planted} row(s) should stop it");
        // ...and succeeds, with the query at 0, once they are gone.
        server.run(&format!("BEGIN; {cleanup}; COMMIT;")).unwrap_or_else(|e| panic!("cleanup `{cleanup}` fails: {e}"));
        assert_eq!(server.run(query).expect("query runs"), "0", "`{query}` after `{cleanup}`");
        server.run(&format!("BEGIN; {statement}; ROLLBACK;")).unwrap_or_else(|e| panic!("`{statement}` fails after the cleanup: {e}"));
    }
}
