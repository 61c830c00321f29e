//! PostgreSQL SQL for each change.

use std::fmt::Write;

use astrola_core::ident::{quote_ident, quote_literal};
use astrola_core::model::Schema;
use astrola_core::render::postgres::statements as ddl;
use astrola_core::QualifiedName;

use super::Statement;
use crate::change::{CommentTarget, EnumPosition};
use crate::Change;

/// A temporary name for a type being rebuilt.
fn old_type_name(name: &QualifiedName) -> String {
    format!("{}__astrola_old", name.name)
}

fn alter_column(table: &QualifiedName, column: &str, action: &str) -> String {
    format!("ALTER TABLE {table} ALTER COLUMN {} {action};\n", quote_ident(column))
}

/// `COMMENT ON` target text.
pub(crate) fn comment_target(t: &CommentTarget) -> String {
    match t {
        CommentTarget::Schema { name } => format!("SCHEMA {}", quote_ident(name)),
        CommentTarget::Extension { name } => format!("EXTENSION {}", quote_ident(name)),
        CommentTarget::Type { name } => format!("TYPE {name}"),
        CommentTarget::Domain { name } => format!("DOMAIN {name}"),
        CommentTarget::Sequence { name } => format!("SEQUENCE {name}"),
        CommentTarget::Table { name } => format!("TABLE {name}"),
        CommentTarget::Column { table, column } => format!("COLUMN {table}.{}", quote_ident(column)),
        CommentTarget::Constraint { table, name } => format!("CONSTRAINT {} ON {table}", quote_ident(name)),
        CommentTarget::Index { name } => format!("INDEX {name}"),
        CommentTarget::View { name, materialized } => format!("{} {name}", if *materialized { "MATERIALIZED VIEW" } else { "VIEW" }),
        CommentTarget::Function { signature, procedure } => format!("{} {signature}", if *procedure { "PROCEDURE" } else { "FUNCTION" }),
        CommentTarget::Trigger { table, name } => format!("TRIGGER {} ON {table}", quote_ident(name)),
        CommentTarget::Policy { table, name } => format!("POLICY {} ON {table}", quote_ident(name)),
    }
}

/// Renders `changes` (already ordered) as PostgreSQL statements.
pub fn render(changes: &[Change], _from: &Schema, to: &Schema) -> Vec<Statement> {
    let mut out = Vec::new();
    let loose_bodies = changes.iter().any(|c| match c {
        Change::CreateFunction { function, .. } | Change::ReplaceFunction { to: function, .. } => !function.standard_body,
        _ => false,
    });
    if loose_bodies {
        // As pg_dump does: a function body may name objects created later.
        out.push(Statement { sql: "SET check_function_bodies = false;\n".into(), change: None, transactional: true });
    }
    for (i, c) in changes.iter().enumerate() {
        let sql = change_sql(c, to);
        if sql.is_empty() {
            continue;
        }
        let transactional = !matches!(c, Change::AddEnumValue { .. });
        out.push(Statement { sql, change: Some(i), transactional });
    }
    out
}

/// The SQL of one change.
pub fn change_sql(c: &Change, to: &Schema) -> String {
    use Change::*;
    match c {
        CreateSchema { name } => format!("CREATE SCHEMA {};\n", quote_ident(name)),
        DropSchema { name } => format!("DROP SCHEMA {};\n", quote_ident(name)),
        CreateExtension { name, extension } => {
            let mut s = format!("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}", quote_ident(name), quote_ident(&extension.schema));
            if let Some(v) = &extension.version {
                let _ = write!(s, " VERSION {}", quote_literal(v));
            }
            s + ";\n"
        }
        DropExtension { name } => format!("DROP EXTENSION {};\n", quote_ident(name)),
        AlterExtension { name, from, to: e } => {
            let mut s = String::new();
            if from.schema != e.schema {
                let _ = writeln!(s, "ALTER EXTENSION {} SET SCHEMA {};", quote_ident(name), quote_ident(&e.schema));
            }
            if let (Some(a), Some(b)) = (&from.version, &e.version) {
                if a != b {
                    let _ = writeln!(s, "ALTER EXTENSION {} UPDATE TO {};", quote_ident(name), quote_literal(b));
                }
            }
            s
        }
        CreateType { name, definition } => ddl::create_type(name, definition),
        DropType { name, .. } => format!("DROP TYPE {name};\n"),
        RenameType { from, to: b } => format!("ALTER TYPE {from} RENAME TO {};\n", quote_ident(&b.name)),
        AddEnumValue { name, value, position } => {
            let place = match position {
                EnumPosition::Last => String::new(),
                EnumPosition::Before(l) => format!(" BEFORE {}", quote_literal(l)),
                EnumPosition::After(l) => format!(" AFTER {}", quote_literal(l)),
            };
            format!("ALTER TYPE {name} ADD VALUE {}{place};\n", quote_literal(value))
        }
        RenameEnumValue { name, from, to: b } => format!("ALTER TYPE {name} RENAME VALUE {} TO {};\n", quote_literal(from), quote_literal(b)),
        ReplaceType { name, to: def, columns, .. } => {
            let old = old_type_name(name);
            let mut s = format!("ALTER TYPE {name} RENAME TO {};\n", quote_ident(&old));
            s.push_str(&ddl::create_type(name, def));
            for u in columns {
                let target = to.tables.get(&u.table).and_then(|t| t.column(&u.column));
                if u.default.is_some() {
                    s.push_str(&alter_column(&u.table, &u.column, "DROP DEFAULT"));
                }
                let array = "[]".repeat(u.data_type.matches("[]").count());
                s.push_str(&alter_column(
                    &u.table,
                    &u.column,
                    &format!("TYPE {name}{array} USING {}::text{array}::{name}{array}", quote_ident(&u.column)),
                ));
                if let Some(d) = target.and_then(|c| c.default.as_ref()) {
                    s.push_str(&alter_column(&u.table, &u.column, &format!("SET DEFAULT {}", ddl::default_expression(d))));
                }
            }
            let _ = writeln!(s, "DROP TYPE {}.{};", quote_ident(&name.schema), quote_ident(&old));
            s
        }
        CreateDomain { name, domain } => ddl::create_domain(name, domain),
        DropDomain { name, .. } => format!("DROP DOMAIN {name};\n"),
        AlterDomain { name, from, to: d } => {
            let mut s = String::new();
            if from.default != d.default {
                match &d.default {
                    Some(e) => {
                        let _ = writeln!(s, "ALTER DOMAIN {name} SET DEFAULT {};", ddl::default_expression(e));
                    }
                    None => {
                        let _ = writeln!(s, "ALTER DOMAIN {name} DROP DEFAULT;");
                    }
                }
            }
            if from.not_null != d.not_null {
                let _ = writeln!(s, "ALTER DOMAIN {name} {} NOT NULL;", if d.not_null { "SET" } else { "DROP" });
            }
            for (cname, check) in &from.checks {
                match d.checks.get(cname) {
                    Some(n) if n.expr == check.expr && n.not_valid == check.not_valid => {}
                    Some(n) if n.expr == check.expr && check.not_valid && !n.not_valid => {
                        let _ = writeln!(s, "ALTER DOMAIN {name} VALIDATE CONSTRAINT {};", quote_ident(cname));
                    }
                    _ => {
                        let _ = writeln!(s, "ALTER DOMAIN {name} DROP CONSTRAINT {};", quote_ident(cname));
                    }
                }
            }
            for (cname, check) in &d.checks {
                let keep = from.checks.get(cname).is_some_and(|o| o.expr == check.expr && (o.not_valid == check.not_valid || o.not_valid));
                if !keep {
                    let nv = if check.not_valid { " NOT VALID" } else { "" };
                    let _ = writeln!(s, "ALTER DOMAIN {name} ADD CONSTRAINT {} CHECK ({}){nv};", quote_ident(cname), check.expr);
                }
            }
            s
        }
        CreateSequence { name, sequence } => ddl::create_sequence(name, sequence),
        DropSequence { name, .. } => format!("DROP SEQUENCE {name};\n"),
        AlterSequence { name, from, to: s2 } => {
            let mut s = String::new();
            if from.options != s2.options {
                let o = &s2.options;
                let mut opts = String::new();
                if from.options.data_type != o.data_type {
                    let _ = write!(opts, " AS {}", o.data_type);
                }
                let _ = write!(opts, " INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}", o.increment, o.min_value, o.max_value, o.start, o.cache, if o.cycle { "CYCLE" } else { "NO CYCLE" });
                if !(o.min_value..=o.max_value).contains(&from.options.start) {
                    // The current position must lie in the new range.
                    opts.push_str(" RESTART");
                }
                let _ = writeln!(s, "ALTER SEQUENCE {name}{opts};");
            }
            if from.owned_by != s2.owned_by {
                let owner = match &s2.owned_by {
                    Some(o) => format!("{}.{}", o.table, quote_ident(&o.column)),
                    None => "NONE".to_string(),
                };
                let _ = writeln!(s, "ALTER SEQUENCE {name} OWNED BY {owner};");
            }
            s
        }
        CreateTable { name, table } => match &table.partition_of {
            Some(p) => {
                let mut s = format!("CREATE TABLE {name} PARTITION OF {} {}", p.parent, p.bound);
                if let Some(pb) = &table.partition_by {
                    let mut probe = astrola_core::model::Table { partition_by: Some(pb.clone()), ..Default::default() };
                    probe.columns.clear();
                    let rendered = ddl::create_table(name, &probe);
                    if let Some(i) = rendered.find(" PARTITION BY ") {
                        s.push_str(rendered[i..].trim_end().trim_end_matches(';'));
                    }
                }
                s + ";\n"
            }
            None => ddl::create_table(name, table),
        },
        DropTable { name, .. } => format!("DROP TABLE {name};\n"),
        RenameTable { from, to: b } => {
            let mut s = String::new();
            if from.schema != b.schema {
                let _ = writeln!(s, "ALTER TABLE {from} SET SCHEMA {};", quote_ident(&b.schema));
            }
            if from.name != b.name {
                let moved = QualifiedName::new(b.schema.clone(), from.name.clone());
                let _ = writeln!(s, "ALTER TABLE {moved} RENAME TO {};", quote_ident(&b.name));
            }
            s
        }
        AddColumn { table, column, .. } => format!("ALTER TABLE {table} ADD COLUMN {};\n", ddl::column_definition(column)),
        DropColumn { table, column } => format!("ALTER TABLE {table} DROP COLUMN {};\n", quote_ident(&column.name)),
        RenameColumn { table, from, to: b } => format!("ALTER TABLE {table} RENAME COLUMN {} TO {};\n", quote_ident(from), quote_ident(b)),
        AlterColumnType { table, column, to: col, using, .. } => {
            let mut action = format!("TYPE {}", col.data_type);
            if let Some(coll) = &col.collation {
                let _ = write!(action, " COLLATE {coll}");
            }
            if let Some(u) = using {
                let _ = write!(action, " USING {u}");
            }
            alter_column(table, column, &action)
        }
        SetNotNull { table, column } => alter_column(table, column, "SET NOT NULL"),
        DropNotNull { table, column } => alter_column(table, column, "DROP NOT NULL"),
        SetDefault { table, column, default } => alter_column(table, column, &format!("SET DEFAULT {}", ddl::default_expression(default))),
        DropDefault { table, column } => alter_column(table, column, "DROP DEFAULT"),
        AddIdentity { table, column, identity } => {
            let when = if identity.always { "ALWAYS" } else { "BY DEFAULT" };
            alter_column(
                table,
                column,
                &format!("ADD GENERATED {when} AS IDENTITY (SEQUENCE NAME {} {})", identity.sequence, ddl::sequence_options_sql(&identity.options)),
            )
        }
        DropIdentity { table, column, .. } => alter_column(table, column, "DROP IDENTITY"),
        AlterIdentity { table, column, from, to: id } => {
            let mut s = String::new();
            if from.sequence != id.sequence {
                let _ = writeln!(s, "ALTER SEQUENCE {} RENAME TO {};", from.sequence, quote_ident(&id.sequence.name));
            }
            let o = &id.options;
            let when = if id.always { "ALWAYS" } else { "BY DEFAULT" };
            let cycle = if o.cycle { "CYCLE" } else { "NO CYCLE" };
            s.push_str(&alter_column(
                table,
                column,
                &format!(
                    "SET GENERATED {when} SET START WITH {} SET INCREMENT BY {} SET MINVALUE {} SET MAXVALUE {} SET CACHE {} SET {cycle}{}",
                    o.start,
                    o.increment,
                    o.min_value,
                    o.max_value,
                    o.cache,
                    // The current position must lie in the new range.
                    if (o.min_value..=o.max_value).contains(&from.options.start) { "" } else { " RESTART" }
                ),
            ));
            s
        }
        DropExpression { table, column } => alter_column(table, column, "DROP EXPRESSION"),
        ReplaceColumn { table, from, to: col } => format!(
            "ALTER TABLE {table} DROP COLUMN {};\nALTER TABLE {table} ADD COLUMN {};\n",
            quote_ident(&from.name),
            ddl::column_definition(col)
        ),
        AlterColumnExtra { .. } => String::new(),
        AddConstraint { table, name, constraint } => {
            format!("ALTER TABLE {table} ADD CONSTRAINT {} {};\n", quote_ident(name), ddl::constraint_definition(constraint))
        }
        DropConstraint { table, name, .. } => format!("ALTER TABLE {table} DROP CONSTRAINT {};\n", quote_ident(name)),
        ValidateConstraint { table, name } => format!("ALTER TABLE {table} VALIDATE CONSTRAINT {};\n", quote_ident(name)),
        RenameConstraint { table, from, to: b } => format!("ALTER TABLE {table} RENAME CONSTRAINT {} TO {};\n", quote_ident(from), quote_ident(b)),
        CreateIndex { name, index } => ddl::create_index(name, index, index.only),
        DropIndex { name, .. } => format!("DROP INDEX {name};\n"),
        RenameIndex { from, to: b, .. } => format!("ALTER INDEX {from} RENAME TO {};\n", quote_ident(&b.name)),
        CreateView { name, view } => ddl::create_view(name, view),
        DropView { name, view } => format!("DROP {}VIEW {name};\n", if view.materialized { "MATERIALIZED " } else { "" }),
        CreateFunction { function, .. } => ddl::create_function(function, false),
        ReplaceFunction { to: function, .. } => ddl::create_function(function, true),
        DropFunction { signature, function } => format!("DROP {} {signature};\n", if function.procedure { "PROCEDURE" } else { "FUNCTION" }),
        CreateTrigger { table, name, trigger } => ddl::create_trigger(table, name, trigger),
        DropTrigger { table, name, .. } => format!("DROP TRIGGER {} ON {table};\n", quote_ident(name)),
        // Only the SQLite diff produces these (its triggers are unmanaged
        // statements); the statement is replayed as written.
        CreateTriggerStatement { sql, .. } => format!("{};\n", sql.trim_end().trim_end_matches(';')),
        DropTriggerStatement { table, name, .. } => format!("DROP TRIGGER {} ON {table};\n", quote_ident(name)),
        SetTriggerFiring { table, name, firing } => {
            let action = match firing.as_deref() {
                None => "ENABLE".to_string(),
                Some("DISABLED") => "DISABLE".to_string(),
                Some(other) => format!("ENABLE {other}"),
            };
            format!("ALTER TABLE {table} {action} TRIGGER {};\n", quote_ident(name))
        }
        CreatePolicy { table, name, policy } => ddl::create_policy(table, name, policy),
        DropPolicy { table, name, .. } => format!("DROP POLICY {} ON {table};\n", quote_ident(name)),
        SetRowSecurity { table, enabled, forced } => {
            format!(
                "ALTER TABLE {table} {} ROW LEVEL SECURITY;\nALTER TABLE {table} {} ROW LEVEL SECURITY;\n",
                if *enabled { "ENABLE" } else { "DISABLE" },
                if *forced { "FORCE" } else { "NO FORCE" }
            )
        }
        SetLogged { table, logged } => format!("ALTER TABLE {table} SET {};\n", if *logged { "LOGGED" } else { "UNLOGGED" }),
        SetTableOptions { table, from, to: opts } => {
            let mut s = String::new();
            let removed: Vec<&String> = from.keys().filter(|k| !opts.contains_key(*k)).collect();
            if !removed.is_empty() {
                let names: Vec<&str> = removed.iter().map(|k| k.as_str()).collect();
                let _ = writeln!(s, "ALTER TABLE {table} RESET ({});", names.join(", "));
            }
            let set: Vec<String> = opts.iter().filter(|(k, v)| from.get(*k) != Some(v)).map(|(k, v)| format!("{k}={}", option_value(v))).collect();
            if !set.is_empty() {
                let _ = writeln!(s, "ALTER TABLE {table} SET ({});", set.join(", "));
            }
            s
        }
        AttachPartition { table, parent, bound } => format!("ALTER TABLE {parent} ATTACH PARTITION {table} {bound};\n"),
        DetachPartition { table, parent } => format!("ALTER TABLE {parent} DETACH PARTITION {table};\n"),
        SetComment { target, comment } => ddl::comment_on(&comment_target(target), comment.as_deref()),
        Grant { grant } => ddl::grant(grant, false),
        Revoke { grant } => ddl::grant(grant, true),
    }
}

fn option_value(v: &str) -> String {
    let plain = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if plain {
        v.to_string()
    } else {
        quote_literal(v)
    }
}
