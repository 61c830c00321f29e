//! Builds a schema from a few PostgreSQL statements, then prints it as JSON
//! and as canonical SQL.
//!
//! Run it with `cargo run -p astrola-examples --example inspect`.

use astrola_core::{parse_sql, render_sql, Dialect, QualifiedName, Schema};

const MIGRATION: &str = "
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id int NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL
);
CREATE INDEX posts_author_id_idx ON posts (author_id);
ALTER TABLE users ADD COLUMN name text;
";

fn main() -> Result<(), astrola_core::Error> {
    let parsed = parse_sql(MIGRATION, Dialect::Postgres)?;
    for warning in &parsed.warnings {
        eprintln!("{warning}");
    }

    let users = &parsed.schema.tables[&QualifiedName::new("public", "users")];
    let columns: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    println!("-- public.users has columns {columns:?}");

    let json = parsed.schema.to_json();
    println!("-- as JSON:\n{json}");
    println!("-- as canonical SQL:\n{}", render_sql(&parsed.schema));

    // The JSON reads back as the same schema.
    assert_eq!(Schema::from_json(&json)?, parsed.schema);
    Ok(())
}
