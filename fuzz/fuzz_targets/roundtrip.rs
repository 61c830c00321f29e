//! Arbitrary bytes through every DDL frontend: a schema that parses renders
//! to SQL that parses back to the same schema (`parse(render(s)) == s`).

#![no_main]

use astrola_core::{parse_sql, render_sql, Dialect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sql = String::from_utf8_lossy(data);
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let Ok(parsed) = parse_sql(&sql, dialect) else {
            continue;
        };
        let rendered = render_sql(&parsed.schema);
        match parse_sql(&rendered, dialect) {
            Ok(again) => assert_eq!(
                again.schema.without_spans(),
                parsed.schema.without_spans(),
                "{dialect}: parse(render(s)) != s\n--- input:\n{sql}\n--- rendered:\n{rendered}"
            ),
            Err(e) => panic!(
                "{dialect}: the rendered schema does not parse: {e}\n--- input:\n{sql}\n--- rendered:\n{rendered}"
            ),
        }
    }
});
