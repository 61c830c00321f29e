//! The typed changes a diff is made of.
//!
//! A [`Change`] names one edit of one object, with the definitions it needs
//! to be rendered in any dialect. Changes are dialect-neutral; the renderers
//! in [`crate::render`] turn them into SQL.

use serde::{Deserialize, Serialize};

use astrola_core::model::{
    Column, Constraint, Domain, Extension, Function, Grant, Identity, Index, Policy, Sequence, Table, Trigger, TypeDef, View,
};
use astrola_core::QualifiedName;

/// Where a new enum label goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumPosition {
    /// At the end.
    Last,
    /// Before the given label.
    Before(String),
    /// After the given label.
    After(String),
}

/// What a `COMMENT ON` statement targets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "object_type")]
pub enum CommentTarget {
    /// `SCHEMA name`.
    Schema {
        /// The schema.
        name: String,
    },
    /// `EXTENSION name`.
    Extension {
        /// The extension.
        name: String,
    },
    /// `TYPE name`.
    Type {
        /// The type.
        name: QualifiedName,
    },
    /// `DOMAIN name`.
    Domain {
        /// The domain.
        name: QualifiedName,
    },
    /// `SEQUENCE name`.
    Sequence {
        /// The sequence.
        name: QualifiedName,
    },
    /// `TABLE name`.
    Table {
        /// The table.
        name: QualifiedName,
    },
    /// `COLUMN table.column` (also view columns).
    Column {
        /// The table or view.
        table: QualifiedName,
        /// The column.
        column: String,
    },
    /// `CONSTRAINT name ON table`.
    Constraint {
        /// The table.
        table: QualifiedName,
        /// The constraint.
        name: String,
    },
    /// `INDEX name`.
    Index {
        /// The index.
        name: QualifiedName,
    },
    /// `VIEW name` or `MATERIALIZED VIEW name`.
    View {
        /// The view.
        name: QualifiedName,
        /// Whether it is materialized.
        materialized: bool,
    },
    /// `FUNCTION signature` or `PROCEDURE signature`.
    Function {
        /// The signature key (`public.f(integer)`).
        signature: String,
        /// Whether it is a procedure.
        procedure: bool,
    },
    /// `TRIGGER name ON table`.
    Trigger {
        /// The table.
        table: QualifiedName,
        /// The trigger.
        name: String,
    },
    /// `POLICY name ON table`.
    Policy {
        /// The table.
        table: QualifiedName,
        /// The policy.
        name: String,
    },
}

/// One edit of one object. Definitions are carried whole, so any renderer
/// (and any consumer, such as the linter or the planner) has what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[allow(missing_docs)] // The fields are the object names and definitions their variant names say.
pub enum Change {
    /// `CREATE SCHEMA`.
    CreateSchema { name: String },
    /// `DROP SCHEMA`.
    DropSchema { name: String },
    /// `CREATE EXTENSION`.
    CreateExtension { name: String, extension: Extension },
    /// `DROP EXTENSION`.
    DropExtension { name: String },
    /// `ALTER EXTENSION ... UPDATE TO` / `SET SCHEMA`.
    AlterExtension { name: String, from: Extension, to: Extension },
    /// `CREATE TYPE` (enum, composite or range).
    CreateType { name: QualifiedName, definition: TypeDef },
    /// `DROP TYPE`.
    DropType { name: QualifiedName, definition: TypeDef },
    /// `ALTER TYPE ... RENAME TO`.
    RenameType { from: QualifiedName, to: QualifiedName },
    /// `ALTER TYPE ... ADD VALUE`.
    AddEnumValue { name: QualifiedName, value: String, position: EnumPosition },
    /// `ALTER TYPE ... RENAME VALUE`.
    RenameEnumValue { name: QualifiedName, from: String, to: String },
    /// A type whose change ALTER TYPE cannot express (an enum label removed
    /// or reordered, a composite attribute changed): it is rebuilt under a
    /// temporary name and the columns that use it are converted.
    ReplaceType { name: QualifiedName, from: TypeDef, to: TypeDef, columns: Vec<ColumnUse> },
    /// `CREATE DOMAIN`.
    CreateDomain { name: QualifiedName, domain: Domain },
    /// `DROP DOMAIN`.
    DropDomain { name: QualifiedName, domain: Domain },
    /// `ALTER DOMAIN` (default, NOT NULL and constraints).
    AlterDomain { name: QualifiedName, from: Domain, to: Domain },
    /// `CREATE SEQUENCE`.
    CreateSequence { name: QualifiedName, sequence: Sequence },
    /// `DROP SEQUENCE`.
    DropSequence { name: QualifiedName, sequence: Sequence },
    /// `ALTER SEQUENCE` options or `OWNED BY`.
    AlterSequence { name: QualifiedName, from: Sequence, to: Sequence },
    /// `CREATE TABLE`, with its columns and CHECK constraints (other
    /// constraints, indexes and triggers are changes of their own).
    CreateTable { name: QualifiedName, table: Table },
    /// `DROP TABLE`.
    DropTable { name: QualifiedName, table: Table },
    /// `ALTER TABLE ... RENAME TO`.
    RenameTable { from: QualifiedName, to: QualifiedName },
    /// `ALTER TABLE ... ADD COLUMN`. `after` is the column it follows in the
    /// target (used by dialects that place columns).
    AddColumn { table: QualifiedName, column: Column, after: Option<String> },
    /// `ALTER TABLE ... DROP COLUMN`.
    DropColumn { table: QualifiedName, column: Column },
    /// `ALTER TABLE ... RENAME COLUMN`.
    RenameColumn { table: QualifiedName, from: String, to: String },
    /// `ALTER COLUMN ... TYPE`, with `USING` when no assignment cast exists.
    AlterColumnType { table: QualifiedName, column: String, from: Column, to: Column, using: Option<String> },
    /// `ALTER COLUMN ... SET NOT NULL`.
    SetNotNull { table: QualifiedName, column: String },
    /// `ALTER COLUMN ... DROP NOT NULL`.
    DropNotNull { table: QualifiedName, column: String },
    /// `ALTER COLUMN ... SET DEFAULT`.
    SetDefault { table: QualifiedName, column: String, default: String },
    /// `ALTER COLUMN ... DROP DEFAULT`.
    DropDefault { table: QualifiedName, column: String },
    /// `ALTER COLUMN ... ADD GENERATED ... AS IDENTITY`.
    AddIdentity { table: QualifiedName, column: String, identity: Identity },
    /// `ALTER COLUMN ... DROP IDENTITY`.
    DropIdentity { table: QualifiedName, column: String, identity: Identity },
    /// `ALTER COLUMN ... SET GENERATED` and sequence options of an identity.
    AlterIdentity { table: QualifiedName, column: String, from: Identity, to: Identity },
    /// `ALTER COLUMN ... DROP EXPRESSION`: a generated column becomes a
    /// plain column that keeps its values.
    DropExpression { table: QualifiedName, column: String },
    /// A column whose change needs it dropped and added again (a stored
    /// generated expression changed, or a plain column became generated).
    ReplaceColumn { table: QualifiedName, from: Column, to: Column },
    /// Dialect-specific column attributes changed (MySQL `AUTO_INCREMENT`,
    /// `ON UPDATE`, position).
    AlterColumnExtra { table: QualifiedName, from: Column, to: Column },
    /// `ALTER TABLE ... ADD CONSTRAINT`.
    AddConstraint { table: QualifiedName, name: String, constraint: Constraint },
    /// `ALTER TABLE ... DROP CONSTRAINT`.
    DropConstraint { table: QualifiedName, name: String, constraint: Constraint },
    /// `ALTER TABLE ... VALIDATE CONSTRAINT`.
    ValidateConstraint { table: QualifiedName, name: String },
    /// `ALTER TABLE ... RENAME CONSTRAINT`.
    RenameConstraint { table: QualifiedName, from: String, to: String },
    /// `CREATE INDEX`.
    CreateIndex { name: QualifiedName, index: Index },
    /// `DROP INDEX`.
    DropIndex { name: QualifiedName, index: Index },
    /// `ALTER INDEX ... RENAME TO`.
    RenameIndex { table: QualifiedName, from: QualifiedName, to: QualifiedName },
    /// `CREATE VIEW` / `CREATE MATERIALIZED VIEW`.
    CreateView { name: QualifiedName, view: View },
    /// `DROP VIEW` / `DROP MATERIALIZED VIEW`.
    DropView { name: QualifiedName, view: View },
    /// `CREATE FUNCTION` / `CREATE PROCEDURE`.
    CreateFunction { signature: String, function: Function },
    /// `DROP FUNCTION` / `DROP PROCEDURE`.
    DropFunction { signature: String, function: Function },
    /// `CREATE OR REPLACE FUNCTION` (same signature and result type).
    ReplaceFunction { signature: String, from: Function, to: Function },
    /// `CREATE TRIGGER` (with its enable state).
    CreateTrigger { table: QualifiedName, name: String, trigger: Trigger },
    /// `DROP TRIGGER`.
    DropTrigger { table: QualifiedName, name: String, trigger: Trigger },
    /// `ALTER TABLE ... ENABLE/DISABLE ... TRIGGER`.
    SetTriggerFiring { table: QualifiedName, name: String, firing: Option<String> },
    /// `CREATE TRIGGER` as written, for a trigger the model keeps as an
    /// unmanaged statement (SQLite, which stores a trigger as its text, so
    /// running the target's text reproduces it exactly).
    CreateTriggerStatement { table: QualifiedName, name: String, sql: String },
    /// `DROP TRIGGER` of a trigger kept as an unmanaged statement; `sql` is
    /// the statement that created it.
    DropTriggerStatement { table: QualifiedName, name: String, sql: String },
    /// `CREATE POLICY`.
    CreatePolicy { table: QualifiedName, name: String, policy: Policy },
    /// `DROP POLICY`.
    DropPolicy { table: QualifiedName, name: String, policy: Policy },
    /// `ALTER TABLE ... ENABLE/DISABLE/FORCE/NO FORCE ROW LEVEL SECURITY`.
    SetRowSecurity { table: QualifiedName, enabled: bool, forced: bool },
    /// `ALTER TABLE ... SET LOGGED/UNLOGGED`.
    SetLogged { table: QualifiedName, logged: bool },
    /// Storage parameters or, for MySQL, table options.
    SetTableOptions {
        table: QualifiedName,
        from: std::collections::BTreeMap<String, String>,
        to: std::collections::BTreeMap<String, String>,
    },
    /// `ALTER TABLE parent ATTACH PARTITION table bound`.
    AttachPartition { table: QualifiedName, parent: QualifiedName, bound: String },
    /// `ALTER TABLE parent DETACH PARTITION table`.
    DetachPartition { table: QualifiedName, parent: QualifiedName },
    /// `COMMENT ON ... IS ...` (or `IS NULL`).
    SetComment { target: CommentTarget, comment: Option<String> },
    /// `GRANT`.
    Grant { grant: Grant },
    /// `REVOKE`.
    Revoke { grant: Grant },
}

/// A column whose type is replaced by a [`Change::ReplaceType`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnUse {
    /// The table.
    pub table: QualifiedName,
    /// The column.
    pub column: String,
    /// The column's type as written (`public.mood` or `public.mood[]`).
    pub data_type: String,
    /// The column's default, which must be dropped and restored around the
    /// conversion.
    pub default: Option<String>,
}

/// Why a change is destructive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Destruction {
    /// Stored data is deleted (a table, a column, a sequence's position).
    Data,
    /// Values may be lost or rejected (a narrowing type change, an enum
    /// label removed).
    Narrowing,
    /// An object is removed and not recreated (a constraint, an index, a
    /// view, a function, a type...).
    Object,
}

impl Change {
    /// The snake_case kind, as in JSON (`add_column`).
    pub fn kind(&self) -> &'static str {
        macro_rules! kinds {
            ($($v:ident => $s:literal),* $(,)?) => {
                match self { $(Self::$v { .. } => $s,)* }
            };
        }
        kinds! {
            CreateSchema => "create_schema", DropSchema => "drop_schema", CreateExtension => "create_extension",
            DropExtension => "drop_extension", AlterExtension => "alter_extension", CreateType => "create_type",
            DropType => "drop_type", RenameType => "rename_type", AddEnumValue => "add_enum_value", RenameEnumValue => "rename_enum_value",
            ReplaceType => "replace_type", CreateDomain => "create_domain", DropDomain => "drop_domain",
            AlterDomain => "alter_domain", CreateSequence => "create_sequence", DropSequence => "drop_sequence",
            AlterSequence => "alter_sequence", CreateTable => "create_table", DropTable => "drop_table",
            RenameTable => "rename_table", AddColumn => "add_column", DropColumn => "drop_column",
            RenameColumn => "rename_column", AlterColumnType => "alter_column_type", SetNotNull => "set_not_null",
            DropNotNull => "drop_not_null", SetDefault => "set_default", DropDefault => "drop_default",
            AddIdentity => "add_identity", DropIdentity => "drop_identity", AlterIdentity => "alter_identity",
            DropExpression => "drop_expression", ReplaceColumn => "replace_column", AlterColumnExtra => "alter_column_extra",
            AddConstraint => "add_constraint", DropConstraint => "drop_constraint", ValidateConstraint => "validate_constraint",
            RenameConstraint => "rename_constraint", CreateIndex => "create_index", DropIndex => "drop_index",
            RenameIndex => "rename_index", CreateView => "create_view", DropView => "drop_view",
            CreateFunction => "create_function", DropFunction => "drop_function", ReplaceFunction => "replace_function",
            CreateTrigger => "create_trigger", DropTrigger => "drop_trigger", SetTriggerFiring => "set_trigger_firing",
            CreateTriggerStatement => "create_trigger_statement", DropTriggerStatement => "drop_trigger_statement",
            CreatePolicy => "create_policy", DropPolicy => "drop_policy", SetRowSecurity => "set_row_security",
            SetLogged => "set_logged", SetTableOptions => "set_table_options", AttachPartition => "attach_partition",
            DetachPartition => "detach_partition", SetComment => "set_comment", Grant => "grant", Revoke => "revoke",
        }
    }

    /// The object the change is about, as SQL text (`public.users`,
    /// `public.users.email`, `INDEX public.users_email_idx`).
    pub fn object(&self) -> String {
        use Change::*;
        match self {
            CreateSchema { name } | DropSchema { name } => name.clone(),
            CreateExtension { name, .. } | DropExtension { name } | AlterExtension { name, .. } => name.clone(),
            RenameType { to, .. } => to.to_string(),
            CreateType { name, .. } | DropType { name, .. } | AddEnumValue { name, .. } | RenameEnumValue { name, .. } | ReplaceType { name, .. } => {
                name.to_string()
            }
            CreateDomain { name, .. } | DropDomain { name, .. } | AlterDomain { name, .. } => name.to_string(),
            CreateSequence { name, .. } | DropSequence { name, .. } | AlterSequence { name, .. } => name.to_string(),
            CreateTable { name, .. } | DropTable { name, .. } => name.to_string(),
            RenameTable { to, .. } => to.to_string(),
            AddColumn { table, column, .. } | DropColumn { table, column } => column_object(table, &column.name),
            ReplaceColumn { table, to, .. } | AlterColumnExtra { table, to, .. } => column_object(table, &to.name),
            RenameColumn { table, to, .. } => column_object(table, to),
            AlterColumnType { table, column, .. }
            | SetNotNull { table, column }
            | DropNotNull { table, column }
            | SetDefault { table, column, .. }
            | DropDefault { table, column }
            | AddIdentity { table, column, .. }
            | DropIdentity { table, column, .. }
            | AlterIdentity { table, column, .. }
            | DropExpression { table, column } => column_object(table, column),
            AddConstraint { table, name, .. } | DropConstraint { table, name, .. } | ValidateConstraint { table, name } => {
                column_object(table, name)
            }
            RenameConstraint { table, to, .. } => column_object(table, to),
            CreateIndex { name, .. } | DropIndex { name, .. } => name.to_string(),
            RenameIndex { to, .. } => to.to_string(),
            CreateView { name, .. } | DropView { name, .. } => name.to_string(),
            CreateFunction { signature, .. } | DropFunction { signature, .. } | ReplaceFunction { signature, .. } => signature.clone(),
            CreateTrigger { table, name, .. }
            | DropTrigger { table, name, .. }
            | SetTriggerFiring { table, name, .. }
            | CreateTriggerStatement { table, name, .. }
            | DropTriggerStatement { table, name, .. } => column_object(table, name),
            CreatePolicy { table, name, .. } | DropPolicy { table, name, .. } => column_object(table, name),
            SetRowSecurity { table, .. } | SetLogged { table, .. } | SetTableOptions { table, .. } => table.to_string(),
            AttachPartition { table, .. } | DetachPartition { table, .. } => table.to_string(),
            SetComment { target, .. } => format!("{target:?}"),
            Grant { grant } | Revoke { grant } => format!("{} {}", grant.object_kind, grant.object),
        }
    }

    /// Whether (and why) the change, on its own, destroys data or removes
    /// an object. A plan treats a drop followed by a create of the same
    /// object as a replacement (see `destructions` in lib.rs).
    pub fn destruction(&self) -> Option<Destruction> {
        use Change::*;
        match self {
            DropTable { .. } | DropSequence { .. } | DropSchema { .. } => Some(Destruction::Data),
            DropColumn { column, .. } => Some(if column.generated.is_some() { Destruction::Object } else { Destruction::Data }),
            AlterColumnType { from, to, .. } => crate::types::is_narrowing(&from.data_type, &to.data_type).then_some(Destruction::Narrowing),
            ReplaceType { from, to, .. } => crate::types::type_loses_values(from, to).then_some(Destruction::Narrowing),
            ReplaceColumn { from, .. } if from.generated.is_none() => Some(Destruction::Data),
            DropType { .. }
            | DropDomain { .. }
            | DropExtension { .. }
            | DropConstraint { .. }
            | DropIndex { .. }
            | DropView { .. }
            | DropFunction { .. }
            | DropTrigger { .. }
            | DropTriggerStatement { .. }
            | DropPolicy { .. } => Some(Destruction::Object),
            _ => None,
        }
    }
}

fn column_object(table: &QualifiedName, name: &str) -> String {
    format!("{table}.{}", astrola_core::ident::quote_ident(name))
}
