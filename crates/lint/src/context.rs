//! What the linter knows about the migration so far, statement by
//! statement: the objects it created, whether a transaction is open, and
//! which columns a validated CHECK already proves NOT NULL.

use std::collections::{HashMap, HashSet};

use pg_query::protobuf::{AlterTableCmd, AlterTableType, ConstrType, Node, ObjectType, RangeVar, TransactionStmtKind};
use pg_query::NodeEnum;

/// The state of the migration before the statement being checked.
#[derive(Debug, Default)]
pub(crate) struct Context {
    /// Tables (and other relations) created by earlier statements, as
    /// `schema.name` keys.
    created_tables: HashSet<String>,
    /// Indexes created by earlier statements.
    created_indexes: HashSet<String>,
    /// Schemas created by earlier statements.
    created_schemas: HashSet<String>,
    /// Whether an explicit transaction (BEGIN) is open.
    in_transaction: bool,
    /// CHECK constraints `(col IS NOT NULL)` added NOT VALID: `table.constraint` -> column.
    pending_not_null_checks: HashMap<String, String>,
    /// `(table, column)` pairs that a validated CHECK proves NOT NULL.
    proven_not_null: HashSet<(String, String)>,
}

/// The `schema.name` key of a relation; unqualified names are in `public`.
pub(crate) fn relation_key(rv: &RangeVar) -> String {
    let schema = if rv.schemaname.is_empty() { "public" } else { &rv.schemaname };
    format!("{schema}.{}", rv.relname)
}

/// The `schema.name` key of a dotted name list (`DROP INDEX s.i`).
fn list_key(names: &[Node]) -> String {
    let parts: Vec<&str> = names
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        [.., schema, name] => format!("{schema}.{name}"),
        [name] => format!("public.{name}"),
        [] => String::new(),
    }
}

/// The keys of the objects of a `DROP` (`DROP TABLE a, s.b`).
pub(crate) fn dropped_keys(objects: &[Node]) -> Vec<String> {
    objects
        .iter()
        .filter_map(|o| match &o.node {
            Some(NodeEnum::List(list)) => Some(list_key(&list.items)),
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

impl Context {
    /// Whether an earlier statement created the relation.
    pub(crate) fn created_table(&self, rv: &RangeVar) -> bool {
        self.created_tables.contains(&relation_key(rv))
    }

    /// Whether an earlier statement created the table with key `schema.name`.
    pub(crate) fn created_table_key(&self, key: &str) -> bool {
        self.created_tables.contains(key)
    }

    /// Whether an earlier statement created the index with key `schema.name`.
    pub(crate) fn created_index_key(&self, key: &str) -> bool {
        self.created_indexes.contains(key)
    }

    /// Whether an earlier statement created the schema.
    pub(crate) fn created_schema(&self, name: &str) -> bool {
        self.created_schemas.contains(name)
    }

    /// Whether an explicit transaction is open.
    pub(crate) fn in_transaction(&self) -> bool {
        self.in_transaction
    }

    /// Whether a validated `CHECK (column IS NOT NULL)` on the table already
    /// proves the column has no NULLs.
    pub(crate) fn proven_not_null(&self, rv: &RangeVar, column: &str) -> bool {
        self.proven_not_null.contains(&(relation_key(rv), column.to_string()))
    }

    /// Takes the effects of a checked statement into account.
    pub(crate) fn record(&mut self, node: &NodeEnum) {
        match node {
            NodeEnum::CreateStmt(s) => self.create_table(s.relation.as_ref()),
            NodeEnum::CreateTableAsStmt(s) => self.create_table(s.into.as_ref().and_then(|i| i.rel.as_ref())),
            NodeEnum::ViewStmt(s) => self.create_table(s.view.as_ref()),
            NodeEnum::IndexStmt(s) => {
                let schema = s.relation.as_ref().map_or("", |r| r.schemaname.as_str());
                let schema = if schema.is_empty() { "public" } else { schema };
                self.created_indexes.insert(format!("{schema}.{}", s.idxname));
            }
            NodeEnum::CreateSchemaStmt(s) => {
                self.created_schemas.insert(s.schemaname.clone());
            }
            NodeEnum::TransactionStmt(s) => match s.kind() {
                TransactionStmtKind::TransStmtBegin | TransactionStmtKind::TransStmtStart => self.in_transaction = true,
                TransactionStmtKind::TransStmtCommit | TransactionStmtKind::TransStmtRollback | TransactionStmtKind::TransStmtPrepare => {
                    self.in_transaction = false;
                }
                _ => {}
            },
            NodeEnum::RenameStmt(s) => self.rename(s),
            NodeEnum::AlterTableStmt(s) => {
                let Some(rv) = &s.relation else { return };
                for cmd in &s.cmds {
                    if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node {
                        self.alter_table_cmd(rv, cmd);
                    }
                }
            }
            _ => {}
        }
    }

    fn create_table(&mut self, rv: Option<&RangeVar>) {
        if let Some(rv) = rv {
            self.created_tables.insert(relation_key(rv));
        }
    }

    fn rename(&mut self, s: &pg_query::protobuf::RenameStmt) {
        let Some(rv) = &s.relation else { return };
        let old = relation_key(rv);
        let schema = old.split_once('.').map_or("public", |(schema, _)| schema);
        let new = format!("{schema}.{}", s.newname);
        match s.rename_type() {
            ObjectType::ObjectTable | ObjectType::ObjectView | ObjectType::ObjectMatview if self.created_tables.remove(&old) => {
                self.created_tables.insert(new);
            }
            ObjectType::ObjectIndex if self.created_indexes.remove(&old) => {
                self.created_indexes.insert(new);
            }
            _ => {}
        }
    }

    fn alter_table_cmd(&mut self, rv: &RangeVar, cmd: &AlterTableCmd) {
        let table = relation_key(rv);
        match cmd.subtype() {
            AlterTableType::AtAddConstraint => {
                let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return };
                if c.contype() != ConstrType::ConstrCheck {
                    return;
                }
                if let Some(column) = c.raw_expr.as_deref().and_then(is_not_null_test) {
                    if c.skip_validation {
                        self.pending_not_null_checks.insert(format!("{table}.{}", c.conname), column);
                    } else {
                        self.proven_not_null.insert((table, column));
                    }
                }
            }
            AlterTableType::AtValidateConstraint => {
                if let Some(column) = self.pending_not_null_checks.remove(&format!("{table}.{}", cmd.name)) {
                    self.proven_not_null.insert((table, column));
                }
            }
            _ => {}
        }
    }
}

/// The column of a `column IS NOT NULL` test.
fn is_not_null_test(node: &Node) -> Option<String> {
    let Some(NodeEnum::NullTest(test)) = &node.node else { return None };
    if test.nulltesttype() != pg_query::protobuf::NullTestType::IsNotNull {
        return None;
    }
    let Some(NodeEnum::ColumnRef(column)) = test.arg.as_deref().and_then(|a| a.node.as_ref()) else { return None };
    match &column.fields.last()?.node {
        Some(NodeEnum::String(s)) => Some(s.sval.clone()),
        _ => None,
    }
}
