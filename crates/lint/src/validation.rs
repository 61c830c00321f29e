//! Pre-deployment queries: for a finding that fails on existing data, the
//! query that counts the rows it would fail on. Each returns one number,
//! 0 when the statement will succeed. Identifiers are quoted wherever they
//! need it.

use astrola_core::ident::quote_ident as q;
use pg_query::protobuf::RangeVar;

/// The quoted, qualified name of a relation (`"public"."users"`); an
/// unqualified name stays unqualified, so it resolves by `search_path` as
/// the migration's own statement does.
pub(crate) fn table_sql(rv: &RangeVar) -> String {
    if rv.schemaname.is_empty() {
        q(&rv.relname)
    } else {
        format!("{}.{}", q(&rv.schemaname), q(&rv.relname))
    }
}

/// Rows where `column` is NULL (`SET NOT NULL`, a primary key).
pub(crate) fn nulls(table: &str, columns: &[&str]) -> String {
    let condition: Vec<String> = columns.iter().map(|c| format!("{} IS NULL", q(c))).collect();
    format!("SELECT count(*) FROM {table} WHERE {};", condition.join(" OR "))
}

/// Rows whose key appears more than once (`UNIQUE`, a primary key). NULLs
/// never collide unless `nulls_not_distinct`.
pub(crate) fn duplicates(table: &str, columns: &[&str], nulls_not_distinct: bool) -> String {
    let key: Vec<String> = columns.iter().map(|c| q(c)).collect();
    let filter = if nulls_not_distinct { String::new() } else { format!(" WHERE {}", key.iter().map(|c| format!("{c} IS NOT NULL")).collect::<Vec<_>>().join(" AND ")) };
    format!("SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {table}{filter} GROUP BY {} HAVING count(*) > 1) AS duplicates;", key.join(", "))
}

/// Rows whose key has no match in the referenced table (`FOREIGN KEY`).
/// With MATCH SIMPLE a key with any NULL is not checked; with MATCH FULL a
/// key that is partly NULL fails too.
pub(crate) fn orphans(table: &str, columns: &[&str], referenced: &str, ref_columns: &[&str], match_full: bool) -> String {
    let join: Vec<String> = columns.iter().zip(ref_columns).map(|(c, r)| format!("p.{} = c.{}", q(r), q(c))).collect();
    let all_set: Vec<String> = columns.iter().map(|c| format!("c.{} IS NOT NULL", q(c))).collect();
    let missing = format!("{} AND NOT EXISTS (SELECT 1 FROM {referenced} AS p WHERE {})", all_set.join(" AND "), join.join(" AND "));
    if match_full && columns.len() > 1 {
        let some_null: Vec<String> = columns.iter().map(|c| format!("c.{} IS NULL", q(c))).collect();
        format!("SELECT count(*) FROM {table} AS c WHERE ({missing}) OR (({}) AND NOT ({}));", some_null.join(" OR "), some_null.join(" AND "))
    } else {
        format!("SELECT count(*) FROM {table} AS c WHERE {missing};")
    }
}

/// Rows for which a CHECK condition is false (NULL passes a CHECK).
pub(crate) fn check_violations(table: &str, condition: &str) -> String {
    format!("SELECT count(*) FROM {table} WHERE NOT ({condition});")
}

/// All rows: a statement that fails on any row (a NOT NULL column without
/// a default).
pub(crate) fn any_rows(table: &str) -> String {
    format!("SELECT count(*) FROM {table};")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_quote_every_identifier() {
        assert_eq!(nulls("t", &["a\"b"]), "SELECT count(*) FROM t WHERE \"a\"\"b\" IS NULL;");
        assert_eq!(nulls("t", &["Order", "select"]), "SELECT count(*) FROM t WHERE \"Order\" IS NULL OR \"select\" IS NULL;");
        assert!(duplicates("t", &["a", "b"], false).contains("WHERE a IS NOT NULL AND b IS NOT NULL GROUP BY a, b"));
        assert!(!duplicates("t", &["a"], true).contains("IS NOT NULL"));
        assert!(orphans("c", &["a", "b"], "p", &["x", "y"], true).contains("NOT (c.a IS NULL AND c.b IS NULL)"));
    }
}
