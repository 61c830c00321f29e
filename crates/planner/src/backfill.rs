//! Batch and verification SQL of backfills.
//!
//! Batches are keyset batches on the primary key, else on a unique key whose
//! columns are all NOT NULL, else ranges of heap pages by `ctid` (TID range
//! scans, PostgreSQL 14) with a caveat. Each batch is one statement, so one
//! transaction; it writes only the rows still pending (idempotent) and
//! returns the checkpoint, or no row when the table is done. Parameters are
//! text, cast inside the SQL.

use astrola_core::ident::{quote_ident, quote_literal};
use astrola_core::model::{ConstraintKind, IndexTarget, Schema, Table};
use astrola_core::QualifiedName;

use crate::plan::{Backfill, BatchPolicy, BatchStrategy, Throttle, Verification};
use crate::PlanOptions;

/// What a backfill writes.
#[derive(Debug, Clone)]
pub(crate) struct Fill {
    /// The column written.
    pub column: String,
    /// The value written, an expression over the row's columns.
    pub value: String,
    /// True for rows still to write (makes batches idempotent).
    pub pending: String,
    /// In plain words.
    pub description: String,
    /// The old representation of a row, for checksums.
    pub old_repr: String,
    /// The new representation of a row, for checksums.
    pub new_repr: String,
}

/// The key batches walk: the primary key, else a unique constraint or
/// unique index (no predicate, no expressions) whose columns are NOT NULL.
pub(crate) fn batch_key(table: &QualifiedName, def: &Table, schema: &Schema) -> Option<Vec<(String, String)>> {
    let typed = |cols: &[String]| -> Option<Vec<(String, String)>> { cols.iter().map(|c| def.column(c).map(|col| (c.clone(), col.data_type.clone()))).collect() };
    let not_null = |cols: &[String]| cols.iter().all(|c| def.column(c).is_some_and(|col| col.not_null));
    if let Some((_, pk)) = def.primary_key() {
        if let Some(k) = typed(pk.kind.columns()) {
            return Some(k);
        }
    }
    for c in def.constraints.values() {
        if let ConstraintKind::Unique { columns, .. } = &c.kind {
            if !c.deferrable && not_null(columns) {
                if let Some(k) = typed(columns) {
                    return Some(k);
                }
            }
        }
    }
    for index in schema.indexes.values().filter(|i| &i.table == table && i.unique && i.predicate.is_none()) {
        let cols: Option<Vec<String>> = index.keys.iter().map(|k| if let IndexTarget::Column(c) = &k.target { Some(c.clone()) } else { None }).collect();
        if let Some(cols) = cols {
            if !cols.is_empty() && not_null(&cols) {
                if let Some(k) = typed(&cols) {
                    return Some(k);
                }
            }
        }
    }
    None
}

/// The backfill of `fill` over `table`.
pub(crate) fn build(table: &QualifiedName, def: &Table, schema: &Schema, fill: &Fill, options: &PlanOptions) -> Backfill {
    let throttle = Throttle { pause_ms: options.pause_ms, lag_query: options.lag_query.clone(), max_lag_ms: options.max_lag_ms, windows: options.windows.clone() };
    let set = format!("{} = {}", quote_ident(&fill.column), fill.value);
    match batch_key(table, def, schema) {
        Some(key) => {
            let cols: Vec<String> = key.iter().map(|(c, _)| quote_ident(c)).collect();
            let list = cols.join(", ");
            // Qualified, so that ORDER BY sorts the keys, not their text.
            let desc: Vec<String> = cols.iter().map(|c| format!("batch.{c} DESC")).collect();
            let texts: Vec<String> = cols.iter().map(|c| format!("batch.{c}::text")).collect();
            let k = key.len();
            let params = |offset: usize| -> String { key.iter().enumerate().map(|(i, (_, t))| format!("${}::text::{t}", i + 1 + offset)).collect::<Vec<_>>().join(", ") };
            let batch = |filter: &str, limit: usize| -> String {
                format!(
                    "WITH batch AS (SELECT {list} FROM {table}{filter} ORDER BY {list} LIMIT ${limit}::text::bigint), \
                     updated AS (UPDATE {table} SET {set} WHERE ({list}) IN (SELECT {list} FROM batch) AND ({pending}) RETURNING 1) \
                     SELECT {} FROM batch ORDER BY {} LIMIT 1",
                    texts.join(", "),
                    desc.join(", "),
                    pending = fill.pending
                )
            };
            let first = batch("", 1);
            let next = batch(&format!(" WHERE ({list}) > ({})", params(0)), k + 1);
            let checksum = format!(
                "SELECT coalesce(md5(string_agg(coalesce(({old})::text, '\\N'), ',' ORDER BY {list})), '') AS old, \
                 coalesce(md5(string_agg(coalesce(({new})::text, '\\N'), ',' ORDER BY {list})), '') AS new \
                 FROM {table} WHERE ($1::text IS NULL OR ({list}) > ({})) AND ({list}) <= ({})",
                params(0),
                params(k),
                old = fill.old_repr,
                new = fill.new_repr
            );
            Backfill {
                table: table.to_string(),
                strategy: BatchStrategy::Keyset,
                key: key.iter().map(|(c, _)| c.clone()).collect(),
                description: fill.description.clone(),
                first_batch_sql: first,
                next_batch_sql: next,
                batch: policy(options.batch_size, options),
                throttle,
                verify: verification(table, fill, checksum),
                caveat: None,
            }
        }
        None => {
            // Pages per batch: about `batch_size` rows at ~100 rows a page.
            let pages = (options.batch_size / 100).max(1);
            let regclass = quote_literal(&table.to_string());
            let pages_expr = format!("pg_relation_size({regclass}::regclass) / current_setting('block_size')::bigint");
            let batch = |lo: &str, size: &str| -> String {
                format!(
                    "WITH bounds AS (SELECT {lo} AS lo, {size} AS size, {pages_expr} AS pages), \
                     updated AS (UPDATE {table} SET {set} WHERE ctid >= (SELECT format('(%s,0)', lo + 1)::tid FROM bounds) \
                     AND ctid < (SELECT format('(%s,0)', lo + 1 + size)::tid FROM bounds) AND ({pending}) RETURNING 1) \
                     SELECT (lo + size)::text FROM bounds WHERE lo + 1 < pages",
                    pending = fill.pending
                )
            };
            let checksum = format!(
                "SELECT coalesce(md5(string_agg(coalesce(({old})::text, '\\N'), ',' ORDER BY ctid)), '') AS old, \
                 coalesce(md5(string_agg(coalesce(({new})::text, '\\N'), ',' ORDER BY ctid)), '') AS new \
                 FROM {table} WHERE ctid >= format('(%s,0)', coalesce($1::text::bigint, -1) + 1)::tid AND ctid < format('(%s,0)', $2::text::bigint + 1)::tid",
                old = fill.old_repr,
                new = fill.new_repr
            );
            let tid_scans = options.pg_version >= 14;
            Backfill {
                table: table.to_string(),
                strategy: BatchStrategy::Ctid,
                key: vec!["ctid".to_string()],
                description: fill.description.clone(),
                first_batch_sql: batch("(-1)::bigint", "$1::text::bigint"),
                next_batch_sql: batch("$1::text::bigint", "$2::text::bigint"),
                batch: policy(pages, options),
                throttle,
                verify: verification(table, fill, checksum),
                caveat: Some(format!(
                    "{table} has no primary key and no unique key of NOT NULL columns, so batches are ranges of heap pages (ctid), sized in pages. \
                     A row that a concurrent UPDATE moves to a page already done is missed, and the table's pages are counted anew each batch: \
                     run remaining_sql after the last batch and run the backfill again (it is idempotent) until it returns 0.{}",
                    if tid_scans { "" } else { " Before PostgreSQL 14 there are no TID range scans: every batch scans the whole table." }
                )),
            }
        }
    }
}

fn policy(size: u64, options: &PlanOptions) -> BatchPolicy {
    BatchPolicy { size, target_duration_ms: options.target_batch_ms, min_size: (size / 10).max(1), max_size: size.saturating_mul(10) }
}

fn verification(table: &QualifiedName, fill: &Fill, checksum_sql: String) -> Verification {
    Verification {
        row_count_sql: format!("SELECT count(*) FROM {table}"),
        remaining_sql: format!("SELECT count(*) FROM {table} WHERE {}", fill.pending),
        checksum_sql,
    }
}

/// Whether PostgreSQL changes a column from `from` to `to` without
/// rewriting the table (binary-coercible, no new length check): a longer or
/// unlimited `varchar`, `varchar` to `text`, a wider `numeric` of the same
/// scale, `cidr` to `inet`.
pub(crate) fn binary_coercible(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    let split = |t: &str| -> (String, Vec<i64>) {
        match (t.find('('), t.rfind(')')) {
            (Some(a), Some(b)) if b > a && b + 1 == t.len() => (t[..a].trim().to_string(), t[a + 1..b].split(',').filter_map(|m| m.trim().parse().ok()).collect()),
            _ => (t.trim().to_string(), Vec::new()),
        }
    };
    let (fb, fm) = split(from);
    let (tb, tm) = split(to);
    match (fb.as_str(), tb.as_str()) {
        ("character varying", "text") | ("character varying", "character varying") if tm.is_empty() => true,
        ("character varying", "character varying") => matches!((fm.first(), tm.first()), (Some(a), Some(b)) if b >= a),
        ("text", "character varying") => tm.is_empty(),
        ("numeric", "numeric") => match (fm.as_slice(), tm.as_slice()) {
            (_, []) => true,
            ([p1, s1], [p2, s2]) => s1 == s2 && p2 >= p1,
            ([p1], [p2]) => p2 >= p1,
            _ => false,
        },
        ("cidr", "inet") => true,
        ("bit varying", "bit varying") => matches!((fm.first(), tm.first()), (Some(a), Some(b)) if b >= a) || tm.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::binary_coercible;

    #[test]
    fn widening_varchar_and_numeric_need_no_rewrite() {
        assert!(binary_coercible("character varying(10)", "character varying(20)"));
        assert!(binary_coercible("character varying(10)", "text"));
        assert!(!binary_coercible("character varying(20)", "character varying(10)"));
        assert!(binary_coercible("numeric(10,2)", "numeric(12,2)"));
        assert!(!binary_coercible("numeric(10,2)", "numeric(12,3)"));
        assert!(!binary_coercible("integer", "bigint"));
    }
}
