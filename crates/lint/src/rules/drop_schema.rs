use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{string_value, Checker, STATEMENT};

declare_rule! {
    /// ## What it does
    /// Checks for `DROP SCHEMA` of a schema that the migration did not create.
    ///
    /// ## Why is this bad?
    /// With `CASCADE` every table, view, function and type in the schema goes
    /// with it, data included. Without it the statement fails as soon as the
    /// schema holds anything.
    ///
    /// ## Example
    /// ```sql
    /// DROP SCHEMA reporting CASCADE;
    /// ```
    ///
    /// ## Use instead
    /// Drop the objects you mean to drop one by one, in a migration that
    /// names them, after the code stopped using them.
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "drop-schema", category: DataLoss, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::DropStmt(stmt) = checker.node else { return };
    if stmt.remove_type() != ObjectType::ObjectSchema {
        return;
    }
    for schema in stmt.objects.iter().map(string_value) {
        if !checker.context.created_schema(schema) {
            let message = format!("dropping schema {schema} deletes everything in it");
            checker.report(&RULE, STATEMENT, message, "drop the objects you mean to drop one by one, after the code stopped using them");
        }
    }
}
