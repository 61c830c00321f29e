//! What the linter knows about the migration so far, statement by
//! statement: the schema as it stands (the `--schema` given, with the
//! migration's statements replayed on it), the objects the migration
//! created and where, the transaction state, the session's timeouts, the
//! locks held, and which columns a validated CHECK already proves NOT NULL.

use std::collections::{HashMap, HashSet};

use astrola_core::frontend::postgres::StatementReplayer;
use astrola_core::model::{Column, Index, Table};
use astrola_core::span::LineIndex;
use astrola_core::{Dialect, QualifiedName, Schema};
use pg_query::protobuf::{AlterTableCmd, AlterTableType, ConstrType, Node, ObjectType, RangeVar, TransactionStmtKind, VariableSetKind};
use pg_query::NodeEnum;

use crate::locks::{table_locks, LockMode};
use crate::LintOptions;

/// A byte range of the file (a statement).
pub(crate) type Range = (usize, usize);

/// The state of the migration before the statement being checked.
#[derive(Debug)]
pub(crate) struct Context {
    /// The schema before the statement, and what replaying it found out.
    /// `None` while a worker thread replays statements the rules of the
    /// statements since did not need the schema for (see [`needs_schema`]).
    model: Option<Model>,
    /// The worker that replays in the background, on long files.
    worker: Option<WorkerLink>,
    /// Tables (and other relations) created by earlier statements, as
    /// `schema.name` keys, with the creating statement.
    created_tables: HashMap<String, Range>,
    /// Indexes created by earlier statements, with the creating statement.
    created_indexes: HashMap<String, Range>,
    /// Schemas created by earlier statements.
    created_schemas: HashSet<String>,
    /// The open transaction: where it began (`None` for the runner's
    /// implicit one) and how many `BEGIN`s are open.
    transaction: Option<Transaction>,
    /// `SET lock_timeout` to a non-zero value ran.
    lock_timeout: bool,
    /// `SET statement_timeout` to a non-zero value ran.
    statement_timeout: bool,
    /// CHECK constraints `(col IS NOT NULL)` added NOT VALID: `table.constraint` -> column.
    pending_not_null_checks: HashMap<String, String>,
    /// `(table, column)` pairs that a validated CHECK proves NOT NULL.
    proven_not_null: HashSet<(String, String)>,
}

/// The schema model: `--schema` with the migration's statements replayed
/// on it, and where the migration added what only the replay can name
/// (constraints, indexes without a name).
#[derive(Debug)]
pub(crate) struct Model {
    replayer: StatementReplayer,
    /// Indexes created without a name, with the statement.
    unnamed_indexes: HashMap<String, Range>,
    /// Constraints added by earlier statements: `(table, constraint)` with
    /// the statement.
    added_constraints: HashMap<(String, String), Range>,
}

impl Model {
    /// Replays one statement, noting the constraints and unnamed indexes it
    /// added.
    fn apply(&mut self, stmt: &Node, range: Range, source: &str, lines: &LineIndex, file: &str) {
        let Some(node) = stmt.node.as_ref() else { return };
        let indexes_before = matches!(node, NodeEnum::IndexStmt(s) if s.idxname.is_empty()).then(|| self.replayer.schema().indexes.keys().cloned().collect::<HashSet<_>>());
        let touched = touched_table(node);
        let constraints_before: HashSet<String> = touched.as_deref().and_then(|t| self.replayer.schema().tables.get(&key_name(t))).map(|t| t.constraints.keys().cloned().collect()).unwrap_or_default();
        // A statement the model cannot apply (an ALTER of a table --schema
        // did not give) leaves it as it was.
        let _ = self.replayer.apply(stmt, source, lines.span(file, source, range.0, range.1));
        if let Some(before) = indexes_before {
            for name in self.replayer.schema().indexes.keys().filter(|k| !before.contains(k)).map(name_key).collect::<Vec<_>>() {
                self.unnamed_indexes.insert(name, range);
            }
        }
        if let Some(table) = touched {
            if let Some(t) = self.replayer.schema().tables.get(&key_name(&table)) {
                let added: Vec<String> = t.constraints.keys().filter(|k| !constraints_before.contains(*k)).cloned().collect();
                for name in added {
                    self.added_constraints.insert((table.clone(), name), range);
                }
            }
        }
    }
}

/// What the worker thread is told.
enum Job {
    /// Take the model.
    Take(Box<Model>),
    /// Replay this statement.
    Apply(Box<Node>, Range),
    /// Send the model back.
    Give,
}

/// The main thread's end of the replay worker.
#[derive(Debug)]
pub(crate) struct WorkerLink {
    jobs: std::sync::mpsc::Sender<Job>,
    back: std::sync::mpsc::Receiver<Box<Model>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Take(_) => "Take",
            Self::Apply(..) => "Apply",
            Self::Give => "Give",
        })
    }
}

/// Runs the replay worker until the main thread hangs up: it replays the
/// statements it is sent while it holds the model, and gives the model back
/// when asked. Returns the link for [`Context::with_worker`].
///
/// `stop` ends it too: the main thread sets it when it unwinds, so that the
/// scope the worker runs in can finish instead of waiting for it forever.
pub(crate) fn spawn_worker<'scope>(scope: &'scope std::thread::Scope<'scope, '_>, source: &'scope str, lines: &'scope LineIndex, file: &'scope str, stop: &'scope std::sync::atomic::AtomicBool) -> WorkerLink {
    let (jobs, inbox) = std::sync::mpsc::channel::<Job>();
    let (outbox, back) = std::sync::mpsc::channel::<Box<Model>>();
    scope.spawn(move || {
        let mut model: Option<Box<Model>> = None;
        loop {
            let job = match inbox.recv_timeout(std::time::Duration::from_millis(20)) {
                Ok(job) => job,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !stop.load(std::sync::atomic::Ordering::Relaxed) => continue,
                Err(_) => break,
            };
            match job {
                Job::Take(m) => model = Some(m),
                Job::Apply(node, range) => {
                    if let Some(m) = &mut model {
                        m.apply(&node, range, source, lines, file);
                    }
                }
                Job::Give => {
                    if let Some(m) = model.take() {
                        let _ = outbox.send(m);
                    }
                }
            }
        }
    });
    WorkerLink { jobs, back }
}

/// The empty schema accessors fall back on if the model is ever asked for
/// while it is away (a bug: [`needs_schema`] must then say so).
fn empty_schema() -> &'static Schema {
    static EMPTY: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Schema::new(Dialect::Postgres))
}

/// An open transaction block.
#[derive(Debug, Clone, Default)]
pub(crate) struct Transaction {
    /// The `BEGIN`, or `None` when the runner opened it.
    pub(crate) begin: Option<Range>,
    /// How many `BEGIN`s are open (more than one is a mistake).
    pub(crate) depth: u32,
    /// The first ACCESS EXCLUSIVE lock on an existing table taken in it:
    /// the table and the statement.
    pub(crate) access_exclusive: Option<(String, Range)>,
    /// Constraints added NOT VALID in this transaction: `(table, name)`.
    pub(crate) not_valid_added: HashSet<(String, String)>,
}

/// The `schema.name` key of a relation; unqualified names are in `public`.
pub(crate) fn relation_key(rv: &RangeVar) -> String {
    let schema = if rv.schemaname.is_empty() { "public" } else { &rv.schemaname };
    format!("{schema}.{}", rv.relname)
}

/// The key of a model name.
pub(crate) fn name_key(name: &QualifiedName) -> String {
    format!("{}.{}", name.schema, name.name)
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

/// The model name of a `schema.name` key.
fn key_name(key: &str) -> QualifiedName {
    match key.split_once('.') {
        Some((schema, name)) => QualifiedName::new(schema, name),
        None => QualifiedName::new("public", key),
    }
}

impl Context {
    /// The context at the top of a file linted with `options`.
    pub(crate) fn new(options: &LintOptions) -> Self {
        let schema = options.schema.as_deref().cloned().unwrap_or_else(|| Schema::new(Dialect::Postgres));
        Self {
            model: Some(Model { replayer: StatementReplayer::new(schema), unnamed_indexes: HashMap::new(), added_constraints: HashMap::new() }),
            worker: None,
            created_tables: HashMap::new(),
            created_indexes: HashMap::new(),
            created_schemas: HashSet::new(),
            transaction: options.transactional.then(|| Transaction { begin: None, depth: 1, ..Transaction::default() }),
            lock_timeout: false,
            statement_timeout: false,
            pending_not_null_checks: HashMap::new(),
            proven_not_null: HashSet::new(),
        }
    }

    /// The schema before the statement being checked: `--schema` with the
    /// migration's earlier statements applied.
    pub(crate) fn schema(&self) -> &Schema {
        match &self.model {
            Some(model) => model.replayer.schema(),
            None => {
                debug_assert!(false, "the schema model was read while the worker held it: needs_schema misses a statement kind");
                empty_schema()
            }
        }
    }

    /// Lets a worker thread replay statements while the rules do not need
    /// the schema.
    pub(crate) fn with_worker(&mut self, worker: WorkerLink) {
        self.worker = Some(worker);
    }

    /// Makes sure the model is here, up to date with every statement
    /// recorded so far: before the rules of a statement that needs it run,
    /// and at the end of the file.
    pub(crate) fn fetch_model(&mut self) {
        if self.model.is_some() {
            return;
        }
        if let Some(worker) = &self.worker {
            if worker.jobs.send(Job::Give).is_ok() {
                self.model = worker.back.recv().ok().map(|m| *m);
            }
        }
    }

    /// Stops the worker (after [`Context::fetch_model`]): its thread ends
    /// when it sees the link close.
    pub(crate) fn end_worker(&mut self) {
        self.worker = None;
    }

    /// Hands the model to the worker, if there is one.
    fn lend_model(&mut self) {
        let Some(worker) = &self.worker else { return };
        let Some(model) = self.model.take() else { return };
        if let Err(std::sync::mpsc::SendError(Job::Take(model))) = worker.jobs.send(Job::Take(Box::new(model))) {
            self.model = Some(*model);
        }
    }

    /// The schema after the last statement.
    pub(crate) fn into_schema(mut self) -> Schema {
        self.fetch_model();
        self.model.map(|m| m.replayer.into_schema()).unwrap_or_else(|| empty_schema().clone())
    }

    /// The table a relation names, as the schema knows it before the
    /// statement.
    pub(crate) fn table(&self, rv: &RangeVar) -> Option<&Table> {
        self.table_by_key(&relation_key(rv))
    }

    /// The table with key `schema.name`.
    pub(crate) fn table_by_key(&self, key: &str) -> Option<&Table> {
        self.schema().tables.get(&key_name(key))
    }

    /// A column of a table, as the schema knows it before the statement.
    pub(crate) fn column(&self, rv: &RangeVar, column: &str) -> Option<&Column> {
        self.table(rv)?.column(column)
    }

    /// The table an index (key `schema.name`) is on, when the schema knows
    /// the index; indexes behind constraints count too.
    pub(crate) fn index_table(&self, key: &str) -> Option<String> {
        let name = key_name(key);
        if let Some(index) = self.schema().indexes.get(&name) {
            return Some(name_key(&index.table));
        }
        self.schema()
            .tables
            .iter()
            .find(|(table, t)| table.schema == name.schema && t.constraints.get(&name.name).is_some_and(|c| c.kind.has_index()))
            .map(|(table, _)| name_key(table))
    }

    /// The indexes on a table (not those behind constraints).
    pub(crate) fn indexes_on<'s>(&'s self, table: &'s str) -> impl Iterator<Item = (&'s QualifiedName, &'s Index)> + 's {
        self.schema().indexes.iter().filter(move |(_, i)| name_key(&i.table) == table)
    }

    /// Whether an earlier statement created the relation.
    pub(crate) fn created_table(&self, rv: &RangeVar) -> bool {
        self.created_tables.contains_key(&relation_key(rv))
    }

    /// Whether an earlier statement created the table with key `schema.name`.
    pub(crate) fn created_table_key(&self, key: &str) -> bool {
        self.created_tables.contains_key(key)
    }

    /// The statement that created a table, if the migration did.
    pub(crate) fn table_origin(&self, key: &str) -> Option<Range> {
        self.created_tables.get(key).copied()
    }

    /// Whether an earlier statement created the index with key `schema.name`.
    pub(crate) fn created_index_key(&self, key: &str) -> bool {
        self.created_indexes.contains_key(key) || self.model.as_ref().is_some_and(|m| m.unnamed_indexes.contains_key(key))
    }

    /// The statement that created an index, if the migration did.
    pub(crate) fn index_origin(&self, key: &str) -> Option<Range> {
        self.created_indexes.get(key).or_else(|| self.model.as_ref().and_then(|m| m.unnamed_indexes.get(key))).copied()
    }

    /// The statement that added a table's constraint, if the migration did.
    pub(crate) fn constraint_origin(&self, table: &str, constraint: &str) -> Option<Range> {
        self.model.as_ref()?.added_constraints.get(&(table.to_string(), constraint.to_string())).copied()
    }

    /// The relations the migration created (`schema.name`), with the
    /// creating statement, in file order.
    pub(crate) fn created_tables(&self) -> Vec<(&str, Range)> {
        let mut created: Vec<(&str, Range)> = self.created_tables.iter().map(|(k, r)| (k.as_str(), *r)).collect();
        created.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
        created
    }

    /// The constraints the migration added, as `(table, constraint)` with
    /// the statement, in file order.
    pub(crate) fn added_constraints(&self) -> Vec<(&str, &str, Range)> {
        let Some(model) = &self.model else { return Vec::new() };
        let mut added: Vec<(&str, &str, Range)> = model.added_constraints.iter().map(|((t, c), r)| (t.as_str(), c.as_str(), *r)).collect();
        added.sort_by(|a, b| (a.2, a.0, a.1).cmp(&(b.2, b.0, b.1)));
        added
    }

    /// Whether an earlier statement created the schema.
    pub(crate) fn created_schema(&self, name: &str) -> bool {
        self.created_schemas.contains(name)
    }

    /// Whether a transaction is open (a `BEGIN`, or the runner's own when
    /// it wraps files in one).
    pub(crate) fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    /// The open transaction.
    pub(crate) fn transaction(&self) -> Option<&Transaction> {
        self.transaction.as_ref()
    }

    /// Whether `SET lock_timeout` ran earlier in the file.
    pub(crate) fn lock_timeout_set(&self) -> bool {
        self.lock_timeout
    }

    /// Whether `SET statement_timeout` ran earlier in the file.
    pub(crate) fn statement_timeout_set(&self) -> bool {
        self.statement_timeout
    }

    /// Whether a validated `CHECK (column IS NOT NULL)` on the table already
    /// proves the column has no NULLs.
    pub(crate) fn proven_not_null(&self, rv: &RangeVar, column: &str) -> bool {
        self.proven_not_null.contains(&(relation_key(rv), column.to_string()))
    }

    /// Takes the effects of a checked statement into account. `range` is
    /// where it is in `source`.
    pub(crate) fn record(&mut self, stmt: Node, range: Range, source: &str, lines: &LineIndex, file: &str) {
        let Some(node) = stmt.node.as_ref() else { return };
        self.record_transaction(node, range);
        match node {
            NodeEnum::CreateStmt(s) => self.create_table(s.relation.as_ref(), range),
            NodeEnum::CreateTableAsStmt(s) => self.create_table(s.into.as_ref().and_then(|i| i.rel.as_ref()), range),
            NodeEnum::ViewStmt(s) => self.create_table(s.view.as_ref(), range),
            NodeEnum::IndexStmt(s) if !s.idxname.is_empty() => {
                let schema = s.relation.as_ref().map_or("", |r| r.schemaname.as_str());
                let schema = if schema.is_empty() { "public" } else { schema };
                self.created_indexes.insert(format!("{schema}.{}", s.idxname), range);
            }
            NodeEnum::CreateSchemaStmt(s) => {
                self.created_schemas.insert(s.schemaname.clone());
            }
            NodeEnum::RenameStmt(s) => self.rename(s),
            NodeEnum::AlterTableStmt(s) => {
                if let Some(rv) = &s.relation {
                    for cmd in &s.cmds {
                        if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node {
                            self.alter_table_cmd(rv, cmd, range);
                        }
                    }
                }
            }
            NodeEnum::VariableSetStmt(s) => {
                let value = setting_is_nonzero(s);
                match s.name.as_str() {
                    "lock_timeout" => self.lock_timeout = value,
                    "statement_timeout" => self.statement_timeout = value,
                    _ => {}
                }
            }
            _ => {}
        }
        // The statement's own checks ran with the model as it was before it;
        // now the model takes it in: on the worker when there is one (the
        // next statement that needs the model fetches it back), here
        // otherwise.
        self.lend_model();
        if self.model.is_none() {
            if let Some(worker) = &self.worker {
                let _ = worker.jobs.send(Job::Apply(Box::new(stmt), range));
            }
            return;
        }
        if let Some(model) = &mut self.model {
            model.apply(&stmt, range, source, lines, file);
        }
    }

    /// Whether the rules of `node` may read the schema model: every
    /// statement except the kinds listed here, which rules check without
    /// it when every table they name was created by the migration (as in a
    /// schema dump). Anything else fetches the model first.
    pub(crate) fn needs_schema(&self, node: &NodeEnum) -> bool {
        let created = |rv: Option<&RangeVar>| rv.is_some_and(|rv| self.created_table(rv));
        let references_created = |elements: &[Node]| {
            elements.iter().all(|e| match &e.node {
                Some(NodeEnum::Constraint(c)) => c.pktable.as_ref().is_none_or(|t| self.created_table(t)),
                Some(NodeEnum::ColumnDef(c)) => crate::rules::column_constraints(c).all(|c| c.pktable.as_ref().is_none_or(|t| self.created_table(t))),
                _ => true,
            })
        };
        match node {
            NodeEnum::CreateStmt(s) => !(references_created(&s.table_elts) && s.inh_relations.is_empty() && s.partbound.is_none()),
            NodeEnum::IndexStmt(s) => !created(s.relation.as_ref()),
            NodeEnum::AlterTableStmt(s) if s.objtype() == ObjectType::ObjectIndex => {
                // ALTER INDEX of an index the migration created (a dump's
                // ATTACH PARTITION).
                !s.relation.as_ref().is_some_and(|rv| self.created_indexes.contains_key(&relation_key(rv)))
            }
            NodeEnum::AlterTableStmt(s) => {
                let defs: Vec<Node> = crate::rules::alter_table_cmds(s).filter_map(|c| c.def.as_deref().cloned()).collect();
                !(s.objtype() == ObjectType::ObjectTable && created(s.relation.as_ref()) && references_created(&defs))
            }
            NodeEnum::CreateTrigStmt(s) => !created(s.relation.as_ref()),
            NodeEnum::CommentStmt(_)
            | NodeEnum::VariableSetStmt(_)
            | NodeEnum::VariableShowStmt(_)
            | NodeEnum::TransactionStmt(_)
            | NodeEnum::SelectStmt(_)
            | NodeEnum::CreateSeqStmt(_)
            | NodeEnum::AlterSeqStmt(_)
            | NodeEnum::CreateFunctionStmt(_)
            | NodeEnum::CreateEnumStmt(_)
            | NodeEnum::CreateDomainStmt(_)
            | NodeEnum::CompositeTypeStmt(_)
            | NodeEnum::CreateRangeStmt(_)
            | NodeEnum::CreateExtensionStmt(_)
            | NodeEnum::CreateSchemaStmt(_)
            | NodeEnum::GrantStmt(_)
            | NodeEnum::AlterOwnerStmt(_)
            | NodeEnum::ViewStmt(_)
            | NodeEnum::CreatePolicyStmt(_)
            | NodeEnum::AlterDefaultPrivilegesStmt(_)
            | NodeEnum::CreateStatsStmt(_)
            | NodeEnum::DefineStmt(_) => false,
            _ => true,
        }
    }

    /// Keeps the transaction state and the locks held in it.
    fn record_transaction(&mut self, node: &NodeEnum, range: Range) {
        if let NodeEnum::TransactionStmt(s) = node {
            match s.kind() {
                TransactionStmtKind::TransStmtBegin | TransactionStmtKind::TransStmtStart => match &mut self.transaction {
                    Some(t) => t.depth += 1,
                    None => self.transaction = Some(Transaction { begin: Some(range), depth: 1, ..Transaction::default() }),
                },
                TransactionStmtKind::TransStmtCommit | TransactionStmtKind::TransStmtRollback | TransactionStmtKind::TransStmtPrepare => {
                    self.transaction = None;
                }
                _ => {}
            }
            return;
        }
        let locks = table_locks(node, self);
        let Some(transaction) = &mut self.transaction else { return };
        if transaction.access_exclusive.is_none() {
            if let Some(lock) = locks.iter().find(|l| l.mode == LockMode::AccessExclusive) {
                transaction.access_exclusive = Some((lock.table.clone(), range));
            }
        }
        if let NodeEnum::AlterTableStmt(s) = node {
            let Some(rv) = &s.relation else { return };
            for cmd in crate::rules::alter_table_cmds(s) {
                if let (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c))) = (cmd.subtype(), crate::rules::cmd_def(cmd)) {
                    if c.skip_validation && !c.conname.is_empty() {
                        transaction.not_valid_added.insert((relation_key(rv), c.conname.clone()));
                    }
                }
            }
        }
    }

    fn create_table(&mut self, rv: Option<&RangeVar>, range: Range) {
        if let Some(rv) = rv {
            self.created_tables.insert(relation_key(rv), range);
        }
    }

    fn rename(&mut self, s: &pg_query::protobuf::RenameStmt) {
        let Some(rv) = &s.relation else { return };
        let old = relation_key(rv);
        let schema = old.split_once('.').map_or("public", |(schema, _)| schema);
        let new = format!("{schema}.{}", s.newname);
        match s.rename_type() {
            ObjectType::ObjectTable | ObjectType::ObjectView | ObjectType::ObjectMatview => {
                if let Some(range) = self.created_tables.remove(&old) {
                    self.created_tables.insert(new, range);
                }
            }
            ObjectType::ObjectIndex => {
                if let Some(range) = self.created_indexes.remove(&old) {
                    self.created_indexes.insert(new, range);
                }
            }
            _ => {}
        }
    }

    fn alter_table_cmd(&mut self, rv: &RangeVar, cmd: &AlterTableCmd, range: Range) {
        let table = relation_key(rv);
        match cmd.subtype() {
            AlterTableType::AtAddConstraint => {
                let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return };
                if matches!(c.contype(), ConstrType::ConstrPrimary | ConstrType::ConstrUnique | ConstrType::ConstrExclusion) && !c.conname.is_empty() {
                    // The constraint's index takes the constraint's name, in
                    // the table's schema: a new index, or with USING INDEX
                    // the renamed one (new if the migration created it).
                    let schema = if rv.schemaname.is_empty() { "public" } else { rv.schemaname.as_str() };
                    let created = if c.indexname.is_empty() { Some(range) } else { self.created_indexes.remove(&format!("{schema}.{}", c.indexname)) };
                    if let Some(origin) = created {
                        self.created_indexes.insert(format!("{schema}.{}", c.conname), origin);
                    }
                }
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

/// The table whose constraints a statement may add to.
fn touched_table(node: &NodeEnum) -> Option<String> {
    match node {
        NodeEnum::CreateStmt(s) => s.relation.as_ref().map(relation_key),
        NodeEnum::AlterTableStmt(s) if s.objtype() == ObjectType::ObjectTable => s.relation.as_ref().map(relation_key),
        _ => None,
    }
}

/// Whether `SET name = value` sets a non-zero timeout (`0` and `DEFAULT`
/// switch it off).
fn setting_is_nonzero(s: &pg_query::protobuf::VariableSetStmt) -> bool {
    if s.kind() != VariableSetKind::VarSetValue {
        return false;
    }
    s.args.iter().any(|arg| match &arg.node {
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(pg_query::protobuf::a_const::Val::Ival(i)) => i.ival != 0,
            Some(pg_query::protobuf::a_const::Val::Sval(s)) => {
                let digits: String = s.sval.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
                digits.parse::<f64>().map_or(true, |v| v != 0.0)
            }
            Some(pg_query::protobuf::a_const::Val::Fval(f)) => f.fval.parse::<f64>().map_or(true, |v| v != 0.0),
            _ => false,
        },
        _ => false,
    })
}

/// The column of a `column IS NOT NULL` test.
pub(crate) fn is_not_null_test(node: &Node) -> Option<String> {
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
