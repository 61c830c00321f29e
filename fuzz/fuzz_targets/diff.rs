//! Arbitrary bytes, split in two, through the diff of every dialect: it
//! never panics, `diff(s, s)` is empty, and `hints` and `drift` never panic.

#![no_main]

use astrola_core::{parse_sql, rename_hints, Dialect};
use astrola_diff::{diff, drift, DiffOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once("\n---\n").unwrap_or((&text, ""));
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let renames = rename_hints(b, dialect);
        let (Ok(from), Ok(to)) = (parse_sql(a, dialect), parse_sql(b, dialect)) else { continue };
        let options = DiffOptions { allow_destructive: true, renames };
        if let Ok(plan) = diff(&from.schema, &to.schema, &options) {
            let _ = plan.sql();
            let _ = plan.to_json();
        }
        let _ = drift(&from.schema, &to.schema);
        let same = diff(&from.schema, &from.schema, &DiffOptions::default()).expect("same dialect");
        assert!(same.is_empty(), "{dialect}: diff(s, s) is not empty:\n{}\n--- input:\n{a}", same.sql());
    }
});
