use astrola_core::ident::quote_ident;
use pg_query::protobuf::{AlterTableType, ConstrType, Constraint};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, string_value, Checker};
use crate::context::relation_key;
use crate::validation::table_sql;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD CONSTRAINT ... EXCLUDE` on a table
    /// that the migration did not create.
    ///
    /// ## Why is this bad?
    /// Adding an exclusion constraint builds its index and checks every
    /// existing row against the others while holding an ACCESS EXCLUSIVE
    /// lock: reads and writes wait for the whole build. Unlike foreign keys
    /// and CHECK constraints there is no `NOT VALID` form, and unlike UNIQUE
    /// there is no `USING INDEX` form to build the index `CONCURRENTLY`
    /// first. The statement fails if existing rows conflict.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);
    /// ```
    ///
    /// ## Use instead
    /// Add the constraint when the table is created or still small, or in a
    /// maintenance window with a short `lock_timeout`. To keep enforcing the
    /// rule without the lock, a trigger that checks new rows (with a
    /// `CREATE INDEX CONCURRENTLY` index to make the check fast) is the
    /// usual stopgap.
    ///
    /// ## Fix safety
    /// There is no fix: PostgreSQL has no online way to add the constraint.
    ///
    /// When every element is a plain column, the finding carries a query
    /// that counts the rows conflicting with another row, which would make
    /// the statement fail.
    pub(crate) RULE = { id: "add-exclusion-constraint", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let Some(NodeEnum::Constraint(c)) = cmd_def(cmd) else { continue };
        if cmd.subtype() != AlterTableType::AtAddConstraint || c.contype() != ConstrType::ConstrExclusion {
            continue;
        }
        let key = relation_key(table);
        let name = if c.conname.is_empty() { "an exclusion constraint".to_string() } else { format!("exclusion constraint {}", c.conname) };
        let message = format!("adding {name} to {key} builds its index and checks every row under an ACCESS EXCLUSIVE lock");
        let validation = conflicts(&table_sql(table), c);
        let diagnostic = checker.report(&RULE, c.location, message, "there is no NOT VALID or CONCURRENTLY form: add it while the table is small or quiet, with a short lock_timeout").on_table(key);
        diagnostic.validation = validation;
    }
}

/// The rows that conflict with another row under the constraint's
/// operators, when every element is a plain column and there is no
/// `WHERE` predicate.
fn conflicts(table: &str, c: &Constraint) -> Option<String> {
    if c.where_clause.is_some() || c.exclusions.is_empty() {
        return None;
    }
    let mut conditions = Vec::new();
    for exclusion in &c.exclusions {
        let Some(NodeEnum::List(pair)) = &exclusion.node else { return None };
        let [element, operator] = pair.items.as_slice() else { return None };
        let Some(NodeEnum::IndexElem(element)) = &element.node else { return None };
        let Some(NodeEnum::List(operator)) = &operator.node else { return None };
        if element.name.is_empty() {
            return None;
        }
        let names: Vec<&str> = operator.items.iter().map(string_value).collect();
        let operator = match names.as_slice() {
            [op] if op.chars().all(|ch| "+-*/<>=~!@#%^&|`?".contains(ch)) => (*op).to_string(),
            [.., schema, op] => format!("OPERATOR({}.{op})", quote_ident(schema)),
            _ => return None,
        };
        let column = quote_ident(&element.name);
        conditions.push(format!("a.{column} {operator} b.{column}"));
    }
    Some(format!("SELECT count(*) FROM {table} AS a WHERE EXISTS (SELECT 1 FROM {table} AS b WHERE (a.tableoid, a.ctid) <> (b.tableoid, b.ctid) AND {});", conditions.join(" AND ")))
}
