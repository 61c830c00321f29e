//! ChangeSet change -> steps: the online-safe rewriting of each change.
//!
//! Every change of the [`ChangeSet`] becomes zero or more steps, each in a
//! phase. Plain changes keep the diff's own SQL ([`ChangeSet::statements`]);
//! only what needs rewriting is rewritten: index builds and drops go
//! concurrent, constraints go `NOT VALID` and are validated apart, `SET NOT
//! NULL` goes through a validated CHECK, UNIQUE and PRIMARY KEY go through a
//! concurrent unique index, volatile defaults are backfilled, and type
//! changes and column renames go through expand and contract
//! ([`crate::expand_contract`]). Destructive changes move to the contract
//! phase (after the gate) and need approval; changes with no online form are
//! marked blocking.

use std::collections::{BTreeMap, BTreeSet};

use astrola_core::ident::quote_ident;
use astrola_core::locks::LockMode;
use astrola_core::model::{ConstraintKind, Index, Schema, Table};
use astrola_core::stats::{Stats, TableStats};
use astrola_core::QualifiedName;
use astrola_diff::change::CommentTarget;
use astrola_diff::render::postgres::change_sql;
use astrola_diff::{Change, ChangeSet, Destruction, PlannedChange};

use crate::backfill::{self, Fill};
use crate::estimate;
use crate::expand_contract;
use crate::plan::{Approval, Blocking, Check, Gate, Lock, Phase, PhaseKind, Plan, RetryPolicy, Step, StepKind, FORMAT_VERSION};
use crate::preflight;
use crate::volatility;
use crate::PlanOptions;

/// Where a step goes inside its phase: the contract phase runs switches
/// first, then the other steps, then the final drops of expand/contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Slot {
    First,
    Normal,
    Last,
}

/// A step before ids are given.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub phase: PhaseKind,
    pub slot: Slot,
    pub step: Step,
}

/// The state of one planning run.
pub(crate) struct Planner<'a> {
    pub from: &'a Schema,
    pub to: &'a Schema,
    pub changes: &'a ChangeSet,
    pub stats: Option<&'a Stats>,
    pub options: &'a PlanOptions,
    pub drafts: Vec<Draft>,
    pub notes: Vec<String>,
    /// What the gate before the contract phase waits for.
    pub gate_reasons: Vec<String>,
    /// Tables the plan creates: invisible to running code until it commits.
    pub created_tables: BTreeSet<QualifiedName>,
    /// Tables renamed by the plan: their new name -> their name in FROM.
    pub renamed_tables: BTreeMap<QualifiedName, QualifiedName>,
    /// Changes handled as part of another change's rewrite.
    pub absorbed: BTreeSet<usize>,
    /// PRIMARY KEY/UNIQUE keys added in the validate phase: foreign keys that
    /// reference them wait for them.
    pub late_keys: BTreeSet<(QualifiedName, Vec<String>)>,
    /// The last destructive change that stays in the expand phase: drops
    /// before it stay there too.
    stay_until: Option<usize>,
    /// Names the plan gave to temporary objects, per schema.
    taken: BTreeSet<(String, String)>,
    statements: Vec<Vec<&'a str>>,
    preamble: Option<&'a str>,
}

impl<'a> Planner<'a> {
    pub(crate) fn new(from: &'a Schema, to: &'a Schema, changes: &'a ChangeSet, stats: Option<&'a Stats>, options: &'a PlanOptions) -> Self {
        let mut statements: Vec<Vec<&str>> = vec![Vec::new(); changes.changes.len()];
        let mut preamble = None;
        for s in &changes.statements {
            match s.change {
                Some(i) => {
                    if let Some(v) = statements.get_mut(i) {
                        v.push(s.sql.trim_end());
                    }
                }
                None => preamble = Some(s.sql.trim_end()),
            }
        }
        let mut created_tables = BTreeSet::new();
        let mut renamed_tables = BTreeMap::new();
        for c in &changes.changes {
            match &c.change {
                Change::CreateTable { name, .. } => {
                    created_tables.insert(name.clone());
                }
                Change::RenameTable { from: a, to: b } => {
                    renamed_tables.insert(b.clone(), a.clone());
                }
                _ => {}
            }
        }
        Self {
            from,
            to,
            changes,
            stats,
            options,
            drafts: Vec::new(),
            notes: Vec::new(),
            gate_reasons: Vec::new(),
            created_tables,
            renamed_tables,
            absorbed: BTreeSet::new(),
            late_keys: BTreeSet::new(),
            stay_until: None,
            taken: BTreeSet::new(),
            statements,
            preamble,
        }
    }

    pub(crate) fn run(mut self) -> Plan {
        let mut groups = expand_contract::groups(&mut self);
        self.stay_until = self.changes.changes.iter().enumerate().rev().find_map(|(i, pc)| {
            let drop = pc.change.kind().starts_with("drop_") && pc.change.kind() != "drop_not_null" && pc.change.kind() != "drop_default" && pc.change.kind() != "drop_identity" && pc.change.kind() != "drop_expression";
            let stays = pc.destruction.is_some() && !pc.refused && !self.absorbed.contains(&i) && (!drop || !self.can_wait_alone(i, pc));
            stays.then_some(i)
        });
        let mut next_group = 0;
        groups.sort_by_key(|g| g.anchor);
        for (i, pc) in self.changes.changes.iter().enumerate() {
            while next_group < groups.len() && groups[next_group].anchor <= i {
                expand_contract::plan_group(&mut self, &mut groups[next_group]);
                next_group += 1;
            }
            if pc.refused {
                self.notes.push(format!(
                    "left out (destructive, plan with allow_destructive to include it; it will need approval): {} {}",
                    pc.change.kind(),
                    pc.object
                ));
                continue;
            }
            if self.absorbed.contains(&i) {
                continue;
            }
            self.change(i, pc);
        }
        while next_group < groups.len() {
            expand_contract::plan_group(&mut self, &mut groups[next_group]);
            next_group += 1;
        }
        expand_contract::contract(&mut self, &groups);
        self.notes.extend(self.changes.blind_spots());
        self.notes.extend(self.changes.notes.iter().cloned());
        for s in &self.changes.suggestions {
            self.notes.push(format!("possible rename, planned as a drop and an add (add a `-- @renamed from=...` hint to plan it as a rename): {s:?}"));
        }
        self.finish()
    }

    fn finish(self) -> Plan {
        let mut phases: Vec<Phase> = [PhaseKind::Expand, PhaseKind::Backfill, PhaseKind::Validate, PhaseKind::Contract]
            .into_iter()
            .map(|kind| Phase { kind, steps: Vec::new(), gate: None })
            .collect();
        let mut drafts = self.drafts;
        drafts.sort_by_key(|d| (d.phase, d.slot));
        for d in drafts {
            let index = match d.phase {
                PhaseKind::Expand => 0,
                PhaseKind::Backfill => 1,
                PhaseKind::Validate => 2,
                PhaseKind::Contract => 3,
            };
            let phase = &mut phases[index];
            let mut step = d.step;
            step.id = format!("{}-{}", phase_word(d.phase), phase.steps.len() + 1);
            phase.steps.push(step);
        }
        if !phases[3].steps.is_empty() {
            let mut reasons = self.gate_reasons;
            reasons.dedup();
            if reasons.is_empty() {
                reasons.push("confirm that running code no longer uses what the contract phase removes".to_string());
            }
            // The gate sits after the last non-empty phase before contract.
            let at = (0..3).rev().find(|i| !phases[*i].steps.is_empty()).unwrap_or(2);
            phases[at].gate = Some(Gate { id: "contract".to_string(), description: reasons.join("; ") });
        }
        Plan { format: FORMAT_VERSION, dialect: astrola_core::Dialect::Postgres, phases, notes: self.notes }
    }

    // ----- facts about the schemas -----

    /// Whether `table` holds data that running code sees: it exists in FROM
    /// (possibly under another name) and the plan does not create it.
    pub(crate) fn existing(&self, table: &QualifiedName) -> bool {
        !self.created_tables.contains(table) && (self.from.tables.contains_key(table) || self.renamed_tables.contains_key(table))
    }

    /// The table's definition in FROM (following a rename).
    pub(crate) fn table_in_from(&self, table: &QualifiedName) -> Option<&'a Table> {
        let from: &'a Schema = self.from;
        from.tables.get(table).or_else(|| self.renamed_tables.get(table).and_then(|t| from.tables.get(t)))
    }

    pub(crate) fn is_partitioned(&self, table: &QualifiedName) -> bool {
        self.table_in_from(table).or_else(|| self.to.tables.get(table)).is_some_and(|t| t.partition_by.is_some())
    }

    pub(crate) fn table_stats(&self, table: &QualifiedName) -> Option<TableStats> {
        let stats = self.stats?;
        let key = format!("{}.{}", table.schema, table.name);
        stats.table(&key).copied().or_else(|| self.renamed_tables.get(table).and_then(|t| stats.table(&format!("{}.{}", t.schema, t.name)).copied()))
    }

    /// A name for a temporary object in `schema`, free in both schemas and
    /// among the plan's own, at most 63 bytes.
    pub(crate) fn temp_name(&mut self, schema: &str, base: &str) -> String {
        let mut n = 0;
        loop {
            let suffix = if n == 0 { String::new() } else { n.to_string() };
            let mut name = truncate(base, 63 - suffix.len());
            name.push_str(&suffix);
            if !self.name_taken(schema, &name) {
                self.taken.insert((schema.to_string(), name.clone()));
                return name;
            }
            n += 1;
        }
    }

    fn name_taken(&self, schema: &str, name: &str) -> bool {
        if self.taken.contains(&(schema.to_string(), name.to_string())) {
            return true;
        }
        let q = QualifiedName::new(schema, name);
        [self.from, self.to].iter().any(|s| {
            s.tables.contains_key(&q)
                || s.indexes.contains_key(&q)
                || s.sequences.contains_key(&q)
                || s.views.contains_key(&q)
                || s.types.contains_key(&q)
                || s.tables.iter().any(|(t, def)| t.schema == schema && (def.constraints.contains_key(name) || def.triggers.contains_key(name)))
                || s.functions.values().any(|f| f.name == q)
        })
    }

    // ----- step construction -----

    pub(crate) fn retry(&self, codes: &[&str]) -> RetryPolicy {
        RetryPolicy { max_attempts: self.options.max_attempts, backoff_ms: 500, max_backoff_ms: 30_000, retry_on: codes.iter().map(|c| c.to_string()).collect() }
    }

    /// A transactional DDL step: short, under `lock_timeout` and
    /// `statement_timeout`, retried on lock timeouts and deadlocks.
    pub(crate) fn ddl(&self, description: String, object: String, sql: Vec<String>, lock: Option<(LockMode, &QualifiedName)>) -> Step {
        Step {
            id: String::new(),
            kind: StepKind::Ddl,
            description,
            object,
            sql,
            transactional: true,
            lock: lock.map(|(mode, t)| Lock { mode, table: t.to_string() }),
            lock_timeout_ms: Some(self.options.lock_timeout_ms),
            statement_timeout_ms: Some(self.options.statement_timeout_ms),
            retry: self.retry(&["55P03", "40P01", "40001"]),
            reversible: true,
            rollback: Vec::new(),
            preflight: Vec::new(),
            backfill: None,
            estimate: None,
            approval: None,
            blocking: None,
            change: None,
        }
    }

    /// A step that runs outside a transaction and as long as it needs
    /// (`CREATE/DROP INDEX CONCURRENTLY`): no `lock_timeout` (it would cancel
    /// the build's waits for older transactions and leave an invalid
    /// index), no `statement_timeout`.
    pub(crate) fn concurrent(&self, description: String, object: String, sql: Vec<String>, table: &QualifiedName) -> Step {
        Step {
            transactional: false,
            lock_timeout_ms: None,
            statement_timeout_ms: None,
            retry: self.retry(&["40P01", "55P03", "57014"]),
            ..self.ddl(description, object, sql, Some((LockMode::ShareUpdateExclusive, table)))
        }
    }

    /// A `VALIDATE CONSTRAINT` step: SHARE UPDATE EXCLUSIVE, no statement
    /// timeout (it scans the table), a lock timeout on taking the lock.
    pub(crate) fn validate_step(&self, table: &QualifiedName, name: &str, description: String, preflight: Vec<Check>) -> Step {
        let mut step = self.ddl(
            description,
            format!("{table}.{}", quote_ident(name)),
            vec![format!("ALTER TABLE {table} VALIDATE CONSTRAINT {};", quote_ident(name))],
            Some((LockMode::ShareUpdateExclusive, table)),
        );
        step.statement_timeout_ms = None;
        step.preflight = preflight;
        step.estimate = estimate::scan(self.table_stats(table), "VALIDATE scans the table once");
        step
    }

    pub(crate) fn push(&mut self, phase: PhaseKind, step: Step) {
        self.drafts.push(Draft { phase, slot: Slot::Normal, step });
    }

    pub(crate) fn push_slot(&mut self, phase: PhaseKind, slot: Slot, step: Step) {
        self.drafts.push(Draft { phase, slot, step });
    }

    /// The diff's own SQL for change `i`.
    pub(crate) fn diff_sql(&self, i: usize) -> Vec<String> {
        self.statements.get(i).map(|v| v.iter().map(|s| s.to_string()).collect()).unwrap_or_default()
    }

    fn approval_for(&self, pc: &PlannedChange) -> Option<Approval> {
        let d = pc.destruction?;
        let rows = match &pc.change {
            Change::DropTable { name, .. } => self.table_stats(name).and_then(|s| s.rows),
            Change::DropColumn { table, .. } | Change::AlterColumnType { table, .. } | Change::ReplaceColumn { table, .. } => self.table_stats(table).and_then(|s| s.rows),
            _ => None,
        };
        let what = match d {
            Destruction::Data => "deletes data",
            Destruction::Narrowing => "may reject or truncate existing values",
            Destruction::Object => "removes an object that running code may use",
        };
        Some(Approval { reason: format!("{} {}: {what}", human_kind(pc.change.kind()), pc.object), rows })
    }

    // ----- the rewrite of one change -----

    fn change(&mut self, i: usize, pc: &'a PlannedChange) {
        use Change::*;
        let c = &pc.change;
        let approval = self.approval_for(pc);
        let steps_before = self.drafts.len();
        match c {
            CreateIndex { name, index } => self.create_index(i, name, index),
            DropIndex { name, index } => self.drop_index(i, name, index, pc.destruction.is_some()),
            AddConstraint { table, name, constraint } if self.existing(table) => self.add_constraint(i, table, name, constraint),
            AddConstraint { table, name, constraint } => self.add_constraint_to_new_table(i, table, name, constraint),
            ValidateConstraint { table, name } => {
                let step = self.validate_step(table, name, format!("Validate constraint {} on {table}", quote_ident(name)), Vec::new());
                self.push(PhaseKind::Validate, Step { change: Some(i), ..step });
            }
            SetNotNull { table, column } if self.existing(table) && self.table_in_from(table).and_then(|t| t.column(column)).is_some() => {
                self.set_not_null(Some(i), table, column)
            }
            AddColumn { table, column, .. } if self.existing(table) => self.add_column(i, table, column),
            AlterColumnType { table, column, from, to, .. } if self.existing(table) => {
                if backfill::binary_coercible(&from.data_type, &to.data_type) && from.collation == to.collation {
                    self.plain(i, pc, PhaseKind::Expand, Some((LockMode::AccessExclusive, table.clone())));
                } else {
                    let why = expand_contract::ineligible_reason(self, table, column).unwrap_or_else(|| "the column could not be planned through expand and contract".to_string());
                    self.blocking(i, pc, table, format!("changing the type of {table}.{} from {} to {} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock; not planned through expand and contract because {why}", quote_ident(column), from.data_type, to.data_type));
                }
            }
            SetLogged { table, logged } if self.existing(table) => self.blocking(
                i,
                pc,
                table,
                format!("SET {} rewrites {table} under an ACCESS EXCLUSIVE lock; PostgreSQL has no online form", if *logged { "LOGGED" } else { "UNLOGGED" }),
            ),
            ReplaceType { name, columns, .. } if columns.iter().any(|u| self.existing(&u.table)) => {
                let first = columns.iter().find(|u| self.existing(&u.table)).map(|u| u.table.clone()).unwrap_or_else(|| name.clone());
                self.blocking(i, pc, &first, format!("rebuilding type {name} converts every column that uses it ({}), rewriting those tables under ACCESS EXCLUSIVE locks", columns.iter().map(|u| format!("{}.{}", u.table, quote_ident(&u.column))).collect::<Vec<_>>().join(", ")));
            }
            ReplaceColumn { table, .. } if self.existing(table) => {
                self.blocking(i, pc, table, format!("the column is dropped and added again as a stored generated column, which rewrites {table} under an ACCESS EXCLUSIVE lock"))
            }
            DropTable { .. } | DropColumn { .. } | DropConstraint { .. } | DropSequence { .. } | DropView { .. } | DropTrigger { .. } | DropPolicy { .. } | DropFunction { .. } | DropType { .. } | DropDomain { .. } | DropSchema { .. } | DropExtension { .. }
                if pc.destruction.is_some() && self.can_wait(i, pc) =>
            {
                self.gate_reasons.push("deploy code that no longer uses what the contract phase drops".to_string());
                self.plain(i, pc, PhaseKind::Contract, plain_lock(c));
            }
            RenameTable { from, to } => {
                self.notes.push(format!("table {from} is renamed to {to} in place: running code that uses the old name breaks from that step on (deploy code that uses the new name with it)"));
                self.plain(i, pc, PhaseKind::Expand, Some((LockMode::AccessExclusive, to.clone())));
            }
            DetachPartition { table, parent } if self.options.pg_version >= 14 => {
                let step = Step {
                    change: Some(i),
                    transactional: false,
                    lock_timeout_ms: Some(self.options.lock_timeout_ms),
                    statement_timeout_ms: None,
                    rollback: self.rollback(c),
                    ..self.ddl(
                        format!("Detach partition {table} from {parent} concurrently"),
                        pc.object.clone(),
                        vec![format!("ALTER TABLE {parent} DETACH PARTITION {table} CONCURRENTLY;")],
                        Some((LockMode::ShareUpdateExclusive, parent)),
                    )
                };
                self.push(PhaseKind::Expand, step);
            }
            _ => {
                let phase = if pc.destruction.is_some() { PhaseKind::Contract } else { PhaseKind::Expand };
                let phase = if phase == PhaseKind::Contract && !self.can_wait(i, pc) { PhaseKind::Expand } else { phase };
                self.plain(i, pc, phase, plain_lock(c));
            }
        }
        if approval.is_some() {
            for d in &mut self.drafts[steps_before..] {
                if d.step.approval.is_none() && d.step.change == Some(i) {
                    d.step.approval = approval.clone();
                }
            }
        }
    }

    /// Whether a destructive change can wait for the contract phase: nothing
    /// later in the change set re-uses its name or needs it gone, and no
    /// destructive change after it must stay in the expand phase (drops
    /// keep their relative order).
    fn can_wait(&self, i: usize, pc: &PlannedChange) -> bool {
        self.stay_until.is_none_or(|l| i > l) && self.can_wait_alone(i, pc)
    }

    fn can_wait_alone(&self, i: usize, pc: &PlannedChange) -> bool {
        let last = |o: &str| o.rsplit('.').next().unwrap_or(o).to_string();
        let mine = last(&pc.object);
        let relation_level = |c: &Change| matches!(c, Change::DropIndex { .. } | Change::DropConstraint { .. } | Change::CreateIndex { .. } | Change::AddConstraint { .. });
        let pk_drop = matches!(&pc.change, Change::DropConstraint { constraint, .. } if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }));
        let table = change_table(&pc.change);
        !self.changes.changes.iter().skip(i + 1).any(|later| {
            if later.change.destruction().is_some() && later.destruction.is_some() {
                return false;
            }
            let kind = later.change.kind();
            let creates = kind.starts_with("create_") || kind.starts_with("add_") || kind.starts_with("rename_") || kind.starts_with("replace_");
            let reuses_name = creates && (later.object == pc.object || (relation_level(&pc.change) && relation_level(&later.change) && last(&later.object) == mine));
            let new_pk = pk_drop && matches!(&later.change, Change::AddConstraint { table: t, constraint, .. } if Some(t) == table.as_ref() && matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }));
            let type_change = matches!(pc.change, Change::DropView { .. } | Change::DropTrigger { .. } | Change::DropPolicy { .. } | Change::DropConstraint { .. })
                && matches!(&later.change, Change::AlterColumnType { .. } | Change::ReplaceType { .. } | Change::DropColumn { .. } | Change::RenameColumn { .. } | Change::RenameTable { .. });
            reuses_name || new_pk || type_change
        })
    }

    /// The change as the diff renders it, with its lock under a lock timeout.
    pub(crate) fn plain(&mut self, i: usize, pc: &PlannedChange, phase: PhaseKind, lock: Option<(LockMode, QualifiedName)>) {
        let mut sql = self.diff_sql(i);
        if sql.is_empty() {
            return;
        }
        let c = &pc.change;
        if let Some(p) = self.preamble {
            if matches!(c, Change::CreateFunction { .. } | Change::ReplaceFunction { .. }) {
                sql.insert(0, p.to_string());
            }
        }
        let sql = idempotent(c, sql);
        let transactional = self.changes.statements.iter().filter(|s| s.change == Some(i)).all(|s| s.transactional);
        let mut step = self.ddl(describe(c, &pc.object), pc.object.clone(), sql, lock.as_ref().map(|(m, t)| (*m, t)));
        step.change = Some(i);
        step.transactional = transactional;
        let rollback = self.rollback(c);
        step.reversible = !matches!(pc.destruction, Some(Destruction::Data | Destruction::Narrowing)) && !rollback.is_empty();
        step.rollback = rollback;
        if let Some(Destruction::Data) = pc.destruction {
            if let Some(t) = change_table(c) {
                step.estimate = estimate::rows_only(self.table_stats(&t), "rows whose data the step deletes");
            }
        }
        if let Change::AddColumn { column, .. } = c {
            // Adding a NOT NULL column with no default works on an empty table only.
            if column.not_null && column.default.is_none() && column.identity.is_none() && column.generated.is_none() {
                if let Some(t) = change_table(c).filter(|t| self.existing(t)) {
                    step.preflight.push(preflight::empty_table(&t, &column.name));
                }
            }
        }
        self.push(phase, step);
    }

    /// A change with no online form: it runs as the diff renders it, under
    /// a lock timeout, marked blocking with an estimate of how long writers
    /// wait.
    fn blocking(&mut self, i: usize, pc: &PlannedChange, table: &QualifiedName, reason: String) {
        let lock = LockMode::AccessExclusive;
        // In the diff's order: the changes around it may depend on it.
        self.plain(i, pc, PhaseKind::Expand, Some((lock, table.clone())));
        let stats = self.table_stats(table);
        let est = estimate::rewrite(stats);
        if let Some(d) = self.drafts.last_mut().filter(|d| d.step.change == Some(i)) {
            d.step.statement_timeout_ms = None;
            d.step.blocking = Some(Blocking { reason, lock, estimated_seconds: est.as_ref().and_then(|e| e.seconds) });
            d.step.estimate = est;
        }
    }

    /// The SQL that undoes a change, when one exists.
    pub(crate) fn rollback(&self, c: &Change) -> Vec<String> {
        match inverse(c, self.from) {
            Some(inv) => {
                let sql = change_sql(&inv, self.from);
                if sql.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![sql.trim_end().to_string()]
                }
            }
            None => Vec::new(),
        }
    }

    // ----- indexes -----

    fn create_index(&mut self, i: usize, name: &QualifiedName, index: &Index) {
        if self.to.views.contains_key(&index.table) {
            // An index on a materialized view.
            let sql = concurrent_index_sql(name, index);
            let step = Step { change: Some(i), rollback: vec![format!("DROP INDEX CONCURRENTLY IF EXISTS {name};")], ..self.concurrent(format!("Build index {name} concurrently"), name.to_string(), sql, &index.table) };
            self.push(PhaseKind::Expand, step);
            return;
        }
        if self.is_partitioned(&index.table) {
            let mut step = self.ddl(format!("Build index {name} on partitioned table {}", index.table), name.to_string(), self.diff_sql(i), Some((LockMode::Share, &index.table)));
            step.change = Some(i);
            step.statement_timeout_ms = None;
            step.rollback = vec![format!("DROP INDEX IF EXISTS {name};")];
            if self.existing(&index.table) {
                step.estimate = estimate::index_build(self.table_stats(&index.table), false);
                step.blocking = Some(Blocking {
                    reason: "CREATE INDEX CONCURRENTLY does not work on a partitioned table; this builds the index on every partition under a SHARE lock (writes wait). To stay online instead: CREATE INDEX ON ONLY the parent, build each partition's index concurrently, and ATTACH them".to_string(),
                    lock: LockMode::Share,
                    estimated_seconds: step.estimate.as_ref().and_then(|e| e.seconds),
                });
            }
            self.push(PhaseKind::Expand, step);
            return;
        }
        let sql = concurrent_index_sql(name, index);
        let mut step = self.concurrent(format!("Build index {name} concurrently"), name.to_string(), sql, &index.table);
        step.change = Some(i);
        step.rollback = vec![format!("DROP INDEX CONCURRENTLY IF EXISTS {name};")];
        if index.unique && self.existing(&index.table) {
            step.preflight.push(preflight::duplicates(&index.table, &index.keys, index.predicate.as_deref(), index.nulls_not_distinct));
        }
        step.estimate = estimate::index_build(self.table_stats(&index.table), true);
        self.push(PhaseKind::Expand, step);
    }

    fn drop_index(&mut self, i: usize, name: &QualifiedName, index: &Index, destructive: bool) {
        let phase = if destructive && self.can_wait(i, &self.changes.changes[i]) { PhaseKind::Contract } else { PhaseKind::Expand };
        if phase == PhaseKind::Contract {
            self.gate_reasons.push("deploy code that no longer uses what the contract phase drops".to_string());
        }
        let rollback = concurrent_index_sql(name, index);
        if self.is_partitioned(&index.table) || self.from.views.contains_key(&index.table) && !self.to.views.contains_key(&index.table) {
            let step = Step { change: Some(i), rollback, ..self.ddl(format!("Drop index {name}"), name.to_string(), vec![format!("DROP INDEX IF EXISTS {name};")], Some((LockMode::AccessExclusive, &index.table))) };
            self.push(phase, step);
            return;
        }
        let step = Step { change: Some(i), rollback, ..self.concurrent(format!("Drop index {name} concurrently"), name.to_string(), vec![format!("DROP INDEX CONCURRENTLY IF EXISTS {name};")], &index.table) };
        self.push(phase, step);
    }

    // ----- constraints -----

    fn add_constraint_to_new_table(&mut self, i: usize, table: &QualifiedName, name: &str, constraint: &astrola_core::model::Constraint) {
        // A table the plan creates holds no rows: the constraint is added as
        // the diff writes it, except that keys still get their index
        // concurrently, so that every index build of a plan is concurrent.
        match &constraint.kind {
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } if !self.is_partitioned(table) => self.key_through_index(i, table, name, constraint, PhaseKind::Expand),
            _ => {
                let lock = if matches!(constraint.kind, ConstraintKind::ForeignKey { .. }) { LockMode::ShareRowExclusive } else { LockMode::AccessExclusive };
                let pc = &self.changes.changes[i];
                self.plain(i, pc, PhaseKind::Expand, Some((lock, table.clone())));
            }
        }
    }

    fn add_constraint(&mut self, i: usize, table: &QualifiedName, name: &str, constraint: &astrola_core::model::Constraint) {
        let q = quote_ident(name);
        match &constraint.kind {
            ConstraintKind::ForeignKey { ref_table, ref_columns, .. } => {
                let late = self.late_keys.contains(&(ref_table.clone(), sorted(ref_columns)));
                let phase = if late { PhaseKind::Validate } else { PhaseKind::Expand };
                let body = astrola_core::render::postgres::statements::constraint_definition(&astrola_core::model::Constraint { not_valid: true, ..constraint.clone() });
                let sql = vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {q};"), format!("ALTER TABLE {table} ADD CONSTRAINT {q} {body};")];
                let mut step = self.ddl(format!("Add foreign key {q} on {table} NOT VALID (checks new rows only)"), format!("{table}.{q}"), sql, Some((LockMode::ShareRowExclusive, table)));
                step.change = Some(i);
                step.rollback = vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {q};")];
                self.push(phase, step);
                if !constraint.not_valid {
                    let check = preflight::orphans(table, constraint);
                    let mut v = self.validate_step(table, name, format!("Validate foreign key {q} on {table} (scans it; writes go on)"), check.into_iter().collect());
                    v.change = Some(i);
                    self.push(PhaseKind::Validate, v);
                }
            }
            ConstraintKind::Check { expr, .. } => {
                let body = astrola_core::render::postgres::statements::constraint_definition(&astrola_core::model::Constraint { not_valid: true, ..constraint.clone() });
                let sql = vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {q};"), format!("ALTER TABLE {table} ADD CONSTRAINT {q} {body};")];
                let mut step = self.ddl(format!("Add check {q} on {table} NOT VALID (checks new rows only)"), format!("{table}.{q}"), sql, Some((LockMode::AccessExclusive, table)));
                step.change = Some(i);
                step.rollback = vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {q};")];
                self.push(PhaseKind::Expand, step);
                if !constraint.not_valid {
                    let mut v = self.validate_step(table, name, format!("Validate check {q} on {table} (scans it; writes go on)"), vec![preflight::check_violations(table, expr)]);
                    v.change = Some(i);
                    self.push(PhaseKind::Validate, v);
                }
            }
            ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } if !self.is_partitioned(table) => {
                // A primary key over nullable columns needs them NOT NULL
                // first, which the validate phase does; the key follows.
                let nullable = columns.iter().any(|c| self.table_in_from(table).and_then(|t| t.column(c)).is_some_and(|c| !c.not_null));
                let pk = matches!(constraint.kind, ConstraintKind::PrimaryKey { .. });
                let phase = if pk && nullable { PhaseKind::Validate } else { PhaseKind::Expand };
                if phase == PhaseKind::Validate {
                    self.late_keys.insert((table.clone(), sorted(columns)));
                }
                self.key_through_index(i, table, name, constraint, phase);
            }
            ConstraintKind::Exclusion { .. } | ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } => {
                let pc = &self.changes.changes[i];
                let reason = if matches!(constraint.kind, ConstraintKind::Exclusion { .. }) {
                    "an exclusion constraint has no NOT VALID form and no USING INDEX form: adding it builds its index and checks every row under an ACCESS EXCLUSIVE lock".to_string()
                } else {
                    format!("a key on a partitioned table cannot be added through a concurrent index: adding it builds the index on every partition of {table} under an ACCESS EXCLUSIVE lock")
                };
                self.blocking(i, pc, table, reason);
                let est = estimate::index_build(self.table_stats(table), false);
                if let Some(d) = self.drafts.last_mut() {
                    d.step.rollback = vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {q};")];
                    d.step.estimate = est;
                    if let Some(b) = &mut d.step.blocking {
                        b.estimated_seconds = d.step.estimate.as_ref().and_then(|e| e.seconds);
                    }
                }
            }
        }
    }

    /// PRIMARY KEY / UNIQUE through `CREATE UNIQUE INDEX CONCURRENTLY` and
    /// `ADD CONSTRAINT ... USING INDEX`.
    pub(crate) fn key_through_index(&mut self, i: usize, table: &QualifiedName, name: &str, constraint: &astrola_core::model::Constraint, phase: PhaseKind) {
        let q = quote_ident(name);
        let index_name = QualifiedName::new(table.schema.clone(), name.to_string());
        let Some(index) = key_index(table, constraint) else { return };
        let mut build = self.concurrent(format!("Build the unique index of {q} on {table} concurrently"), index_name.to_string(), concurrent_index_sql(&index_name, &index), table);
        build.change = Some(i);
        build.rollback = vec![format!("DROP INDEX CONCURRENTLY IF EXISTS {index_name};")];
        if self.existing(table) {
            build.preflight.push(preflight::duplicates(table, &index.keys, None, index.nulls_not_distinct));
            build.estimate = estimate::index_build(self.table_stats(table), true);
        }
        self.push(phase, build);
        let kind = if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }) { "PRIMARY KEY" } else { "UNIQUE" };
        let mut attrs = String::new();
        if constraint.deferrable {
            attrs.push_str(" DEFERRABLE");
        }
        if constraint.initially_deferred {
            attrs.push_str(" INITIALLY DEFERRED");
        }
        // Not re-runnable by itself once it succeeded (the index then belongs
        // to the constraint); an executor re-runs only unfinished steps.
        let sql = vec![format!("ALTER TABLE {table} ADD CONSTRAINT {q} {kind} USING INDEX {q}{attrs};")];
        let mut attach = self.ddl(format!("Turn index {q} into constraint {kind} {q} on {table}"), format!("{table}.{q}"), sql, Some((LockMode::AccessExclusive, table)));
        attach.change = Some(i);
        attach.rollback = vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {q};")];
        if kind == "PRIMARY KEY" && self.existing(table) {
            for c in constraint.kind.columns() {
                attach.preflight.push(preflight::nulls(table, c));
            }
        }
        if let Some(comment) = &constraint.comment {
            attach.sql.push(astrola_core::render::postgres::statements::comment_on(&format!("CONSTRAINT {q} ON {table}"), Some(comment)).trim_end().to_string());
        }
        self.push(phase, attach);
    }

    // ----- columns -----

    /// SET NOT NULL through `CHECK (c IS NOT NULL) NOT VALID`, `VALIDATE`,
    /// `SET NOT NULL` (which uses the valid check instead of scanning, from
    /// PostgreSQL 12) and a drop of the check.
    pub(crate) fn set_not_null(&mut self, change: Option<usize>, table: &QualifiedName, column: &str) {
        let qc = quote_ident(column);
        if self.options.pg_version < 12 {
            let mut step = self.ddl(format!("Set {table}.{qc} NOT NULL"), format!("{table}.{qc}"), vec![format!("ALTER TABLE {table} ALTER COLUMN {qc} SET NOT NULL;")], Some((LockMode::AccessExclusive, table)));
            step.change = change;
            step.rollback = vec![format!("ALTER TABLE {table} ALTER COLUMN {qc} DROP NOT NULL;")];
            step.preflight.push(preflight::nulls(table, column));
            step.statement_timeout_ms = None;
            step.estimate = estimate::scan(self.table_stats(table), "SET NOT NULL scans the table");
            step.blocking = Some(Blocking {
                reason: "before PostgreSQL 12, SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock even when a valid CHECK proves it".to_string(),
                lock: LockMode::AccessExclusive,
                estimated_seconds: step.estimate.as_ref().and_then(|e| e.seconds),
            });
            self.push(PhaseKind::Validate, step);
            return;
        }
        let check = self.temp_name(&table.schema, &format!("{}_{}_not_null", table.name, column));
        let qk = quote_ident(&check);
        let mut add = self.ddl(
            format!("Add CHECK ({qc} IS NOT NULL) NOT VALID on {table} (checks new rows only)"),
            format!("{table}.{qk}"),
            vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {qk};"), format!("ALTER TABLE {table} ADD CONSTRAINT {qk} CHECK ({qc} IS NOT NULL) NOT VALID;")],
            Some((LockMode::AccessExclusive, table)),
        );
        add.change = change;
        add.rollback = vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {qk};")];
        // In the validate phase, after the backfills: a NOT VALID check is
        // still enforced on every UPDATE, so added earlier it would reject
        // updates of rows not yet backfilled.
        self.push(PhaseKind::Validate, add);
        let mut v = self.validate_step(table, &check, format!("Validate CHECK ({qc} IS NOT NULL) on {table} (scans it; writes go on)"), vec![preflight::nulls(table, column)]);
        v.change = change;
        self.push(PhaseKind::Validate, v);
        let mut set = self.ddl(
            format!("Set {table}.{qc} NOT NULL (proved by the valid check, no scan) and drop the check"),
            format!("{table}.{qc}"),
            vec![format!("ALTER TABLE {table} ALTER COLUMN {qc} SET NOT NULL;"), format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {qk};")],
            Some((LockMode::AccessExclusive, table)),
        );
        set.change = change;
        set.rollback = vec![format!("ALTER TABLE {table} ALTER COLUMN {qc} DROP NOT NULL;")];
        self.push(PhaseKind::Validate, set);
    }

    fn add_column(&mut self, i: usize, table: &QualifiedName, column: &astrola_core::model::Column) {
        let pc = &self.changes.changes[i];
        if column.generated.is_some() {
            return self.blocking(i, pc, table, format!("adding a stored generated column computes it for every row: {table} is rewritten under an ACCESS EXCLUSIVE lock"));
        }
        if column.identity.is_some() {
            return self.blocking(i, pc, table, format!("adding an identity column fills it for every row: {table} is rewritten under an ACCESS EXCLUSIVE lock"));
        }
        let Some(default) = &column.default else {
            return self.plain(i, pc, PhaseKind::Expand, Some((LockMode::AccessExclusive, table.clone())));
        };
        let volatile = volatility::is_volatile(default, self.from, self.to);
        if !volatile && self.options.pg_version >= 11 {
            // PostgreSQL 11 stores a non-volatile default once, in the catalog.
            return self.plain(i, pc, PhaseKind::Expand, Some((LockMode::AccessExclusive, table.clone())));
        }
        // Add the column bare, set the default for new rows, backfill the
        // old ones in batches, then NOT NULL through a validated check.
        let qc = quote_ident(&column.name);
        let bare = astrola_core::model::Column { not_null: false, default: None, ..column.clone() };
        let def = astrola_core::render::postgres::statements::default_expression(default);
        let sql = vec![
            format!("ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {};", astrola_core::render::postgres::statements::column_definition(&bare)),
            format!("ALTER TABLE {table} ALTER COLUMN {qc} SET DEFAULT {def};"),
        ];
        let why = if volatile { "its default is volatile" } else { "before PostgreSQL 11 a default is written into every row" };
        let mut step = self.ddl(format!("Add column {table}.{qc} without a default, then set the default for new rows ({why}: adding both at once would rewrite the table)"), format!("{table}.{qc}"), sql, Some((LockMode::AccessExclusive, table)));
        step.change = Some(i);
        step.rollback = vec![format!("ALTER TABLE {table} DROP COLUMN IF EXISTS {qc};")];
        self.push(PhaseKind::Expand, step);
        let fill = Fill {
            column: column.name.clone(),
            value: default.clone(),
            pending: format!("{qc} IS NULL"),
            description: format!("fill {table}.{qc} with its default ({default}) in existing rows"),
            old_repr: "'filled'".to_string(),
            new_repr: format!("CASE WHEN {qc} IS NULL THEN 'empty' ELSE 'filled' END"),
        };
        self.backfill(Some(i), table, fill);
        if column.not_null {
            self.set_not_null(Some(i), table, &column.name);
        }
    }

    /// A backfill step over `table` (its key from FROM).
    pub(crate) fn backfill(&mut self, change: Option<usize>, table: &QualifiedName, fill: Fill) {
        let Some(def) = self.table_in_from(table) else { return };
        let built = backfill::build(table, def, self.from, &fill, self.options);
        let mut step = self.ddl(format!("Backfill: {}", fill.description), format!("{table}.{}", quote_ident(&fill.column)), Vec::new(), Some((LockMode::RowExclusive, table)));
        step.kind = StepKind::Backfill;
        step.transactional = false;
        step.change = change;
        step.retry = self.retry(&["55P03", "40P01", "40001", "57014"]);
        step.reversible = true;
        step.estimate = estimate::backfill(self.table_stats(table), self.options);
        if let Some(caveat) = &built.caveat {
            self.notes.push(format!("{table}: {caveat}"));
        }
        step.preflight.clear();
        step.backfill = Some(built);
        self.push(PhaseKind::Backfill, step);
    }
}

// ----- helpers -----

fn phase_word(p: PhaseKind) -> &'static str {
    match p {
        PhaseKind::Expand => "expand",
        PhaseKind::Backfill => "backfill",
        PhaseKind::Validate => "validate",
        PhaseKind::Contract => "contract",
    }
}

pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

pub(crate) fn sorted(cols: &[String]) -> Vec<String> {
    let mut v = cols.to_vec();
    v.sort();
    v
}

/// `DROP INDEX CONCURRENTLY IF EXISTS` (a failed build leaves an invalid
/// index behind) and `CREATE INDEX CONCURRENTLY`.
pub(crate) fn concurrent_index_sql(name: &QualifiedName, index: &Index) -> Vec<String> {
    let create = astrola_core::render::postgres::statements::create_index(name, index, false);
    let create = create.trim_end().replacen(" INDEX ", " INDEX CONCURRENTLY ", 1);
    vec![format!("DROP INDEX CONCURRENTLY IF EXISTS {name};"), create]
}

/// The unique index behind a PRIMARY KEY or UNIQUE constraint, named as
/// the constraint.
pub(crate) fn key_index(table: &QualifiedName, c: &astrola_core::model::Constraint) -> Option<Index> {
    let (columns, nulls_not_distinct, index) = match &c.kind {
        ConstraintKind::PrimaryKey { columns, index } => (columns, false, index),
        ConstraintKind::Unique { columns, nulls_not_distinct, index } => (columns, *nulls_not_distinct, index),
        _ => return None,
    };
    Some(Index {
        table: table.clone(),
        unique: true,
        method: "btree".into(),
        keys: columns.iter().map(|c| astrola_core::model::IndexKey::column(c.clone())).collect(),
        include: index.include.clone(),
        predicate: None,
        nulls_not_distinct,
        with: index.with.clone(),
        tablespace: index.tablespace.clone(),
        only: false,
        comment: None,
    })
}

/// The table a change is about, when it is about one.
pub(crate) fn change_table(c: &Change) -> Option<QualifiedName> {
    use Change::*;
    Some(match c {
        CreateTable { name, .. } | DropTable { name, .. } => name.clone(),
        RenameTable { to, .. } => to.clone(),
        AddColumn { table, .. }
        | DropColumn { table, .. }
        | RenameColumn { table, .. }
        | AlterColumnType { table, .. }
        | SetNotNull { table, .. }
        | DropNotNull { table, .. }
        | SetDefault { table, .. }
        | DropDefault { table, .. }
        | AddIdentity { table, .. }
        | DropIdentity { table, .. }
        | AlterIdentity { table, .. }
        | DropExpression { table, .. }
        | ReplaceColumn { table, .. }
        | AlterColumnExtra { table, .. }
        | AddConstraint { table, .. }
        | DropConstraint { table, .. }
        | ValidateConstraint { table, .. }
        | RenameConstraint { table, .. }
        | RenameIndex { table, .. }
        | CreateTrigger { table, .. }
        | DropTrigger { table, .. }
        | SetTriggerFiring { table, .. }
        | CreateTriggerStatement { table, .. }
        | DropTriggerStatement { table, .. }
        | CreatePolicy { table, .. }
        | DropPolicy { table, .. }
        | SetRowSecurity { table, .. }
        | SetLogged { table, .. }
        | SetTableOptions { table, .. } => table.clone(),
        AttachPartition { parent, .. } | DetachPartition { parent, .. } => parent.clone(),
        CreateIndex { index, .. } | DropIndex { index, .. } => index.table.clone(),
        SetComment { target: CommentTarget::Table { name }, .. } => name.clone(),
        SetComment { target: CommentTarget::Column { table, .. }, .. } => table.clone(),
        _ => return None,
    })
}

/// The table lock a plain change takes, as PostgreSQL's documentation on
/// ALTER TABLE and explicit locking lists it.
pub(crate) fn plain_lock(c: &Change) -> Option<(LockMode, QualifiedName)> {
    use Change::*;
    let table = change_table(c)?;
    let mode = match c {
        CreateTable { .. } => return None,
        AddConstraint { constraint, .. } if matches!(constraint.kind, ConstraintKind::ForeignKey { .. }) => LockMode::ShareRowExclusive,
        CreateTrigger { .. } | SetTriggerFiring { .. } | CreateTriggerStatement { .. } => LockMode::ShareRowExclusive,
        ValidateConstraint { .. } | SetComment { .. } | RenameIndex { .. } => LockMode::ShareUpdateExclusive,
        AttachPartition { .. } => LockMode::ShareUpdateExclusive,
        SetTableOptions { from, to, .. } => {
            let keys = from.keys().chain(to.keys());
            let light = keys.into_iter().all(|k| k.starts_with("autovacuum") || k.starts_with("toast.autovacuum") || k == "fillfactor" || k.starts_with("log_autovacuum") || k == "parallel_workers");
            if light {
                LockMode::ShareUpdateExclusive
            } else {
                LockMode::AccessExclusive
            }
        }
        CreateIndex { .. } => LockMode::Share,
        _ => LockMode::AccessExclusive,
    };
    Some((mode, table))
}

/// Makes a plain change's SQL re-runnable where PostgreSQL has the syntax.
fn idempotent(c: &Change, sql: Vec<String>) -> Vec<String> {
    use Change::*;
    let rewrite = |s: &str, from: &str, to: &str| -> String { if s.starts_with(from) && !s.starts_with(to) { s.replacen(from, to, 1) } else { s.to_string() } };
    sql.into_iter()
        .map(|s| match c {
            DropTable { .. } => rewrite(&s, "DROP TABLE ", "DROP TABLE IF EXISTS "),
            DropView { view, .. } if view.materialized => rewrite(&s, "DROP MATERIALIZED VIEW ", "DROP MATERIALIZED VIEW IF EXISTS "),
            DropView { .. } => rewrite(&s, "DROP VIEW ", "DROP VIEW IF EXISTS "),
            DropSequence { .. } => rewrite(&s, "DROP SEQUENCE ", "DROP SEQUENCE IF EXISTS "),
            DropType { .. } => rewrite(&s, "DROP TYPE ", "DROP TYPE IF EXISTS "),
            DropDomain { .. } => rewrite(&s, "DROP DOMAIN ", "DROP DOMAIN IF EXISTS "),
            DropSchema { .. } => rewrite(&s, "DROP SCHEMA ", "DROP SCHEMA IF EXISTS "),
            DropExtension { .. } => rewrite(&s, "DROP EXTENSION ", "DROP EXTENSION IF EXISTS "),
            DropFunction { function, .. } if function.procedure => rewrite(&s, "DROP PROCEDURE ", "DROP PROCEDURE IF EXISTS "),
            DropFunction { .. } => rewrite(&s, "DROP FUNCTION ", "DROP FUNCTION IF EXISTS "),
            DropTrigger { .. } => rewrite(&s, "DROP TRIGGER ", "DROP TRIGGER IF EXISTS "),
            DropPolicy { .. } => rewrite(&s, "DROP POLICY ", "DROP POLICY IF EXISTS "),
            CreateSchema { .. } => rewrite(&s, "CREATE SCHEMA ", "CREATE SCHEMA IF NOT EXISTS "),
            CreateTable { table, .. } if table.partition_of.is_none() => rewrite(&s, "CREATE TABLE ", "CREATE TABLE IF NOT EXISTS "),
            CreateSequence { .. } => rewrite(&s, "CREATE SEQUENCE ", "CREATE SEQUENCE IF NOT EXISTS "),
            CreateView { view, .. } if !view.materialized => rewrite(&s, "CREATE VIEW ", "CREATE OR REPLACE VIEW "),
            CreateFunction { .. } => rewrite(&s, "CREATE FUNCTION ", "CREATE OR REPLACE FUNCTION ").replacen("CREATE PROCEDURE ", "CREATE OR REPLACE PROCEDURE ", 1),
            AddColumn { table, .. } => rewrite(&s, &format!("ALTER TABLE {table} ADD COLUMN "), &format!("ALTER TABLE {table} ADD COLUMN IF NOT EXISTS ")),
            DropColumn { table, .. } => rewrite(&s, &format!("ALTER TABLE {table} DROP COLUMN "), &format!("ALTER TABLE {table} DROP COLUMN IF EXISTS ")),
            DropConstraint { table, .. } => rewrite(&s, &format!("ALTER TABLE {table} DROP CONSTRAINT "), &format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS ")),
            _ => s,
        })
        .collect()
}

/// The change that undoes `c`, rendered against FROM.
fn inverse(c: &Change, from: &Schema) -> Option<Change> {
    use Change::*;
    let col = |t: &QualifiedName, n: &str| from.tables.get(t).and_then(|t| t.column(n)).cloned();
    Some(match c {
        CreateSchema { name } => DropSchema { name: name.clone() },
        CreateExtension { name, .. } => DropExtension { name: name.clone() },
        CreateType { name, definition } => DropType { name: name.clone(), definition: definition.clone() },
        RenameType { from: a, to: b } => RenameType { from: b.clone(), to: a.clone() },
        RenameEnumValue { name, from: a, to: b } => RenameEnumValue { name: name.clone(), from: b.clone(), to: a.clone() },
        CreateDomain { name, domain } => DropDomain { name: name.clone(), domain: domain.clone() },
        DropDomain { name, domain } => CreateDomain { name: name.clone(), domain: domain.clone() },
        AlterDomain { name, from: a, to: b } => AlterDomain { name: name.clone(), from: b.clone(), to: a.clone() },
        CreateSequence { name, sequence } => DropSequence { name: name.clone(), sequence: sequence.clone() },
        AlterSequence { name, from: a, to: b } => AlterSequence { name: name.clone(), from: b.clone(), to: a.clone() },
        CreateTable { name, table } => DropTable { name: name.clone(), table: table.clone() },
        RenameTable { from: a, to: b } => RenameTable { from: b.clone(), to: a.clone() },
        AddColumn { table, column, .. } => DropColumn { table: table.clone(), column: column.clone() },
        RenameColumn { table, from: a, to: b } => RenameColumn { table: table.clone(), from: b.clone(), to: a.clone() },
        SetNotNull { table, column } => DropNotNull { table: table.clone(), column: column.clone() },
        DropNotNull { table, column } => SetNotNull { table: table.clone(), column: column.clone() },
        SetDefault { table, column, .. } | DropDefault { table, column } => match col(table, column).and_then(|c| c.default) {
            Some(d) => SetDefault { table: table.clone(), column: column.clone(), default: d },
            None => DropDefault { table: table.clone(), column: column.clone() },
        },
        AddIdentity { table, column, identity } => DropIdentity { table: table.clone(), column: column.clone(), identity: identity.clone() },
        AlterIdentity { table, column, from: a, to: b } => AlterIdentity { table: table.clone(), column: column.clone(), from: b.clone(), to: a.clone() },
        AddConstraint { table, name, constraint } => DropConstraint { table: table.clone(), name: name.clone(), constraint: constraint.clone() },
        DropConstraint { table, name, constraint } => AddConstraint { table: table.clone(), name: name.clone(), constraint: astrola_core::model::Constraint { not_valid: matches!(constraint.kind, ConstraintKind::ForeignKey { .. } | ConstraintKind::Check { .. }), ..constraint.clone() } },
        RenameConstraint { table, from: a, to: b } => RenameConstraint { table: table.clone(), from: b.clone(), to: a.clone() },
        CreateIndex { name, index } => DropIndex { name: name.clone(), index: index.clone() },
        RenameIndex { table, from: a, to: b } => RenameIndex { table: table.clone(), from: b.clone(), to: a.clone() },
        CreateView { name, view } => DropView { name: name.clone(), view: view.clone() },
        DropView { name, view } => CreateView { name: name.clone(), view: view.clone() },
        CreateFunction { signature, function } => DropFunction { signature: signature.clone(), function: function.clone() },
        DropFunction { signature, function } => CreateFunction { signature: signature.clone(), function: function.clone() },
        ReplaceFunction { signature, from: a, to: b } => ReplaceFunction { signature: signature.clone(), from: b.clone(), to: a.clone() },
        CreateTrigger { table, name, trigger } => DropTrigger { table: table.clone(), name: name.clone(), trigger: trigger.clone() },
        DropTrigger { table, name, trigger } => CreateTrigger { table: table.clone(), name: name.clone(), trigger: trigger.clone() },
        CreatePolicy { table, name, policy } => DropPolicy { table: table.clone(), name: name.clone(), policy: policy.clone() },
        DropPolicy { table, name, policy } => CreatePolicy { table: table.clone(), name: name.clone(), policy: policy.clone() },
        SetRowSecurity { table, .. } => {
            let t = from.tables.get(table)?;
            SetRowSecurity { table: table.clone(), enabled: t.row_security, forced: t.force_row_security }
        }
        SetTableOptions { table, from: a, to: b } => SetTableOptions { table: table.clone(), from: b.clone(), to: a.clone() },
        AttachPartition { table, parent, .. } => DetachPartition { table: table.clone(), parent: parent.clone() },
        Grant { grant } => Revoke { grant: grant.clone() },
        Revoke { grant } => Grant { grant: grant.clone() },
        SetComment { target, .. } => SetComment { target: target.clone(), comment: old_comment(target, from) },
        _ => return None,
    })
}

fn old_comment(target: &CommentTarget, from: &Schema) -> Option<String> {
    match target {
        CommentTarget::Table { name } => from.tables.get(name)?.comment.clone(),
        CommentTarget::Column { table, column } => from.tables.get(table)?.column(column)?.comment.clone(),
        CommentTarget::Index { name } => from.indexes.get(name)?.comment.clone(),
        CommentTarget::Sequence { name } => from.sequences.get(name)?.comment.clone(),
        CommentTarget::View { name, .. } => from.views.get(name)?.comment.clone(),
        CommentTarget::Constraint { table, name } => from.tables.get(table)?.constraints.get(name)?.comment.clone(),
        CommentTarget::Trigger { table, name } => from.tables.get(table)?.triggers.get(name)?.comment.clone(),
        CommentTarget::Policy { table, name } => from.tables.get(table)?.policies.get(name)?.comment.clone(),
        CommentTarget::Type { name } => from.types.get(name)?.comment.clone(),
        CommentTarget::Domain { name } => from.domains.get(name)?.comment.clone(),
        CommentTarget::Function { signature, .. } => from.functions.get(signature)?.comment.clone(),
        CommentTarget::Schema { name } => from.namespaces.get(name)?.comment.clone(),
        CommentTarget::Extension { name } => from.extensions.get(name)?.comment.clone(),
    }
}

fn human_kind(kind: &str) -> String {
    kind.replace('_', " ")
}

/// What a plain step does, in plain words.
fn describe(c: &Change, object: &str) -> String {
    let kind = human_kind(c.kind());
    let mut chars = kind.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{} {object}", chars.as_str())
}

