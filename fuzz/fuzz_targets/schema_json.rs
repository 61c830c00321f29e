//! Arbitrary bytes as schema JSON: reading never panics, a schema that reads
//! writes back to JSON that reads as the same schema, and it renders.

#![no_main]

use astrola_core::{render_sql, Schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(schema) = Schema::from_json(json) else {
        return;
    };
    let written = schema.to_json();
    match Schema::from_json(&written) {
        Ok(again) => assert_eq!(
            again, schema,
            "JSON round trip changed the schema\n--- written:\n{written}"
        ),
        Err(e) => panic!(
            "Schema::to_json wrote JSON that does not read back: {e}\n--- written:\n{written}"
        ),
    }
    // Rendering an arbitrary (even inconsistent) model must not panic either.
    let _ = render_sql(&schema);
});
