//! Drift: how a live schema (ACTUAL) differs from the one it should have
//! (EXPECTED), object by object, with a severity and the SQL that brings
//! ACTUAL back to EXPECTED.
//!
//! # Severity rules
//!
//! - **breaking**: application queries written for EXPECTED can fail on
//!   ACTUAL. An expected schema, extension, type, enum label, domain,
//!   sequence, table, column, view or function is missing; a column has
//!   another type or generation; a column is NOT NULL in ACTUAL only, or an
//!   extra NOT NULL column without a default exists (inserts fail).
//! - **warning**: integrity, performance or access differs. Constraints,
//!   indexes, triggers, policies, row-level security, defaults, identity,
//!   NOT NULL missing, changed views and function bodies, grants, and
//!   objects ACTUAL has that EXPECTED does not.
//! - **info**: nothing behaves differently for queries: comments, storage
//!   options, sequence options, logging, extension versions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use astrola_core::render::postgres::statements as ddl;
use astrola_core::{Dialect, Schema};

use crate::change::Change;
use crate::{diff, ChangeSet, DiffOptions, Error, PlannedChange};

/// How much a difference matters (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Nothing behaves differently.
    Info,
    /// Integrity, performance or access differs.
    Warning,
    /// Queries written for the expected schema can fail.
    Breaking,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Breaking => "breaking",
        })
    }
}

/// What kind of difference an object shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// EXPECTED has it, ACTUAL does not.
    Missing,
    /// ACTUAL has it, EXPECTED does not.
    Unexpected,
    /// Both have it, with different definitions.
    Changed,
}

/// One drifted object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift {
    /// The object, in SQL spelling.
    pub object: String,
    /// Missing, unexpected or changed.
    pub kind: DriftKind,
    /// How much it matters.
    pub severity: Severity,
    /// The change kinds that fix it (`alter_column_type`, ...).
    pub changes: Vec<String>,
    /// The definition EXPECTED has, if any.
    pub expected: Option<String>,
    /// The definition ACTUAL has, if any.
    pub actual: Option<String>,
    /// The SQL that brings ACTUAL back to EXPECTED for this object.
    pub remediation: String,
}

/// The drift of ACTUAL from EXPECTED.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftReport {
    /// Each drifted object, most severe first.
    pub drifts: Vec<Drift>,
    /// The complete remediation (destructive changes included: they are what
    /// brings ACTUAL back), in dependency order.
    pub remediation: ChangeSet,
}

impl DriftReport {
    /// Whether ACTUAL matches EXPECTED (no drift and nothing unseen).
    pub fn is_clean(&self) -> bool {
        self.drifts.is_empty() && self.remediation.unmanaged.is_empty() && self.remediation.unsupported.is_empty()
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report as text for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.is_clean() {
            return "no drift\n".to_string();
        }
        for d in &self.drifts {
            let kind = match d.kind {
                DriftKind::Missing => "missing",
                DriftKind::Unexpected => "unexpected",
                DriftKind::Changed => "changed",
            };
            out.push_str(&format!("{}: {kind} {}\n", d.severity, d.object));
            if let Some(e) = &d.expected {
                out.push_str(&format!("  expected: {}\n", e.trim_end().replace('\n', "\n            ")));
            }
            if let Some(a) = &d.actual {
                out.push_str(&format!("  actual:   {}\n", a.trim_end().replace('\n', "\n            ")));
            }
            out.push_str(&format!("  fix:      {}\n", d.remediation.trim_end().replace('\n', "\n            ")));
        }
        for u in &self.remediation.unmanaged {
            out.push_str(&format!("warning: unmanaged statement only in {}: {}\n", if u.side == "from" { "ACTUAL" } else { "EXPECTED" }, u.statement.sql.trim()));
        }
        for u in &self.remediation.unsupported {
            out.push_str(&format!("warning: {u}\n"));
        }
        let counts = |s: Severity| self.drifts.iter().filter(|d| d.severity == s).count();
        out.push_str(&format!(
            "{} drifted objects: {} breaking, {} warning, {} info\n",
            self.drifts.len(),
            counts(Severity::Breaking),
            counts(Severity::Warning),
            counts(Severity::Info)
        ));
        out
    }
}

fn severity(c: &PlannedChange, actual: &Schema) -> Severity {
    use Change::*;
    match &c.change {
        CreateSchema { .. } | CreateExtension { .. } | CreateType { .. } | ReplaceType { .. } | AddEnumValue { .. } | RenameEnumValue { .. } => Severity::Breaking,
        CreateDomain { .. } | CreateSequence { .. } | CreateTable { .. } | RenameTable { .. } | AddColumn { .. } | RenameColumn { .. } => Severity::Breaking,
        AlterColumnType { .. } | ReplaceColumn { .. } | DropNotNull { .. } | CreateFunction { .. } => Severity::Breaking,
        CreateView { name, .. } if !actual.views.contains_key(name) => Severity::Breaking,
        DropColumn { column, .. } if column.not_null && column.default.is_none() && column.identity.is_none() && column.generated.is_none() => Severity::Breaking,
        SetComment { .. } | SetTableOptions { .. } | AlterSequence { .. } | SetLogged { .. } | AlterExtension { .. } | AlterColumnExtra { .. } => Severity::Info,
        _ => Severity::Warning,
    }
}

fn is_create(c: &Change) -> bool {
    matches!(
        c,
        Change::CreateSchema { .. }
            | Change::CreateExtension { .. }
            | Change::CreateType { .. }
            | Change::CreateDomain { .. }
            | Change::CreateSequence { .. }
            | Change::CreateTable { .. }
            | Change::AddColumn { .. }
            | Change::AddConstraint { .. }
            | Change::CreateIndex { .. }
            | Change::CreateView { .. }
            | Change::CreateFunction { .. }
            | Change::CreateTrigger { .. }
            | Change::CreatePolicy { .. }
            | Change::Grant { .. }
    )
}

fn is_drop(c: &Change) -> bool {
    matches!(
        c,
        Change::DropSchema { .. }
            | Change::DropExtension { .. }
            | Change::DropType { .. }
            | Change::DropDomain { .. }
            | Change::DropSequence { .. }
            | Change::DropTable { .. }
            | Change::DropColumn { .. }
            | Change::DropConstraint { .. }
            | Change::DropIndex { .. }
            | Change::DropView { .. }
            | Change::DropFunction { .. }
            | Change::DropTrigger { .. }
            | Change::DropPolicy { .. }
            | Change::Revoke { .. }
    )
}

/// The definition of the object a change is about, in `schema`.
fn definition(schema: &Schema, c: &Change) -> Option<String> {
    use Change::*;
    let pg = schema.dialect == Dialect::Postgres;
    let json = |v: serde_json::Result<String>| v.ok();
    match c {
        CreateTable { name, .. } | DropTable { name, .. } => schema.tables.get(name).and_then(|t| if pg { Some(ddl::create_table(name, t)) } else { json(serde_json::to_string(t)) }),
        AddColumn { table, column, .. } | DropColumn { table, column } => column_definition(schema, table, &column.name),
        AlterColumnType { table, column, .. }
        | SetNotNull { table, column }
        | DropNotNull { table, column }
        | SetDefault { table, column, .. }
        | DropDefault { table, column }
        | AddIdentity { table, column, .. }
        | DropIdentity { table, column, .. }
        | AlterIdentity { table, column, .. }
        | DropExpression { table, column } => column_definition(schema, table, column),
        ReplaceColumn { table, to, .. } | AlterColumnExtra { table, to, .. } => column_definition(schema, table, &to.name),
        AddConstraint { table, name, .. } | DropConstraint { table, name, .. } | ValidateConstraint { table, name } => {
            let con = schema.tables.get(table)?.constraints.get(name)?;
            if pg { Some(format!("CONSTRAINT {} {}", astrola_core::ident::quote_ident(name), ddl::constraint_definition(con))) } else { json(serde_json::to_string(con)) }
        }
        CreateIndex { name, .. } | DropIndex { name, .. } => {
            let i = schema.indexes.get(name)?;
            if pg { Some(ddl::create_index(name, i, i.only)) } else { json(serde_json::to_string(i)) }
        }
        CreateView { name, .. } | DropView { name, .. } => {
            let v = schema.views.get(name)?;
            if pg { Some(ddl::create_view(name, v)) } else { json(serde_json::to_string(v)) }
        }
        CreateFunction { signature, .. } | DropFunction { signature, .. } | ReplaceFunction { signature, .. } => {
            schema.functions.get(signature).map(|f| ddl::create_function(f, false))
        }
        CreateType { name, .. } | DropType { name, .. } | ReplaceType { name, .. } | AddEnumValue { name, .. } | RenameEnumValue { name, .. } => {
            schema.types.get(name).map(|t| ddl::create_type(name, t))
        }
        CreateDomain { name, .. } | DropDomain { name, .. } | AlterDomain { name, .. } => schema.domains.get(name).map(|d| ddl::create_domain(name, d)),
        CreateSequence { name, .. } | DropSequence { name, .. } | AlterSequence { name, .. } => schema.sequences.get(name).map(|s| ddl::create_sequence(name, s)),
        CreateTrigger { table, name, .. } | DropTrigger { table, name, .. } | SetTriggerFiring { table, name, .. } => {
            schema.tables.get(table)?.triggers.get(name).map(|t| ddl::create_trigger(table, name, t))
        }
        CreatePolicy { table, name, .. } | DropPolicy { table, name, .. } => schema.tables.get(table)?.policies.get(name).map(|p| ddl::create_policy(table, name, p)),
        Grant { grant } | Revoke { grant } => schema.grants.contains(grant).then(|| ddl::grant(grant, false)),
        _ => None,
    }
}

fn column_definition(schema: &Schema, table: &astrola_core::QualifiedName, column: &str) -> Option<String> {
    let c = schema.tables.get(table)?.column(column)?;
    if schema.dialect == Dialect::Postgres {
        Some(ddl::column_definition(c))
    } else {
        serde_json::to_string(c).ok()
    }
}

/// Compares ACTUAL with EXPECTED.
pub fn drift(expected: &Schema, actual: &Schema) -> Result<DriftReport, Error> {
    let remediation = diff(actual, expected, &DiffOptions { allow_destructive: true, renames: Vec::new() })?;
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, c) in remediation.changes.iter().enumerate() {
        let key = c.object.clone();
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(i);
    }
    let mut drifts = Vec::new();
    for key in order {
        let members = &groups[&key];
        let changes: Vec<&PlannedChange> = members.iter().map(|&i| &remediation.changes[i]).collect();
        let kind = if changes.iter().all(|c| is_drop(&c.change)) {
            DriftKind::Unexpected
        } else if is_create(&changes[0].change) && !changes.iter().any(|c| is_drop(&c.change)) {
            DriftKind::Missing
        } else {
            DriftKind::Changed
        };
        let severity = changes.iter().map(|c| severity(c, actual)).max().unwrap_or(Severity::Info);
        let remediation_sql: String = remediation.statements.iter().filter(|s| s.change.is_some_and(|i| members.contains(&i))).map(|s| s.sql.as_str()).collect();
        let first = &changes[0].change;
        drifts.push(Drift {
            object: key,
            kind,
            severity,
            changes: changes.iter().map(|c| c.change.kind().to_string()).collect(),
            expected: definition(expected, first),
            actual: definition(actual, first),
            remediation: remediation_sql,
        });
    }
    drifts.sort_by(|a, b| b.severity.cmp(&a.severity));
    Ok(DriftReport { drifts, remediation })
}
