//! Diffs two PostgreSQL schemas: prints the migration, what it refuses to
//! do without permission, the down migration, and a drift report.
//!
//! Run it with `cargo run -p astrola-examples --example diff`.

use astrola_core::{parse_sql, rename_hints, Dialect};
use astrola_diff::{diff, down, drift, DiffOptions};

const CURRENT: &str = "
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name varchar(100),
    legacy_flag boolean
);
CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint REFERENCES users (id), title text);
";

const DESIRED: &str = "
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name text NOT NULL DEFAULT '', -- @renamed from=name
    email text UNIQUE
);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author_id bigint REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL
);
CREATE INDEX posts_author_id_idx ON posts (author_id);
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let current = parse_sql(CURRENT, Dialect::Postgres)?.schema;
    let desired = parse_sql(DESIRED, Dialect::Postgres)?.schema;
    let options = DiffOptions { allow_destructive: false, renames: rename_hints(DESIRED, Dialect::Postgres) };

    let plan = diff(&current, &desired, &options)?;
    println!("-- up (destructive changes refused):\n{}", plan.annotated_sql());
    for change in plan.refused() {
        println!("-- refused: {} {}", change.change.kind(), change.object);
    }
    // Dropping users.legacy_flag deletes data: it needs permission.
    assert_eq!(plan.refused().count(), 1);

    let allowed = DiffOptions { allow_destructive: true, ..options };
    let plan = diff(&current, &desired, &allowed)?;
    assert!(plan.is_complete());
    println!("-- up:\n{}", plan.sql());
    println!("-- down:\n{}", down(&current, &desired, &allowed)?.annotated_sql());

    // A database that was migrated by hand, with one step forgotten.
    let actual = parse_sql(&format!("{CURRENT}\nALTER TABLE users RENAME COLUMN name TO full_name;"), Dialect::Postgres)?.schema;
    let report = drift(&desired, &actual)?;
    print!("-- drift of the hand-migrated database:\n{}", report.to_text());
    assert!(!report.is_clean());
    Ok(())
}
