//! MySQL/MariaDB SQL for each change.
//!
//! Identifiers are always backquoted and string literals escape
//! backslashes, so no name or comment can change the meaning of a
//! statement. Column changes restate the whole column, as MySQL requires:
//! `MODIFY COLUMN` with the target definition (its comment included). A new
//! column is added `AFTER` its target predecessor (or `FIRST`).
//!
//! MySQL checks each `ALTER TABLE` as a whole, and some edits are only
//! valid together, so a few changes share one statement (the statement
//! names the first change it implements; the others render nothing):
//!
//! - A new table is created whole: columns, primary key, indexes, checks,
//!   comments and options. Foreign keys stay separate, so tables may
//!   reference each other.
//! - An `AUTO_INCREMENT` column must lead a key. A column that becomes
//!   `AUTO_INCREMENT` gets its key in the same statement; a key dropped
//!   under an `AUTO_INCREMENT` column first drops the attribute (or, for a
//!   primary key that is replaced, is dropped in the statement that adds
//!   the new one), and the attribute comes back with the new key.
//! - InnoDB refuses to drop the index a foreign key uses, so such a drop
//!   moves into the statement that creates its replacement (or that drops
//!   the foreign key).
//! - A view that is dropped and created again becomes one `CREATE OR
//!   REPLACE VIEW`: MySQL does not stop table changes under a view.
//! - MariaDB gives a foreign key added by name an index of that name,
//!   replacing an index it made itself for an earlier foreign key; when the
//!   target serves the foreign key with an index of another name, that
//!   index is created again, explicitly, in the foreign key's statement.
//! - MySQL refuses to drop the last column of a table: when a plan replaces
//!   every column, the last drop goes with the first added column.
//! - The column order is tracked as the statements run. After the last
//!   column change of a table, its columns are put in target order with as
//!   few moves as possible (`MODIFY ... FIRST | AFTER`): the longest run
//!   already in order stays.
//!
//! Other MariaDB rules the statements follow:
//!
//! - `MODIFY COLUMN` drops a CHECK written on the column (which the model
//!   names after the column), so one the plan keeps is added back, as a
//!   table check, in the same statement.
//! - A new default character set or collation restates every string
//!   column, so that the columns without one of their own take it, as they
//!   would in a new table.
//! - A generated column whose expression changes, or a stored one that
//!   becomes plain, is modified in place; other replacements drop and add
//!   the column in one statement (which keeps its indexes).
//! - A trigger (kept by the model as the statement that created it) is
//!   created by that statement, wrapped in `DELIMITER` lines for the
//!   `mysql` client when its body holds `;`.
//!
//! Statements are not transactional: MySQL commits before and after every
//! DDL statement.

use std::collections::{BTreeMap, BTreeSet};

use astrola_core::frontend::mysql::quote_string;
use astrola_core::ident::quote_ident_backtick as quote;
use astrola_core::model::{Column, Constraint, ConstraintKind, Index, IndexTarget, Schema};
use astrola_core::render::mysql as ddl;
use astrola_core::QualifiedName;

use super::Statement;
use crate::change::CommentTarget;
use crate::Change;

const AUTO_INCREMENT: &str = "AUTO_INCREMENT";

/// Renders `changes` (already ordered) as MySQL/MariaDB statements.
pub fn render(changes: &[Change], from: &Schema, to: &Schema) -> Vec<Statement> {
    Renderer::new(changes, from, to).run()
}

/// The SQL of one change.
enum Sql {
    /// Clauses of one `ALTER TABLE`.
    Alter(QualifiedName, Vec<String>),
    /// Whole statements, each ending in `;\n`.
    Script(String),
}

/// A key (primary key, unique or plain index) of a table: its name and
/// its plain columns, in order, up to the first expression or prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    name: String,
    columns: Vec<String>,
}

impl Key {
    fn leads_with(&self, column: &str) -> bool {
        self.columns.first().is_some_and(|c| c == column)
    }

    fn covers(&self, columns: &[String]) -> bool {
        !columns.is_empty() && self.columns.len() >= columns.len() && self.columns[..columns.len()] == *columns
    }
}

fn plain_columns(index: &Index) -> Vec<String> {
    index
        .keys
        .iter()
        .map_while(|k| match &k.target {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expression(_) => None,
        })
        .collect()
}

/// The key a change adds: `(table, key)`.
fn added_key(c: &Change) -> Option<(&QualifiedName, Key)> {
    match c {
        Change::AddConstraint { table, name, constraint } => match &constraint.kind {
            ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
                Some((table, Key { name: name.clone(), columns: columns.clone() }))
            }
            _ => None,
        },
        Change::CreateIndex { name, index } => Some((&index.table, Key { name: name.name.clone(), columns: plain_columns(index) })),
        _ => None,
    }
}

/// The key a change drops: `(table, key)`.
fn dropped_key(c: &Change) -> Option<(&QualifiedName, Key)> {
    match c {
        Change::DropConstraint { table, name, constraint } => match &constraint.kind {
            ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
                Some((table, Key { name: name.clone(), columns: columns.clone() }))
            }
            _ => None,
        },
        Change::DropIndex { name, index } => Some((&index.table, Key { name: name.name.clone(), columns: plain_columns(index) })),
        _ => None,
    }
}

/// The table and column a change defines (adds or restates).
fn defined_column(c: &Change) -> Option<(&QualifiedName, &str)> {
    match c {
        Change::AddColumn { table, column, .. } => Some((table, &column.name)),
        Change::AlterColumnType { table, column, .. } => Some((table, column)),
        Change::AlterColumnExtra { table, to, .. } | Change::ReplaceColumn { table, to, .. } => Some((table, &to.name)),
        _ => None,
    }
}

/// The table whose column list a change edits.
fn column_list_change(c: &Change) -> Option<&QualifiedName> {
    match c {
        Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::RenameColumn { table, .. }
        | Change::AlterColumnType { table, .. }
        | Change::AlterColumnExtra { table, .. }
        | Change::ReplaceColumn { table, .. } => Some(table),
        _ => None,
    }
}

fn has_auto_increment(c: &Column) -> bool {
    c.extra.iter().any(|e| e == AUTO_INCREMENT)
}

fn without_auto_increment(c: &Column) -> Column {
    Column { extra: c.extra.iter().filter(|e| *e != AUTO_INCREMENT).cloned().collect(), ..c.clone() }
}

fn is_stored(c: &Column) -> bool {
    c.extra.iter().any(|e| e == "STORED")
}

/// Whether `MODIFY COLUMN` can turn `from` into `to`: MariaDB changes a
/// generation expression and turns a stored generated column into a
/// plain one, but cannot make a column generated nor a virtual one plain.
fn modify_can_replace(from: &Column, to: &Column) -> bool {
    match (&from.generated, &to.generated) {
        (Some(_), Some(_)) => is_stored(from) == is_stored(to),
        (Some(_), None) => is_stored(from),
        (None, Some(_)) => false,
        (None, None) => true,
    }
}

fn alter(table: &QualifiedName, clauses: &[String]) -> String {
    format!("ALTER TABLE {} {};\n", quote(&table.name), clauses.join(", "))
}

fn drop_key_clause(name: &str, constraint_is_primary: bool) -> String {
    if constraint_is_primary {
        "DROP PRIMARY KEY".to_string()
    } else {
        format!("DROP INDEX {}", quote(name))
    }
}

/// The clause that adds `constraint` as `name`.
fn add_constraint_clause(name: &str, constraint: &Constraint) -> String {
    match &constraint.kind {
        ConstraintKind::PrimaryKey { columns, .. } => format!("ADD PRIMARY KEY ({})", ddl::column_list(columns)),
        ConstraintKind::Unique { columns, .. } => format!("ADD CONSTRAINT {} UNIQUE ({})", quote(name), ddl::column_list(columns)),
        ConstraintKind::Check { expr, .. } => format!("ADD CONSTRAINT {} CHECK ({expr})", quote(name)),
        ConstraintKind::ForeignKey { .. } => {
            format!("ADD CONSTRAINT {} {}", quote(name), ddl::foreign_key_definition(constraint).unwrap_or_default())
        }
        ConstraintKind::Exclusion { .. } => String::new(),
    }
}

/// The value that puts a table option back to its default when the target
/// no longer sets it (`ENGINE` goes back to InnoDB, the default storage
/// engine of MariaDB and MySQL); `None` for options with no such value.
fn option_reset(key: &str) -> Option<&'static str> {
    Some(match key {
        "ENGINE" => "InnoDB",
        "DEFAULT CHARSET" | "COLLATE" | "ROW_FORMAT" | "STATS_PERSISTENT" | "STATS_AUTO_RECALC" | "STATS_SAMPLE_PAGES" | "PACK_KEYS" => "DEFAULT",
        "KEY_BLOCK_SIZE" | "AVG_ROW_LENGTH" | "MAX_ROWS" | "MIN_ROWS" | "CHECKSUM" | "DELAY_KEY_WRITE" | "PAGE_COMPRESSED" => "0",
        "INSERT_METHOD" => "NO",
        _ => return None,
    })
}

fn is_string_type(data_type: &str) -> bool {
    let base = data_type.split(['(', ' ']).next().unwrap_or(data_type);
    matches!(base, "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set")
}

struct Renderer<'a> {
    changes: &'a [Change],
    from: &'a Schema,
    to: &'a Schema,
    /// Changes with no statement of their own: their SQL is part of
    /// another change's statement (see `carried_by`), or of the `CREATE
    /// TABLE` or `CREATE OR REPLACE VIEW` that makes them unnecessary.
    absorbed: Vec<bool>,
    /// For an absorbed change, the change whose statement carries it.
    carried_by: Vec<Option<usize>>,
    /// Clauses run before a change's own, in its `ALTER TABLE`.
    before: Vec<Vec<String>>,
    /// Clauses run after a change's own, in its `ALTER TABLE`.
    after: Vec<Vec<String>>,
    /// Columns whose drop waits for a change that adds a column (MySQL
    /// refuses to drop a table's last column), by that change.
    deferred_column_drops: BTreeMap<usize, Vec<String>>,
    /// Column changes rendered without `AUTO_INCREMENT`: no key leads with
    /// the column when they run.
    strip_auto_increment: BTreeSet<usize>,
    /// Tables created by the plan.
    created: BTreeSet<QualifiedName>,
    /// Views dropped and created again.
    replaced_views: BTreeSet<QualifiedName>,
    /// Indexes created by the plan.
    created_indexes: BTreeSet<QualifiedName>,
    /// The last change that edits each table's column list.
    last_column_change: BTreeMap<QualifiedName, usize>,
    /// Each table's column order, as the statements so far leave it.
    columns: BTreeMap<QualifiedName, Vec<String>>,
    /// Columns already restated with their target definition.
    restated: BTreeSet<(QualifiedName, String)>,
}

impl<'a> Renderer<'a> {
    fn new(changes: &'a [Change], from: &'a Schema, to: &'a Schema) -> Self {
        let n = changes.len();
        let mut r = Renderer {
            changes,
            from,
            to,
            absorbed: vec![false; n],
            carried_by: vec![None; n],
            before: vec![Vec::new(); n],
            after: vec![Vec::new(); n],
            deferred_column_drops: BTreeMap::new(),
            strip_auto_increment: BTreeSet::new(),
            created: BTreeSet::new(),
            replaced_views: BTreeSet::new(),
            created_indexes: BTreeSet::new(),
            last_column_change: BTreeMap::new(),
            columns: from.tables.iter().map(|(k, t)| (k.clone(), t.columns.iter().map(|c| c.name.clone()).collect())).collect(),
            restated: BTreeSet::new(),
        };
        r.plan_created_objects();
        r.plan_last_column_drops();
        r.plan_auto_increment();
        r.plan_foreign_key_indexes();
        for (i, c) in changes.iter().enumerate() {
            if let Some(t) = column_list_change(c) {
                r.last_column_change.insert(t.clone(), i);
            }
        }
        r
    }

    /// Moves change `i` into the statement of change `into`.
    fn carry(&mut self, i: usize, into: usize) {
        self.absorbed[i] = true;
        self.carried_by[i] = Some(into);
    }

    /// New tables are created whole; views dropped and created again are
    /// replaced.
    fn plan_created_objects(&mut self) {
        let mut dropped_views = BTreeSet::new();
        for c in self.changes {
            match c {
                Change::CreateTable { name, .. } => {
                    self.created.insert(name.clone());
                }
                Change::DropView { name, .. } => {
                    dropped_views.insert(name.clone());
                }
                Change::CreateView { name, .. } if dropped_views.contains(name) => {
                    self.replaced_views.insert(name.clone());
                }
                Change::CreateIndex { name, .. } => {
                    self.created_indexes.insert(name.clone());
                }
                _ => {}
            }
        }
        for (i, c) in self.changes.iter().enumerate() {
            let part_of_create = match c {
                Change::AddConstraint { table, constraint, .. } => {
                    self.created.contains(table) && !matches!(constraint.kind, ConstraintKind::ForeignKey { .. })
                }
                Change::CreateIndex { index, .. } => self.created.contains(&index.table),
                Change::SetComment { target, .. } => match target {
                    CommentTarget::Table { name } => self.created.contains(name),
                    CommentTarget::Column { table, .. } => self.created.contains(table),
                    CommentTarget::Index { name } => self.created.contains(&QualifiedName::new("", name.schema.clone())),
                    _ => false,
                },
                Change::DropView { name, .. } => self.replaced_views.contains(name),
                _ => false,
            };
            if part_of_create {
                self.absorbed[i] = true;
            }
        }
    }

    /// MySQL refuses to drop every column of a table: when a plan replaces
    /// all of them, the last drop waits for the first added column.
    fn plan_last_column_drops(&mut self) {
        for (name, t) in &self.from.tables {
            let drops: Vec<usize> = (0..self.changes.len())
                .filter(|&i| matches!(&self.changes[i], Change::DropColumn { table, .. } if table == name))
                .collect();
            if drops.len() < t.columns.len() {
                continue;
            }
            let first_add = self.changes.iter().position(|c| matches!(c, Change::AddColumn { table, .. } if table == name));
            if let (Some(&last), Some(j)) = (drops.last(), first_add) {
                if let Change::DropColumn { column, .. } = &self.changes[last] {
                    if j > last {
                        self.deferred_column_drops.entry(j).or_default().push(column.name.clone());
                        self.carry(last, j);
                    }
                }
            }
        }
    }

    /// The keys of `table` in `from` (after renames): the primary key and
    /// the indexes.
    fn source_keys(&self, table: &QualifiedName) -> Vec<Key> {
        let mut keys = Vec::new();
        if let Some((name, pk)) = self.from.tables.get(table).and_then(|t| t.primary_key()) {
            keys.push(Key { name: name.clone(), columns: pk.kind.columns().to_vec() });
        }
        for (k, i) in &self.from.indexes {
            if i.table == *table {
                keys.push(Key { name: k.name.clone(), columns: plain_columns(i) });
            }
        }
        keys
    }

    /// The index of the change that drops key `name` of `table`, if any.
    fn key_drop(&self, table: &QualifiedName, name: &str) -> Option<usize> {
        self.changes.iter().position(|c| dropped_key(c).is_some_and(|(t, k)| t == table && k.name == name))
    }

    fn target_column(&self, table: &QualifiedName, column: &str) -> Option<&'a Column> {
        self.to.tables.get(table).and_then(|t| t.column(column))
    }

    fn source_column(&self, table: &QualifiedName, column: &str) -> Option<&'a Column> {
        self.from.tables.get(table).and_then(|t| t.column(column))
    }

    /// `AUTO_INCREMENT` needs a key that leads with its column at every
    /// statement boundary.
    fn plan_auto_increment(&mut self) {
        let mut candidates: BTreeSet<(QualifiedName, String)> = BTreeSet::new();
        for (schema, other) in [(self.from, self.to), (self.to, self.from)] {
            for (name, t) in &schema.tables {
                if self.created.contains(name) || !other.tables.contains_key(name) {
                    continue;
                }
                for c in t.columns.iter().filter(|c| has_auto_increment(c)) {
                    candidates.insert((name.clone(), c.name.clone()));
                }
            }
        }
        for (table, column) in candidates {
            let from_ai = self.source_column(&table, &column).is_some_and(has_auto_increment);
            let to_ai = self.target_column(&table, &column).is_some_and(has_auto_increment);
            let leading: Vec<Key> = self.source_keys(&table).into_iter().filter(|k| k.leads_with(&column)).collect();
            if leading.iter().any(|k| self.key_drop(&table, &k.name).is_none()) {
                continue; // A key that stays serves the column throughout.
            }
            let drops: Vec<usize> = leading.iter().filter_map(|k| self.key_drop(&table, &k.name)).collect();
            let first_drop = drops.iter().copied().min();
            let adds: Vec<usize> = (0..self.changes.len())
                .filter(|&j| !self.absorbed[j] && added_key(&self.changes[j]).is_some_and(|(t, k)| *t == table && k.leads_with(&column)))
                .collect();
            let first_add = adds.first().copied();
            let definitions: Vec<usize> =
                (0..self.changes.len()).filter(|&k| defined_column(&self.changes[k]).is_some_and(|(t, c)| *t == table && c == column)).collect();
            match (from_ai, first_drop) {
                (true, Some(i)) => {
                    let pk_swap = to_ai
                        && matches!(&self.changes[i], Change::DropConstraint { constraint, .. } if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }))
                        && first_add.is_some_and(|j| j > i && matches!(&self.changes[j], Change::AddConstraint { constraint, .. } if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. })))
                        && !self.changes.iter().any(|c| matches!(c, Change::DropColumn { table: t, .. } | Change::ReplaceColumn { table: t, .. } if *t == table));
                    if let (true, Some(j)) = (pk_swap, first_add) {
                        // `DROP PRIMARY KEY, ADD PRIMARY KEY (...)` in one statement.
                        self.before[j].push("DROP PRIMARY KEY".to_string());
                        self.carry(i, j);
                        continue;
                    }
                    if let Some(col) = self.source_column(&table, &column) {
                        let stripped = without_auto_increment(col);
                        let clauses = self.modify(&table, &stripped, "");
                        self.before[i].extend(clauses);
                        if self.target_column(&table, &column) == Some(&stripped) {
                            // That is the column's target definition already.
                            self.restated.insert((table.clone(), column.clone()));
                        }
                    }
                    let end = first_add.filter(|&j| j > i).unwrap_or(usize::MAX);
                    for &k in definitions.iter().filter(|&&k| k > i && k < end) {
                        self.strip_auto_increment.insert(k);
                    }
                    if let (true, Some(j)) = (to_ai, first_add.filter(|&j| j > i)) {
                        self.restore_auto_increment(&table, &column, j);
                    }
                }
                (false, _) if to_ai => {
                    let Some(j) = first_add else { continue };
                    let first_definition = definitions.iter().copied().find(|&k| k < j);
                    let Some(k) = first_definition else {
                        self.restore_auto_increment(&table, &column, j);
                        continue;
                    };
                    if self.key_columns_exist_at(&table, j, k) {
                        // The key goes with the column that needs it.
                        let mut clauses = std::mem::take(&mut self.before[j]);
                        clauses.push(self.key_clause(j));
                        clauses.append(&mut self.after[j]);
                        self.after[k].extend(clauses);
                        self.carry(j, k);
                    } else {
                        for &d in definitions.iter().filter(|&&d| d < j) {
                            self.strip_auto_increment.insert(d);
                        }
                        self.restore_auto_increment(&table, &column, j);
                    }
                }
                _ => {}
            }
        }
    }

    fn restore_auto_increment(&mut self, table: &QualifiedName, column: &str, at: usize) {
        if let Some(col) = self.target_column(table, column) {
            let clauses = self.modify(table, col, "");
            self.after[at].extend(clauses);
        }
    }

    /// `MODIFY COLUMN` to `column`'s definition (and `position`). MariaDB
    /// keeps a CHECK written on a column as part of the column (the model
    /// names it after the column), and `MODIFY` drops it: a check of that
    /// name that the plan keeps is put back as a table check (and one
    /// that was a table check already is replaced by itself).
    fn modify(&self, table: &QualifiedName, column: &Column, position: &str) -> Vec<String> {
        let mut clauses = vec![format!("MODIFY COLUMN {}{position}", ddl::column_definition(column))];
        let check = |s: &'a Schema| s.tables.get(table).and_then(|t| t.constraints.get(&column.name)).filter(|c| matches!(c.kind, ConstraintKind::Check { .. }));
        let dropped = self.changes.iter().any(|c| matches!(c, Change::DropConstraint { table: t, name, .. } if t == table && *name == column.name));
        if let (Some(kept), Some(target), false) = (check(self.from), check(self.to), dropped) {
            if kept == target {
                clauses.push(format!("DROP CONSTRAINT IF EXISTS {}", quote(&column.name)));
                clauses.push(add_constraint_clause(&column.name, target));
            }
        }
        clauses
    }

    /// Whether every column of the key change `j` exists once change `k`
    /// has run: columns of `from` that no change drops, and columns added
    /// up to `k`.
    fn key_columns_exist_at(&self, table: &QualifiedName, j: usize, k: usize) -> bool {
        let Some((_, key)) = added_key(&self.changes[j]) else { return false };
        let all_plain = match &self.changes[j] {
            Change::CreateIndex { index, .. } => key.columns.len() == index.keys.len(),
            _ => true,
        };
        all_plain
            && key.columns.iter().all(|col| {
                let kept = self.source_column(table, col).is_some()
                    && !self.changes.iter().any(|c| matches!(c, Change::DropColumn { table: t, column } if t == table && column.name == *col));
                let added = self.changes[..=k].iter().any(|c| matches!(c, Change::AddColumn { table: t, column, .. } if t == table && column.name == *col));
                kept || added
            })
    }

    /// The clause of a key-adding change.
    fn key_clause(&self, j: usize) -> String {
        match &self.changes[j] {
            Change::AddConstraint { name, constraint, .. } => add_constraint_clause(name, constraint),
            Change::CreateIndex { name, index } => format!("ADD {}", ddl::index_definition(&name.name, self.to.indexes.get(name).unwrap_or(index))),
            _ => String::new(),
        }
    }

    /// InnoDB refuses to drop the index a foreign key uses: the drop waits
    /// for the index that replaces it, or for the foreign key's own drop.
    fn plan_foreign_key_indexes(&mut self) {
        for i in 0..self.changes.len() {
            let Change::DropIndex { name, index } = &self.changes[i] else { continue };
            if self.absorbed[i] || !self.before[i].is_empty() || !self.after[i].is_empty() {
                continue;
            }
            let table = &index.table;
            let Some(t) = self.from.tables.get(table) else { continue };
            let dropped = Key { name: name.name.clone(), columns: plain_columns(index) };
            for (fk_name, fk) in &t.constraints {
                let ConstraintKind::ForeignKey { columns, .. } = &fk.kind else { continue };
                if !dropped.covers(columns) {
                    continue;
                }
                let fk_drop = self.changes.iter().position(|c| matches!(c, Change::DropConstraint { table: tt, name: n, .. } if tt == table && n == fk_name));
                if fk_drop.is_some_and(|d| d < i) {
                    continue;
                }
                let other_cover = self.source_keys(table).into_iter().any(|k| k.name != dropped.name && k.covers(columns) && self.key_drop(table, &k.name).is_none());
                if other_cover {
                    continue;
                }
                let replacement = (i + 1..self.changes.len())
                    .find(|&j| !self.absorbed[j] && added_key(&self.changes[j]).is_some_and(|(tt, k)| tt == table && k.covers(columns)));
                let clause = format!("DROP INDEX {}", quote(&name.name));
                if let Some(j) = replacement {
                    self.before[j].push(clause);
                    self.carry(i, j);
                } else if let Some(d) = fk_drop {
                    self.after[d].push(clause);
                    self.carry(i, d);
                }
                break;
            }
        }
    }

    fn run(mut self) -> Vec<Statement> {
        let mut out = Vec::new();
        for i in 0..self.changes.len() {
            if self.absorbed[i] {
                continue;
            }
            let mut sql = match self.change_sql(i) {
                Sql::Alter(table, clauses) => {
                    let all: Vec<String> = self.before[i].iter().chain(&clauses).chain(&self.after[i]).filter(|c| !c.is_empty()).cloned().collect();
                    if all.is_empty() {
                        String::new()
                    } else {
                        alter(&table, &all)
                    }
                }
                Sql::Script(s) => s,
            };
            if let Some(table) = column_list_change(&self.changes[i]) {
                if self.last_column_change.get(table) == Some(&i) {
                    sql.push_str(&self.place_columns(table));
                }
            }
            if sql.is_empty() {
                continue;
            }
            let first = (0..i).find(|&k| self.carried_by[k] == Some(i)).unwrap_or(i);
            out.push(Statement { sql, change: Some(first), transactional: false });
        }
        out
    }

    /// The target definition of a column, with `AUTO_INCREMENT` left out
    /// when change `i` runs before the column's key exists.
    fn definition(&self, i: usize, table: &QualifiedName, fallback: &Column) -> Column {
        let col = self.target_column(table, &fallback.name).unwrap_or(fallback);
        if self.strip_auto_increment.contains(&i) {
            without_auto_increment(col)
        } else {
            col.clone()
        }
    }

    /// Moves `column` (already in the tracked order, or being added) to
    /// its target place; returns the `FIRST`/`AFTER` clause, empty when it
    /// is already there or its predecessor does not exist yet.
    fn place(&mut self, table: &QualifiedName, column: &str) -> String {
        let target: Vec<String> = self.to.tables.get(table).map(|t| t.columns.iter().map(|c| c.name.clone()).collect()).unwrap_or_default();
        let Some(at) = target.iter().position(|c| c == column) else { return String::new() };
        let predecessor = at.checked_sub(1).map(|p| target[p].clone());
        let current = self.columns.entry(table.clone()).or_default();
        let was = current.iter().position(|c| c == column);
        if let Some(w) = was {
            let now_after = w.checked_sub(1).map(|p| current[p].clone());
            if now_after == predecessor {
                return String::new();
            }
            current.remove(w);
        }
        match predecessor {
            None => {
                current.insert(0, column.to_string());
                " FIRST".to_string()
            }
            Some(p) => match current.iter().position(|c| *c == p) {
                Some(pi) if pi + 1 == current.len() && was.is_none() => {
                    current.push(column.to_string());
                    String::new()
                }
                Some(pi) => {
                    current.insert(pi + 1, column.to_string());
                    format!(" AFTER {}", quote(&p))
                }
                None => {
                    match was {
                        Some(w) => current.insert(w.min(current.len()), column.to_string()),
                        None => current.push(column.to_string()),
                    }
                    String::new()
                }
            },
        }
    }

    /// Puts the columns of `table` in their target order (after its last
    /// column change, so that every column is there), moving as few as
    /// possible: the longest run of columns already in target order stays,
    /// and each other column goes after its target predecessor, in target
    /// order. Each move restates the column (`MODIFY ... FIRST | AFTER`).
    fn place_columns(&mut self, table: &QualifiedName) -> String {
        let Some(t) = self.to.tables.get(table) else { return String::new() };
        if self.created.contains(table) {
            return String::new();
        }
        let current = self.columns.get(table).cloned().unwrap_or_default();
        let target: Vec<&Column> = t.columns.iter().filter(|c| current.contains(&c.name)).collect();
        let ranks: Vec<usize> = current.iter().filter_map(|c| target.iter().position(|t| t.name == *c)).collect();
        let staying = longest_increasing(&ranks);
        let mut out = String::new();
        for (rank, column) in target.iter().enumerate() {
            if staying.contains(&rank) {
                continue;
            }
            let position = self.place(table, &column.name);
            if !position.is_empty() {
                out.push_str(&alter(table, &self.modify(table, column, &position)));
            }
        }
        out
    }

    fn change_sql(&mut self, i: usize) -> Sql {
        use Change::*;
        let to = self.to;
        let c = &self.changes[i];
        match c {
            CreateTable { name, table } => {
                let t = to.tables.get(name).unwrap_or(table);
                self.columns.insert(name.clone(), t.columns.iter().map(|c| c.name.clone()).collect());
                Sql::Script(ddl::create_table(to, name, t))
            }
            DropTable { name, .. } => {
                self.columns.remove(name);
                Sql::Script(format!("DROP TABLE {};\n", quote(&name.name)))
            }
            RenameTable { from, to: b } => {
                if let Some(cols) = self.columns.remove(from) {
                    self.columns.insert(b.clone(), cols);
                }
                Sql::Script(format!("RENAME TABLE {} TO {};\n", quote(&from.name), quote(&b.name)))
            }
            AddColumn { table, column, .. } => {
                let def = ddl::column_definition(&self.definition(i, table, column));
                let position = self.place(table, &column.name);
                self.restated.insert((table.clone(), column.name.clone()));
                let mut clauses = vec![format!("ADD COLUMN {def}{position}")];
                for dropped in self.deferred_column_drops.remove(&i).unwrap_or_default() {
                    if let Some(cols) = self.columns.get_mut(table) {
                        cols.retain(|c| *c != dropped);
                    }
                    clauses.push(format!("DROP COLUMN {}", quote(&dropped)));
                }
                Sql::Alter(table.clone(), clauses)
            }
            DropColumn { table, column } => {
                if let Some(cols) = self.columns.get_mut(table) {
                    cols.retain(|c| *c != column.name);
                }
                Sql::Alter(table.clone(), vec![format!("DROP COLUMN {}", quote(&column.name))])
            }
            RenameColumn { table, from, to: b } => {
                if let Some(cols) = self.columns.get_mut(table) {
                    for c in cols.iter_mut().filter(|c| *c == from) {
                        c.clone_from(b);
                    }
                }
                Sql::Alter(table.clone(), vec![format!("RENAME COLUMN {} TO {}", quote(from), quote(b))])
            }
            AlterColumnType { table, from, to: col, .. } | AlterColumnExtra { table, from, to: col } => {
                // A change of place only is made once every column of the
                // table is there (see `place_columns`).
                let definition_changes = Column { comment: None, ..from.clone() } != Column { comment: None, ..col.clone() };
                if !definition_changes || self.restated.contains(&(table.clone(), col.name.clone())) {
                    return Sql::Alter(table.clone(), Vec::new());
                }
                let def = self.definition(i, table, col);
                self.restated.insert((table.clone(), col.name.clone()));
                Sql::Alter(table.clone(), self.modify(table, &def, ""))
            }
            ReplaceColumn { table, from, to: col } => {
                let column = self.definition(i, table, col);
                let def = ddl::column_definition(&column);
                self.restated.insert((table.clone(), col.name.clone()));
                if modify_can_replace(from, col) {
                    Sql::Alter(table.clone(), self.modify(table, &column, ""))
                } else {
                    if let Some(cols) = self.columns.get_mut(table) {
                        cols.retain(|c| *c != from.name);
                    }
                    let position = self.place(table, &col.name);
                    Sql::Alter(table.clone(), vec![format!("DROP COLUMN {}", quote(&from.name)), format!("ADD COLUMN {def}{position}")])
                }
            }
            SetNotNull { table, column } | DropNotNull { table, column } | DropExpression { table, column } => self.restate(table, column),
            AddIdentity { table, column, .. } | DropIdentity { table, column, .. } | AlterIdentity { table, column, .. } => self.restate(table, column),
            SetDefault { table, column, default } => {
                Sql::Alter(table.clone(), vec![format!("ALTER COLUMN {} SET DEFAULT {default}", quote(column))])
            }
            DropDefault { table, column } => Sql::Alter(table.clone(), vec![format!("ALTER COLUMN {} DROP DEFAULT", quote(column))]),
            AddConstraint { table, name, constraint } => {
                if matches!(constraint.kind, ConstraintKind::Exclusion { .. }) {
                    return unsupported(c);
                }
                let mut clauses = self.foreign_key_index(table, name, constraint);
                clauses.push(add_constraint_clause(name, constraint));
                Sql::Alter(table.clone(), clauses)
            }
            DropConstraint { table, name, constraint } => {
                let clauses = match &constraint.kind {
                    ConstraintKind::PrimaryKey { .. } => vec![drop_key_clause(name, true)],
                    ConstraintKind::Unique { .. } => vec![drop_key_clause(name, false)],
                    ConstraintKind::ForeignKey { .. } => vec![format!("DROP FOREIGN KEY {}", quote(name))],
                    ConstraintKind::Check { .. } => self.drop_check(table, name),
                    ConstraintKind::Exclusion { .. } => return unsupported(c),
                };
                Sql::Alter(table.clone(), clauses)
            }
            RenameConstraint { table, from, to: b } => {
                // MySQL cannot rename a constraint: it is dropped and added
                // again under its new name (its definition is unchanged).
                let Some(def) = self.from.tables.get(table).and_then(|t| t.constraints.get(b)) else { return unsupported(c) };
                let drop = match &def.kind {
                    ConstraintKind::ForeignKey { .. } => format!("DROP FOREIGN KEY {}", quote(from)),
                    ConstraintKind::Unique { .. } => format!("DROP INDEX {}", quote(from)),
                    _ => format!("DROP CONSTRAINT {}", quote(from)),
                };
                Sql::Script(alter(table, &[drop]) + &alter(table, &[add_constraint_clause(b, def)]))
            }
            ValidateConstraint { .. } => Sql::Script(String::new()),
            CreateIndex { name, index } => {
                let index = to.indexes.get(name).unwrap_or(index);
                Sql::Alter(index.table.clone(), vec![format!("ADD {}", ddl::index_definition(&name.name, index))])
            }
            DropIndex { name, index } => Sql::Alter(index.table.clone(), vec![drop_key_clause(&name.name, false)]),
            RenameIndex { table, from, to: b } => {
                Sql::Alter(table.clone(), vec![format!("RENAME INDEX {} TO {}", quote(&from.name), quote(&b.name))])
            }
            CreateView { name, view } => {
                let sql = ddl::create_view(name, view);
                Sql::Script(if self.replaced_views.contains(name) { sql.replacen("CREATE ", "CREATE OR REPLACE ", 1) } else { sql })
            }
            DropView { name, .. } => Sql::Script(format!("DROP VIEW {};\n", quote(&name.name))),
            SetTableOptions { table, from, to: opts } => self.table_options(table, from, opts),
            SetComment { target, comment } => match target {
                CommentTarget::Table { name } => {
                    Sql::Alter(name.clone(), vec![format!("COMMENT = {}", quote_string(comment.as_deref().unwrap_or("")))])
                }
                CommentTarget::Column { table, column } => {
                    if self.restated.contains(&(table.clone(), column.clone())) {
                        Sql::Script(String::new())
                    } else {
                        self.restate(table, column)
                    }
                }
                CommentTarget::Index { name } => {
                    if self.created_indexes.contains(name) {
                        return Sql::Script(String::new());
                    }
                    let Some(index) = to.indexes.get(name) else { return unsupported(c) };
                    // An index comment changes only by rebuilding the index.
                    Sql::Alter(index.table.clone(), vec![drop_key_clause(&name.name, false), format!("ADD {}", ddl::index_definition(&name.name, index))])
                }
                _ => unsupported(c),
            },
            DropTrigger { name, .. } | DropTriggerStatement { name, .. } => Sql::Script(format!("DROP TRIGGER {};\n", quote(name))),
            CreateTriggerStatement { sql, .. } => Sql::Script(ddl::client_statement(sql)),
            CreateSchema { .. }
            | DropSchema { .. }
            | CreateExtension { .. }
            | DropExtension { .. }
            | AlterExtension { .. }
            | CreateType { .. }
            | DropType { .. }
            | RenameType { .. }
            | AddEnumValue { .. }
            | RenameEnumValue { .. }
            | ReplaceType { .. }
            | CreateDomain { .. }
            | DropDomain { .. }
            | AlterDomain { .. }
            | CreateSequence { .. }
            | DropSequence { .. }
            | AlterSequence { .. }
            | CreateFunction { .. }
            | DropFunction { .. }
            | ReplaceFunction { .. }
            | CreateTrigger { .. }
            | SetTriggerFiring { .. }
            | CreatePolicy { .. }
            | DropPolicy { .. }
            | SetRowSecurity { .. }
            | SetLogged { .. }
            | AttachPartition { .. }
            | DetachPartition { .. }
            | Grant { .. }
            | Revoke { .. } => unsupported(c),
        }
    }

    /// `MODIFY COLUMN` with the column's target definition, where it is.
    fn restate(&mut self, table: &QualifiedName, column: &str) -> Sql {
        let Some(col) = self.target_column(table, column) else { return Sql::Script(String::new()) };
        self.restated.insert((table.clone(), column.to_string()));
        Sql::Alter(table.clone(), self.modify(table, col, ""))
    }

    /// Before a foreign key is added to an existing table: MariaDB gives a
    /// foreign key added by name an index of that name, replacing an index
    /// it created itself for an earlier foreign key (which `SHOW CREATE
    /// TABLE` cannot tell from one created on purpose). When the target
    /// serves the foreign key with such an index under another name, the
    /// index is created again, explicitly, in the same statement.
    fn foreign_key_index(&self, table: &QualifiedName, name: &str, constraint: &Constraint) -> Vec<String> {
        let ConstraintKind::ForeignKey { columns, .. } = &constraint.kind else { return Vec::new() };
        if self.created.contains(table) {
            return Vec::new();
        }
        let pk_covers = self.to.tables.get(table).and_then(|t| t.primary_key()).is_some_and(|(_, pk)| pk.kind.columns().starts_with(columns));
        let covering: Vec<(&QualifiedName, &Index)> =
            self.to.indexes.iter().filter(|(_, i)| i.table == *table && plain_columns(i).starts_with(columns)).collect();
        let only_exact_under_other_names = covering.iter().all(|(k, i)| k.name != name && i.keys.len() == columns.len() && !self.created_indexes.contains(k));
        match covering.first() {
            Some((k, i)) if !pk_covers && only_exact_under_other_names && self.from.indexes.contains_key(k) => {
                vec![drop_key_clause(&k.name, false), format!("ADD {}", ddl::index_definition(&k.name, i))]
            }
            _ => Vec::new(),
        }
    }

    /// Dropping a CHECK. MariaDB keeps a check written on a column (which
    /// the model names after the column) as part of the column: restating
    /// the column without it drops it; a table check of that name is
    /// dropped by name, if it exists.
    fn drop_check(&self, table: &QualifiedName, name: &str) -> Vec<String> {
        match self.source_column(table, name) {
            Some(col) => vec![format!("MODIFY COLUMN {}", ddl::column_definition(col)), format!("DROP CONSTRAINT IF EXISTS {}", quote(name))],
            None => vec![format!("DROP CONSTRAINT {}", quote(name))],
        }
    }

    /// Table options that change. A new default character set or collation
    /// restates every string column, so that columns without a character
    /// set of their own take the new one, as they would in a new table.
    fn table_options(&mut self, table: &QualifiedName, from: &BTreeMap<String, String>, to: &BTreeMap<String, String>) -> Sql {
        const PARTITION: &str = "PARTITION BY";
        let mut clauses = Vec::new();
        for (key, value) in to {
            if key != PARTITION && from.get(key) != Some(value) {
                clauses.push(ddl::table_option(key, value));
            }
        }
        for key in from.keys().filter(|k| !to.contains_key(*k) && *k != PARTITION) {
            if let Some(reset) = option_reset(key) {
                clauses.push(format!("{key}={reset}"));
            }
        }
        let charset_changes = ["DEFAULT CHARSET", "COLLATE"].iter().any(|k| from.get(*k) != to.get(*k));
        if charset_changes {
            if let Some(t) = self.to.tables.get(table) {
                for col in t.columns.iter().filter(|c| is_string_type(&c.data_type)) {
                    clauses.extend(self.modify(table, col, ""));
                }
            }
        }
        let mut sql = if clauses.is_empty() { String::new() } else { alter(table, &clauses) };
        match (from.get(PARTITION), to.get(PARTITION)) {
            (a, Some(b)) if a != Some(b) => sql.push_str(&format!("ALTER TABLE {} PARTITION BY {b};\n", quote(&table.name))),
            (Some(_), None) => sql.push_str(&format!("ALTER TABLE {} REMOVE PARTITIONING;\n", quote(&table.name))),
            _ => {}
        }
        Sql::Script(sql)
    }
}

/// The values of the longest strictly increasing subsequence of `values`.
fn longest_increasing(values: &[usize]) -> BTreeSet<usize> {
    // For each value: the length of the longest run ending there, and the
    // run's previous element.
    let mut best: Vec<(usize, Option<usize>)> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let previous = (0..i).filter(|&j| values[j] < *v).max_by_key(|&j| (best[j].0, std::cmp::Reverse(j)));
        best.push((previous.map_or(1, |j| best[j].0 + 1), previous));
    }
    let mut out = BTreeSet::new();
    let mut at = (0..values.len()).max_by_key(|&i| (best[i].0, std::cmp::Reverse(i)));
    while let Some(i) = at {
        out.insert(values[i]);
        at = best[i].1;
    }
    out
}

/// A change MySQL has no statement for (the MySQL model never produces
/// it): a comment says so, rather than a silent gap.
fn unsupported(c: &Change) -> Sql {
    Sql::Script(format!("-- astrola: {} {} has no MySQL form\n", c.kind(), c.object().replace('\n', " ")))
}

#[cfg(test)]
mod tests {
    use astrola_core::{parse_sql, Dialect};

    use crate::{diff, DiffOptions};

    fn migration(from: &str, to: &str) -> String {
        let parse = |sql: &str| parse_sql(sql, Dialect::Mysql).unwrap_or_else(|e| panic!("{e}")).schema;
        let options = DiffOptions { allow_destructive: true, renames: astrola_core::rename_hints(to, Dialect::Mysql) };
        diff(&parse(from), &parse(to), &options).unwrap_or_else(|e| panic!("{e}")).sql()
    }

    #[test]
    fn keeps_the_longest_run_in_order() {
        assert_eq!(super::longest_increasing(&[1, 2, 3, 0]), [1, 2, 3].into());
        assert_eq!(super::longest_increasing(&[3, 2, 1, 0]).len(), 1);
        assert_eq!(super::longest_increasing(&[0, 4, 1, 2, 5, 3]).len(), 4);
        assert!(super::longest_increasing(&[]).is_empty());
    }

    #[test]
    fn creates_a_table_whole() {
        insta::assert_snapshot!(migration(
            "",
            "CREATE TABLE users (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(255) NOT NULL COMMENT 'login', UNIQUE KEY email (email)) COMMENT='people';"
        ));
    }

    #[test]
    fn adds_and_places_columns() {
        insta::assert_snapshot!(migration(
            "CREATE TABLE t (a int, b int, c int);",
            "CREATE TABLE t (c int, a bigint, x varchar(10) DEFAULT 'x', b int);"
        ));
    }

    #[test]
    fn adds_auto_increment_with_its_key() {
        insta::assert_snapshot!(migration("CREATE TABLE t (id int NOT NULL, v int);", "CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, v int);"));
    }

    #[test]
    fn replaces_the_primary_key_of_an_auto_increment_column() {
        insta::assert_snapshot!(migration(
            "CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, v int NOT NULL);",
            "CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, v int NOT NULL, PRIMARY KEY (id, v));"
        ));
    }

    #[test]
    fn drops_constraints_the_mysql_way() {
        insta::assert_snapshot!(migration(
            "CREATE TABLE p (id int PRIMARY KEY);
             CREATE TABLE c (id int PRIMARY KEY, p int, CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id), CONSTRAINT positive CHECK (id > 0), KEY k (id));",
            "CREATE TABLE p (id int PRIMARY KEY);
             CREATE TABLE c (id int, p int);"
        ));
    }

    #[test]
    fn replaces_the_index_a_foreign_key_uses() {
        insta::assert_snapshot!(migration(
            "CREATE TABLE p (id int PRIMARY KEY);
             CREATE TABLE c (id int PRIMARY KEY, p int, KEY old_k (p), CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id));",
            "CREATE TABLE p (id int PRIMARY KEY);
             CREATE TABLE c (id int PRIMARY KEY, p int, KEY new_k (p, id), CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id));"
        ));
    }

    #[test]
    fn renames_and_replaces_views() {
        insta::assert_snapshot!(migration(
            "CREATE TABLE a (id int, n int); CREATE VIEW v AS SELECT id FROM a;",
            "CREATE TABLE b ( -- @renamed from=a\n id int, m int -- @renamed from=n\n); CREATE VIEW v AS SELECT id, m FROM b;"
        ));
    }
}
