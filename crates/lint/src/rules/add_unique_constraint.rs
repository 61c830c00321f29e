use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

use astrola_core::ident::quote_ident;

use super::{alter_table_cmds, cmd_def, string_value, Checker};
use crate::context::relation_key;
use crate::validation::{duplicates, nulls, table_sql};
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD UNIQUE` or `ADD PRIMARY KEY` that
    /// builds its index (no `USING INDEX`) on a table that the migration did
    /// not create.
    ///
    /// ## Why is this bad?
    /// The constraint's index is built while the statement holds an ACCESS
    /// EXCLUSIVE lock: reads and writes wait for a full scan and sort of the
    /// table. The statement fails if existing rows hold duplicates.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
    /// ```
    /// The index is built without blocking writes; attaching it as the
    /// constraint only takes the lock briefly.
    ///
    /// ## Fix safety
    /// For a named constraint on plain columns added by itself, the fix
    /// builds the unique index `CONCURRENTLY` and adds the constraint
    /// `USING INDEX` it. It is unsafe: the index build must run outside a
    /// transaction block, and a failed build leaves an INVALID index to drop.
    ///
    /// The finding carries a query that counts the duplicate rows (and,
    /// for a primary key, the NULLs) the constraint would fail on.
    pub(crate) RULE = { id: "add-unique-constraint", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let Some(NodeEnum::Constraint(c)) = cmd_def(cmd) else { continue };
        let kind = match c.contype() {
            ConstrType::ConstrUnique => "UNIQUE",
            ConstrType::ConstrPrimary => "PRIMARY KEY",
            _ => continue,
        };
        if cmd.subtype() == AlterTableType::AtAddConstraint && c.indexname.is_empty() {
            let message = format!("adding a {kind} constraint to {} builds its index under an ACCESS EXCLUSIVE lock", relation_key(table));
            let help = format!("build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... {kind} USING INDEX");
            let columns: Vec<&str> = c.keys.iter().map(string_value).collect();
            let target = table_sql(table);
            let validation = (!columns.is_empty()).then(|| {
                let duplicates = duplicates(&target, &columns, c.nulls_not_distinct);
                if c.contype() == ConstrType::ConstrPrimary {
                    // A primary key fails on NULLs as well as on duplicates.
                    format!("SELECT ({}) + ({});", nulls(&target, &columns).trim_end_matches(';'), duplicates.trim_end_matches(';'))
                } else {
                    duplicates
                }
            });
            let fix = using_index_fix(checker, stmt, c, kind, &columns);
            let diagnostic = checker.report(&RULE, c.location, message, help).on_table(relation_key(table));
            diagnostic.validation = validation;
            diagnostic.fix = fix;
        }
    }
}

/// The two-step form: a concurrent unique index, then the constraint over
/// it. Unsafe: it must run outside a transaction block and leaves an
/// INVALID index behind if the build fails.
fn using_index_fix(checker: &Checker<'_>, stmt: &pg_query::protobuf::AlterTableStmt, c: &pg_query::protobuf::Constraint, kind: &str, columns: &[&str]) -> Option<Fix> {
    let table = stmt.relation.as_ref()?;
    if stmt.cmds.len() != 1 || c.conname.is_empty() || columns.is_empty() || !c.including.is_empty() {
        return None;
    }
    let target = table_sql(table);
    let name = quote_ident(&c.conname);
    let keys: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    let nulls = if c.nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
    let replacement = format!("CREATE UNIQUE INDEX CONCURRENTLY {name} ON {target} ({}){nulls};\nALTER TABLE {target} ADD CONSTRAINT {name} {kind} USING INDEX {name}", keys.join(", "));
    Some(Fix::new("build a unique index CONCURRENTLY, then add the constraint USING INDEX", Applicability::Unsafe, Edit { start: checker.range.0, end: checker.range.1, replacement }))
}
