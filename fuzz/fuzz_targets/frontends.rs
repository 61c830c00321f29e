//! Arbitrary bytes through every DDL frontend, and what parses through the
//! renderer and the frontend again: nothing panics. (The stricter
//! `parse(render(s)) == s` is the `roundtrip` target.)

#![no_main]

use astrola_core::{parse_sql, render_sql, Dialect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Valid UTF-8 comes through as the raw bytes (the `Cow` borrows them);
    // anything else with U+FFFD in place of the bad sequences.
    let sql = String::from_utf8_lossy(data);
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        if let Ok(parsed) = parse_sql(&sql, dialect) {
            let _ = parse_sql(&render_sql(&parsed.schema), dialect);
        }
    }
});
