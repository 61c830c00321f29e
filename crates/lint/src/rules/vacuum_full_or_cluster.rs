use pg_query::NodeEnum;

use super::reindex_non_concurrently::option_on;
use super::{Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `VACUUM FULL` and `CLUSTER` on tables that the migration
    /// did not create, and for their forms without a table, which process
    /// every table of the database (`VACUUM FULL`) or every table clustered
    /// before (`CLUSTER`).
    ///
    /// ## Why is this bad?
    /// Both write a complete new copy of the table and its indexes while
    /// holding an ACCESS EXCLUSIVE lock: nothing can read or write the table
    /// until the copy is done, and the copy needs as much free disk again
    /// as the table.
    ///
    /// ## Example
    /// ```sql
    /// VACUUM FULL events;
    /// ```
    ///
    /// ## Use instead
    /// Use an online tool such as `pg_repack` (or `pg_squeeze`), which
    /// rebuilds the table while reads and writes go on and takes the strong
    /// lock only briefly to swap it in. Plain `VACUUM` needs no strong lock
    /// (it does not return space to the operating system, but makes it
    /// reusable).
    ///
    /// ## Fix safety
    /// There is no fix.
    pub(crate) RULE = { id: "vacuum-full-or-cluster", category: Rewrite, severity: Error, check: check }
}

const HELP: &str = "rebuild the table online with pg_repack (or pg_squeeze), or use plain VACUUM";

fn check(checker: &mut Checker<'_>) {
    match checker.node {
        NodeEnum::VacuumStmt(stmt) => {
            if !stmt.is_vacuumcmd || !stmt.options.iter().any(|o| option_on(o, "full")) {
                return;
            }
            let tables: Vec<String> = stmt
                .rels
                .iter()
                .filter_map(|r| match &r.node {
                    Some(NodeEnum::VacuumRelation(v)) => v.relation.as_ref(),
                    _ => None,
                })
                .filter(|rv| !checker.context.created_table(rv))
                .map(relation_key)
                .collect();
            if stmt.rels.is_empty() {
                checker.report(&RULE, STATEMENT, "VACUUM FULL without a table rewrites every table of the database, each under an ACCESS EXCLUSIVE lock", HELP);
            }
            for table in tables {
                let message = format!("VACUUM FULL rewrites {table} and its indexes under an ACCESS EXCLUSIVE lock");
                checker.report(&RULE, STATEMENT, message, HELP).on_table(table);
            }
        }
        NodeEnum::ClusterStmt(stmt) => match &stmt.relation {
            Some(rv) if checker.context.created_table(rv) => {}
            Some(rv) => {
                let table = relation_key(rv);
                let message = format!("CLUSTER rewrites {table} and its indexes under an ACCESS EXCLUSIVE lock");
                checker.report(&RULE, STATEMENT, message, HELP).on_table(table);
            }
            None => {
                checker.report(&RULE, STATEMENT, "CLUSTER without a table rewrites every table clustered before, each under an ACCESS EXCLUSIVE lock", HELP);
            }
        },
        _ => {}
    }
}
