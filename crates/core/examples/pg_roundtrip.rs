//! Inspects a PostgreSQL schema file, renders it and parses the rendering
//! again, printing the time each step took next to a bare `pg_query::parse`
//! of the same file. A quick look before the criterion bench:
//!
//! ```sh
//! cargo run --release -p astrola-core --example pg_roundtrip -- ../shared/corpus/schemas/gitlab/structure.sql
//! ```

use std::process::ExitCode;
use std::time::Instant;

use astrola_core::{parse_sql, parse_sql_named, render_sql, Dialect};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pg_roundtrip FILE.sql");
        return ExitCode::from(2);
    };
    let sql = match std::fs::read_to_string(&path) {
        Ok(sql) => sql,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let t = Instant::now();
    let bare = pg_query::parse(&sql, pg_query::ParserOptions::DEFAULT).map(|r| r.protobuf.stmts.len());
    println!("bare pg_query::parse: {:?} ({bare:?} statements)", t.elapsed());

    let t = Instant::now();
    let parsed = match parse_sql_named(&sql, Dialect::Postgres, &path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let schema = &parsed.schema;
    println!(
        "inspect: {:?}: {} tables, {} indexes ({} with constraint indexes), {} unmanaged statements",
        t.elapsed(),
        schema.tables.len(),
        schema.indexes.len(),
        schema.index_count(),
        schema.unmanaged.len()
    );

    let t = Instant::now();
    let rendered = render_sql(schema);
    println!("render: {:?}", t.elapsed());
    match parse_sql(&rendered, Dialect::Postgres) {
        Ok(again) if again.schema.without_spans() == schema.without_spans() => {
            println!("round trip: the same model");
            ExitCode::SUCCESS
        }
        Ok(_) => {
            println!("round trip: the model changed");
            ExitCode::from(1)
        }
        Err(e) => {
            println!("round trip: the rendering does not parse: {e}");
            ExitCode::from(1)
        }
    }
}
