//! Pre-flight checks: queries that must return 0 before a step runs.

use astrola_core::ident::quote_ident;
use astrola_core::model::{Constraint, ConstraintKind, IndexKey, IndexTarget};
use astrola_core::QualifiedName;

use crate::plan::Check;

/// Rows where `column` IS NULL, before NOT NULL.
pub(crate) fn nulls(table: &QualifiedName, column: &str) -> Check {
    let c = quote_ident(column);
    Check { description: format!("rows of {table} where {c} IS NULL"), sql: format!("SELECT count(*) FROM {table} WHERE {c} IS NULL") }
}

/// Any row at all, before adding a NOT NULL column with no default.
pub(crate) fn empty_table(table: &QualifiedName, column: &str) -> Check {
    Check {
        description: format!("rows of {table} (column {} is NOT NULL with no default, so the table must be empty)", quote_ident(column)),
        sql: format!("SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS any_row"),
    }
}

/// Groups of duplicate keys, before a unique index.
pub(crate) fn duplicates(table: &QualifiedName, keys: &[IndexKey], predicate: Option<&str>, nulls_not_distinct: bool) -> Check {
    let exprs: Vec<String> = keys
        .iter()
        .map(|k| match &k.target {
            IndexTarget::Column(c) => quote_ident(c),
            IndexTarget::Expression(e) => format!("({e})"),
        })
        .collect();
    let mut conditions: Vec<String> = Vec::new();
    if !nulls_not_distinct {
        // NULLs are distinct: a key with a NULL never conflicts.
        conditions.extend(exprs.iter().map(|e| format!("{e} IS NOT NULL")));
    }
    if let Some(p) = predicate {
        conditions.push(format!("({p})"));
    }
    let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    Check {
        description: format!("duplicate values of ({}) in {table}", exprs.join(", ")),
        sql: format!("SELECT count(*) FROM (SELECT 1 FROM {table}{filter} GROUP BY {} HAVING count(*) > 1) AS duplicates", exprs.join(", ")),
    }
}

/// Rows whose foreign key points nowhere, before VALIDATE.
pub(crate) fn orphans(table: &QualifiedName, constraint: &Constraint) -> Option<Check> {
    let ConstraintKind::ForeignKey { columns, ref_table, ref_columns, match_full, .. } = &constraint.kind else { return None };
    let present: Vec<String> = columns.iter().map(|c| format!("c.{} IS NOT NULL", quote_ident(c))).collect();
    let joins: Vec<String> = columns.iter().zip(ref_columns).map(|(c, r)| format!("p.{} = c.{}", quote_ident(r), quote_ident(c))).collect();
    let sql = if *match_full && columns.len() > 1 {
        // MATCH FULL: all NULL passes; some NULL fails; none NULL must match.
        let any_null: Vec<String> = columns.iter().map(|c| format!("c.{} IS NULL", quote_ident(c))).collect();
        format!(
            "SELECT count(*) FROM {table} AS c WHERE NOT ({}) AND (({}) OR NOT EXISTS (SELECT 1 FROM {ref_table} AS p WHERE {}))",
            any_null.join(" AND "),
            any_null.join(" OR "),
            joins.join(" AND ")
        )
    } else {
        format!("SELECT count(*) FROM {table} AS c WHERE {} AND NOT EXISTS (SELECT 1 FROM {ref_table} AS p WHERE {})", present.join(" AND "), joins.join(" AND "))
    };
    let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    Some(Check { description: format!("rows of {table} whose ({}) has no match in {ref_table}", cols.join(", ")), sql })
}

/// Rows a CHECK rejects, before VALIDATE.
pub(crate) fn check_violations(table: &QualifiedName, expr: &str) -> Check {
    Check { description: format!("rows of {table} that violate CHECK ({expr})"), sql: format!("SELECT count(*) FROM {table} WHERE NOT ({expr})") }
}
