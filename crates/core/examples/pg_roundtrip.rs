//! Inspects a PostgreSQL file, renders it and parses the rendering again.
fn main() {
    let path = std::env::args().nth(1).expect("path");
    let sql = std::fs::read_to_string(&path).expect("read");
    let t = std::time::Instant::now();
    let bare = pg_query::parse(&sql, pg_query::ParserOptions::DEFAULT).map(|r| r.protobuf.stmts.len());
    eprintln!("bare pg_query::parse: {:?} ({bare:?} statements)", t.elapsed());
    let t = std::time::Instant::now();
    let parsed = match astrola_core::parse_sql_named(&sql, astrola_core::Dialect::Postgres, &path) {
        Ok(p) => p,
        Err(e) => { eprintln!("{e}"); std::process::exit(2) }
    };
    eprintln!("parsed in {:?}: {} tables, {} indexes total, {} unmanaged", t.elapsed(), parsed.schema.tables.len(), parsed.schema.index_count(), parsed.schema.unmanaged.len());
    let mut kinds = std::collections::BTreeMap::new();
    for u in &parsed.schema.unmanaged { *kinds.entry(u.kind.clone()).or_insert(0) += 1; }
    eprintln!("unmanaged kinds: {kinds:?}");
    let t = std::time::Instant::now();
    let rendered = astrola_core::render_sql(&parsed.schema);
    eprintln!("rendered in {:?}", t.elapsed());
    std::fs::write("/tmp/rendered.sql", &rendered).unwrap();
    match astrola_core::parse_sql(&rendered, astrola_core::Dialect::Postgres) {
        Ok(again) => {
            if again.schema.without_spans() == parsed.schema.without_spans() { eprintln!("round trip OK") } else {
                std::fs::write("/tmp/a.json", parsed.schema.without_spans().to_json()).unwrap();
                std::fs::write("/tmp/b.json", again.schema.without_spans().to_json()).unwrap();
                eprintln!("round trip DIFFERS: see diff /tmp/a.json /tmp/b.json");
            }
        }
        Err(e) => eprintln!("reparse failed: {e}"),
    }
}
