use pg_query::protobuf::{AlterTableType, ColumnDef, Node, TypeName};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, string_value, Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ALTER COLUMN ... TYPE` on a table that the
    /// migration did not create.
    ///
    /// When the schema (`--schema` and the statements before) knows the
    /// column's current type, changes that PostgreSQL makes without
    /// rewriting the table or rebuilding its indexes are not reported:
    /// `varchar(n)` to `varchar(m)` with `m >= n`, to `varchar` or to
    /// `text`; `text` to `varchar` without a length; `numeric(p,s)` to
    /// `numeric(q,s)` with `q >= p` or to `numeric`; `varbit(n)` to a
    /// longer or unbounded `varbit`; `cidr` to `inet`; a `timestamp`,
    /// `timestamptz`, `time` or `timetz` precision raised or removed; and
    /// a type set to what it already is. Each holds only when no `USING`
    /// expression other than the column itself is given and the collation
    /// stays the same (`change-column-collation` covers `COLLATE`; a type
    /// change without `COLLATE` on a column with a non-default collation
    /// resets it, which rebuilds the column's indexes, and is reported).
    /// When the current type is unknown, the change is reported as one that
    /// may rewrite.
    ///
    /// ## Why is this bad?
    /// Changing a column's type takes an ACCESS EXCLUSIVE lock and, unless
    /// the old type is binary-coercible to the new one, rewrites the whole
    /// table and rebuilds its indexes. Reads and writes wait for the
    /// rewrite, and code that reads the column may break on the new type.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);
    /// ```
    ///
    /// ## Use instead
    /// Add a new column of the new type, backfill it in batches, switch the
    /// code over, and drop the old column:
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN total_new numeric(12, 2);
    /// -- backfill in batches, then switch reads and writes to total_new
    /// ```
    ///
    /// ## Fix safety
    /// There is no fix: the safe path spans several deployments.
    pub(crate) RULE = { id: "change-column-type", category: Rewrite, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() != AlterTableType::AtAlterColumnType {
            continue;
        }
        let Some(NodeEnum::ColumnDef(def)) = cmd_def(cmd) else { continue };
        let Some(type_name) = &def.type_name else { continue };
        let key = relation_key(table);
        let message = match checker.context.column(table, &cmd.name) {
            Some(old) => {
                let (from, to) = (TypeShape::parse(&old.data_type), TypeShape::from_type_name(type_name));
                let same_collation = def.coll_clause.is_some() || old.collation.is_none();
                let coercible = keeps_values(def, &cmd.name) && binary_coercible(&from, &to);
                if coercible && same_collation {
                    continue;
                }
                if coercible {
                    // Without COLLATE the column takes the new type's default collation.
                    let collation = old.collation.as_deref().unwrap_or_default();
                    format!("changing the type of {key}.{} without COLLATE resets its collation {collation} to the default, which rebuilds its indexes under an ACCESS EXCLUSIVE lock", cmd.name)
                } else {
                    format!("changing the type of {key}.{} from {} to {} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock", cmd.name, old.data_type, to.display())
                }
            }
            None => format!("changing the type of {key}.{} may rewrite the table under an ACCESS EXCLUSIVE lock", cmd.name),
        };
        checker.report(&RULE, STATEMENT, message, "add a column of the new type, backfill it in batches, then switch over and drop the old one").on_table(key);
    }
}

/// Whether an `ALTER COLUMN ... TYPE` keeps the stored values as they are:
/// no `USING`, or `USING column` (possibly cast).
pub(super) fn keeps_values(def: &ColumnDef, column: &str) -> bool {
    fn is_column(node: &Node, column: &str) -> bool {
        match &node.node {
            Some(NodeEnum::ColumnRef(r)) => r.fields.last().is_some_and(|f| string_value(f) == column),
            Some(NodeEnum::TypeCast(c)) => c.arg.as_deref().is_some_and(|a| is_column(a, column)),
            _ => false,
        }
    }
    def.raw_default.as_deref().is_none_or(|u| is_column(u, column))
}

/// A column type as `format_type` would print it, split into its base
/// name, its modifiers and its array depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TypeShape {
    /// `character varying`, `numeric`, `timestamp with time zone`, or a
    /// name as written for types that are not built in.
    pub(super) base: String,
    /// `(255)`, `(10,2)`.
    pub(super) modifiers: Vec<i64>,
    /// `[]` count.
    pub(super) array: usize,
}

impl TypeShape {
    /// The shape of a model type (`character varying(255)`,
    /// `timestamp(3) with time zone`, `integer[]`).
    pub(super) fn parse(data_type: &str) -> Self {
        let mut t = data_type.trim();
        let mut array = 0;
        while let Some(rest) = t.strip_suffix("[]") {
            t = rest.trim_end();
            array += 1;
        }
        let (base, modifiers) = match (t.find('('), t.find(')')) {
            (Some(open), Some(close)) if close > open => {
                let modifiers = t[open + 1..close].split(',').filter_map(|m| m.trim().parse().ok()).collect();
                (format!("{}{}", t[..open].trim_end(), &t[close + 1..]), modifiers)
            }
            _ => (t.to_string(), Vec::new()),
        };
        let base = match base.as_str() {
            "timestamp" => "timestamp without time zone".to_string(),
            "time" => "time without time zone".to_string(),
            _ => base,
        };
        Self { base, modifiers, array }
    }

    /// The shape of a type as a statement writes it, spelled as the model
    /// spells types.
    pub(super) fn from_type_name(tn: &TypeName) -> Self {
        Self::parse(&astrola_core::frontend::postgres::format_type_name(tn))
    }

    /// The type as `format_type` prints it.
    pub(super) fn display(&self) -> String {
        let modifiers = if self.modifiers.is_empty() { String::new() } else { format!("({})", self.modifiers.iter().map(i64::to_string).collect::<Vec<_>>().join(",")) };
        let mut out = match self.base.split_once(" with") {
            Some((head, tail)) if !modifiers.is_empty() => format!("{head}{modifiers} with{tail}"),
            _ => format!("{}{modifiers}", self.base),
        };
        for _ in 0..self.array {
            out.push_str("[]");
        }
        out
    }
}

/// Whether PostgreSQL changes a column from `from` to `to` without a
/// rewrite or an index rebuild: the old values are valid as they are
/// (a binary-coercible cast, or a length limit raised, which the types'
/// support functions turn into no-ops) and the index operator class stays.
pub(super) fn binary_coercible(from: &TypeShape, to: &TypeShape) -> bool {
    if from == to {
        return true;
    }
    if from.array != 0 || to.array != 0 {
        return false;
    }
    // A limit raised or removed: `(n)` to `(m >= n)` or to none.
    let wider = |f: &[i64], t: &[i64]| match (f.first(), t.first()) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => b >= a,
    };
    match (from.base.as_str(), to.base.as_str()) {
        ("character varying", "character varying") | ("bit varying", "bit varying") => wider(&from.modifiers, &to.modifiers),
        ("character varying", "text") => true,
        ("text", "character varying") => to.modifiers.is_empty(),
        ("numeric", "numeric") => match (from.modifiers.as_slice(), to.modifiers.as_slice()) {
            (_, []) => true,
            ([p, s], [q, t]) => q >= p && s == t,
            _ => false,
        },
        ("cidr", "inet") => true,
        (a, b) if a == b && matches!(a, "timestamp without time zone" | "timestamp with time zone" | "time without time zone" | "time with time zone") => wider(&from.modifiers, &to.modifiers),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement_type(sql_type: &str) -> TypeShape {
        let sql = format!("ALTER TABLE t ALTER COLUMN c TYPE {sql_type}");
        let parsed = pg_query::parse(&sql, pg_query::ParserOptions::DEFAULT).expect("parses");
        let Some(NodeEnum::AlterTableStmt(stmt)) = parsed.protobuf.stmts[0].stmt.as_ref().and_then(|s| s.node.as_ref()) else { panic!("not an ALTER TABLE") };
        let cmd = alter_table_cmds(stmt).next().expect("a command");
        let Some(NodeEnum::ColumnDef(def)) = cmd_def(cmd) else { panic!("no column") };
        TypeShape::from_type_name(def.type_name.as_ref().expect("type"))
    }

    #[test]
    fn statement_types_read_as_the_model_spells_them() {
        for (written, model) in [
            ("varchar(20)", "character varying(20)"),
            ("character varying", "character varying"),
            ("numeric(12)", "numeric(12,0)"),
            ("decimal(12, 2)", "numeric(12,2)"),
            ("timestamptz(3)", "timestamp(3) with time zone"),
            ("timestamp", "timestamp without time zone"),
            ("int8", "bigint"),
            ("text[]", "text[]"),
            ("varbit(8)", "bit varying(8)"),
        ] {
            assert_eq!(statement_type(written), TypeShape::parse(model), "{written}");
            assert_eq!(statement_type(written).display(), model, "{written}");
        }
    }

    #[test]
    fn only_changes_that_keep_the_bytes_are_binary_coercible() {
        let coercible = |from: &str, to: &str| binary_coercible(&TypeShape::parse(from), &statement_type(to));
        for (from, to) in [
            ("character varying(10)", "varchar(20)"),
            ("character varying(10)", "varchar"),
            ("character varying(10)", "text"),
            ("character varying", "text"),
            ("text", "varchar"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("numeric(10,2)", "numeric"),
            ("bit varying(4)", "varbit(8)"),
            ("cidr", "inet"),
            ("timestamp(3) with time zone", "timestamptz"),
            ("integer", "int4"),
        ] {
            assert!(coercible(from, to), "{from} -> {to}");
        }
        for (from, to) in [
            ("integer", "bigint"),
            ("character varying(20)", "varchar(10)"),
            ("text", "varchar(10)"),
            ("character varying", "varchar(10)"),
            ("numeric(10,2)", "numeric(12,3)"),
            ("numeric(10,2)", "numeric(8,2)"),
            ("numeric", "numeric(10,2)"),
            ("inet", "cidr"),
            ("character(10)", "text"),
            ("timestamp without time zone", "timestamptz"),
            ("character varying(10)[]", "varchar(20)[]"),
        ] {
            assert!(!coercible(from, to), "{from} -> {to}");
        }
    }
}
