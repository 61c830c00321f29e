//! End-to-end tests of online plans: the planner's plan, run by the reference
//! executor (`astrola_examples::executor`) on the local PostgreSQL while a
//! writer inserts and updates rows throughout.
//!
//! Each scenario:
//!
//! 1. loads FROM (schema and data, made with `generate_series`) into a new
//!    database and plans FROM -> TO with `astrola_planner::plan`;
//! 2. for a plan with a backfill, copies that database twice (`CREATE
//!    DATABASE ... TEMPLATE`) and runs the plan in both with the
//!    `astrola-execute` binary: once uninterrupted, once SIGKILLed about
//!    halfway through the backfill (watched through the executor's
//!    checkpoint table) and started again; the two must end with the same
//!    data;
//! 3. runs the plan in the first database with the executor, through every
//!    gate, while a writer (its own connection) inserts and updates rows.
//!    At each gate the test "deploys": the writer switches to the code the
//!    gate asks for (in the rename, from the old column to the new one). An
//!    application transaction holds ROW EXCLUSIVE on the table for the
//!    first 3.5 s, so a first step whose lock blocks writes hits its
//!    lock_timeout (the writer queued behind it meanwhile) and is retried;
//! 4. checks: no write failed, every write is there afterwards (each
//!    inserted or updated row holds the last value written to it), the
//!    worst write latency is below the plan's lock_timeout plus a margin,
//!    the backfills verified (the executor fails otherwise), and the dumped
//!    schema is TO: equal to TO loaded directly and dumped, `diff(dumped,
//!    TO)` is empty, and `plan(dumped, TO)` is empty.
//!
//! Two small tests check the binary's gates, approvals, pre-flight checks
//! and exit codes, and the wait on replication lag.
//!
//! Every scenario prints one summary line (`--no-capture` shows it). The
//! server must be running: these tests fail, never skip, when it is not.
//! They run one at a time (`.config/nextest.toml`), so that one scenario's
//! load does not show up as another's write latency.

#[path = "../../crates/core/tests/common"]
mod common {
    pub mod postgres;
}
// Only `normalised` is used here.
#[allow(dead_code)]
#[path = "../../crates/diff/tests/pg_oracle/mod.rs"]
mod pg_oracle;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::{sleep, JoinHandle};
use std::time::{Duration, Instant};

use astrola_core::{parse_sql, Dialect, Schema};
use astrola_diff::{diff, DiffOptions};
use astrola_examples::executor::{self, GateMode, Options, Outcome};
use astrola_planner::{plan, Plan, PlanOptions, StepKind};
use common::postgres::{Database, Server};
use pg_oracle::normalised;
use postgres::types::Type;
use postgres::{Client, NoTls};

/// The plans' lock_timeout. Writers queue behind a DDL statement that waits
/// for its lock, so the worst write latency is about this long.
const LOCK_TIMEOUT_MS: u64 = 2000;
/// What a write may take beyond the lock_timeout: the DDL statement that
/// finally gets its lock still runs (milliseconds, as it is metadata-only),
/// then the queued write runs, on two shared, noisy cores.
const LATENCY_MARGIN_MS: u64 = 500;

fn host() -> String {
    std::env::var("ASTROLA_PGHOST").unwrap_or_else(|_| "127.0.0.1".into())
}

fn user() -> String {
    std::env::var("ASTROLA_PGUSER").unwrap_or_else(|_| "postgres".into())
}

fn conninfo(db: &str) -> String {
    format!("host={} user={} dbname={db} application_name=astrola-e2e", host(), user())
}

/// The server's message, which `postgres::Error`'s Display leaves out.
fn pg(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

fn connect(db: &str) -> Client {
    Client::connect(&conninfo(db), NoTls).unwrap_or_else(|e| panic!("connect to {db}: {e}"))
}

/// A copy of a database (`CREATE DATABASE ... TEMPLATE`), dropped on drop.
struct Copy {
    name: String,
}

impl Copy {
    fn of(template: &str, suffix: &str) -> Copy {
        let name = format!("{template}_{suffix}");
        let mut admin = connect("postgres");
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY"))
            .unwrap_or_else(|e| panic!("copy {template}: {}", pg(&e)));
        Copy { name }
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&conninfo("postgres"), NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// A table the writer writes, as old and new application code do it.
struct Target {
    /// The table.
    table: &'static str,
    /// Its key column.
    key: &'static str,
    /// An expression whose value is the last value written to the row.
    probe: &'static str,
    /// Inserts a row: `$1` the value (bigint), `$2` a random id in
    /// `1..=ref_ids` (bigint); returns the new key as bigint. Old code,
    /// then the code deployed at the gate.
    insert: [&'static str; 2],
    /// Updates a row: `$1` its key, `$2` the value (both bigint).
    update: [&'static str; 2],
    /// Keys `1..=ids` exist before the plan runs.
    ids: i64,
    /// The range of `$2` of inserts.
    ref_ids: i64,
}

struct Scenario {
    name: &'static str,
    from: &'static str,
    data: &'static str,
    to: &'static str,
    /// Rows loaded, in all tables (for the summary).
    rows: u64,
    targets: Vec<Target>,
    /// Queries whose results must be equal after an uninterrupted and a
    /// killed-and-resumed run.
    digests: Vec<&'static str>,
    /// Kill the first backfill once its checkpoint's first key reaches this.
    kill_at: i64,
}

fn plan_options(s: &Scenario) -> PlanOptions {
    let to = parse_sql(s.to, Dialect::Postgres).unwrap_or_else(|e| panic!("{}: TO: {e}", s.name));
    // Batches start at 2,000 rows and adapt toward 250 ms each (the
    // executor's adaptive sizing, within 200..=20,000 rows).
    PlanOptions { lock_timeout_ms: LOCK_TIMEOUT_MS, batch_size: 2000, target_batch_ms: Some(250), renames: to.renames, ..PlanOptions::default() }
}

fn schema(sql: &str) -> Schema {
    parse_sql(sql, Dialect::Postgres).unwrap_or_else(|e| panic!("parse: {e}")).schema
}

/// What the writer saw.
#[derive(Default)]
struct Writes {
    attempted: u64,
    ok: u64,
    failed: u64,
    errors: Vec<String>,
    worst: Duration,
    latencies: Vec<Duration>,
    /// Per target: key -> the last value written.
    expected: Vec<HashMap<i64, i64>>,
}

struct Writer {
    stop: Arc<AtomicBool>,
    stage: Arc<AtomicUsize>,
    deployed: Arc<AtomicUsize>,
    handle: JoinHandle<Writes>,
}

impl Writer {
    /// Starts writing with the old code (`insert[0]`, `update[0]`); after
    /// the first deploy, with the new code (`[1]`).
    fn start(db: &str, targets: Arc<Vec<Target>>) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let stage = Arc::new(AtomicUsize::new(0));
        let deployed = Arc::new(AtomicUsize::new(0));
        let mut client = connect(db);
        let (s, st, dep) = (stop.clone(), stage.clone(), deployed.clone());
        let handle = std::thread::spawn(move || {
            let mut w = Writes { expected: targets.iter().map(|_| HashMap::new()).collect(), ..Writes::default() };
            let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
            let mut random = move |n: i64| -> i64 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                1 + (seed % n.max(1) as u64) as i64
            };
            let mut value: i64 = 1_000_000_000;
            let mut code = usize::MAX;
            let mut statements = Vec::new();
            while !s.load(Ordering::Relaxed) {
                let now = st.load(Ordering::Relaxed).min(1);
                if now != code {
                    code = now;
                    statements = targets
                        .iter()
                        .map(|t| {
                            let mut prepare = |sql: &str| client.prepare_typed(sql, &[Type::INT8, Type::INT8]);
                            (prepare(t.insert[code]), prepare(t.update[code]))
                        })
                        .collect();
                    dep.store(st.load(Ordering::Relaxed), Ordering::Relaxed);
                }
                for (i, t) in targets.iter().enumerate() {
                    for insert in [true, false] {
                        value += 1;
                        w.attempted += 1;
                        let started = Instant::now();
                        let result: Result<i64, String> = match (&statements[i], insert) {
                            ((Ok(ins), _), true) => client.query_one(ins, &[&value, &random(t.ref_ids)]).map(|r| r.get::<_, i64>(0)).map_err(|e| pg(&e)),
                            ((_, Ok(upd)), false) => {
                                let key = random(t.ids);
                                client.execute(upd, &[&key, &value]).map(|n| if n == 1 { key } else { -1 }).map_err(|e| pg(&e))
                            }
                            ((Err(e), _), true) | ((_, Err(e)), false) => Err(format!("prepare: {e}")),
                        };
                        let took = started.elapsed();
                        w.worst = w.worst.max(took);
                        w.latencies.push(took);
                        match result {
                            Ok(key) if key > 0 => {
                                w.ok += 1;
                                w.expected[i].insert(key, value);
                            }
                            Ok(_) => {
                                w.failed += 1;
                                if w.errors.len() < 10 {
                                    w.errors.push(format!("{}: the write touched no row", t.table));
                                }
                            }
                            Err(e) => {
                                w.failed += 1;
                                if w.errors.len() < 10 {
                                    w.errors.push(format!("{}: {e}", t.table));
                                }
                            }
                        }
                    }
                }
                sleep(Duration::from_millis(2));
            }
            w
        });
        Writer { stop, stage, deployed, handle }
    }

    /// "Deploys" the code of stage `stage` and waits until the writer uses it.
    fn deploy(&self, stage: usize) {
        self.stage.store(stage, Ordering::Relaxed);
        let started = Instant::now();
        while self.deployed.load(Ordering::Relaxed) != stage {
            assert!(started.elapsed() < Duration::from_secs(30), "the writer did not switch code");
            sleep(Duration::from_millis(5));
        }
        // One more round of writes with the new code.
        sleep(Duration::from_millis(50));
    }

    fn finish(self) -> Writes {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap_or_else(|_| panic!("the writer panicked"))
    }
}

/// An application transaction that holds ROW EXCLUSIVE on `table` (as any
/// open transaction that wrote to it does) for `hold`, starting now. It
/// does not block writers, but a step whose lock blocks writes waits for it:
/// the step's lock_timeout cuts that wait (writers queue behind the waiting
/// step meanwhile) and the step is retried.
fn long_transaction(db: &str, table: &'static str, hold: Duration) -> JoinHandle<()> {
    let mut client = connect(db);
    let (locked, wait) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        let mut tx = client.transaction().unwrap_or_else(|e| panic!("BEGIN: {}", pg(&e)));
        tx.batch_execute(&format!("LOCK TABLE {table} IN ROW EXCLUSIVE MODE")).unwrap_or_else(|e| panic!("LOCK: {}", pg(&e)));
        let _ = locked.send(());
        sleep(hold);
        tx.commit().unwrap_or_else(|e| panic!("COMMIT: {}", pg(&e)));
    });
    let _ = wait.recv();
    handle
}

fn percentile(latencies: &mut [Duration], p: f64) -> Duration {
    if latencies.is_empty() {
        return Duration::ZERO;
    }
    latencies.sort();
    let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
    latencies[i.min(latencies.len() - 1)]
}

fn scalar(client: &mut Client, sql: &str) -> String {
    client
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {}", pg(&e)))
        .get::<_, Option<String>>(0)
        .unwrap_or_else(|| "NULL".into())
}

/// Runs the `astrola-execute` binary.
fn execute(plan: &str, db: &str, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_astrola-execute"))
        .args(["--plan", plan, "--database", &conninfo(db)])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run astrola-execute: {e}"))
}

fn finished(child: std::process::Child, what: &str) -> String {
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what}: astrola-execute failed ({}):\n{text}", out.status);
    text
}

/// Kills the executor halfway through the first backfill and resumes it;
/// compares the data with an uninterrupted run. Returns a summary.
fn kill_and_resume(s: &Scenario, base: &str, plan: &Plan) -> String {
    let backfill = plan
        .steps()
        .find(|st| st.kind == StepKind::Backfill)
        .map(|st| st.id.clone())
        .unwrap_or_else(|| panic!("{}: the plan has no backfill", s.name));
    let path = std::env::temp_dir().join(format!("astrola-e2e-{}-{}.json", s.name, std::process::id()));
    std::fs::write(&path, plan.to_json()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let path_str = path.to_string_lossy().into_owned();
    let whole = Copy::of(base, "u");
    let killed = Copy::of(base, "k");

    // Both runs go at once (they share nothing but the server).
    let started = Instant::now();
    let whole_run = execute(&path_str, &whole.name, &["--through-gates", "--approve-all", "--quiet"]);
    let mut child = execute(&path_str, &killed.name, &["--through-gates", "--approve-all", "--quiet"]);
    let mut watch = connect(&killed.name);
    let at = loop {
        let key = watch
            .query_opt("SELECT checkpoint[1] FROM astrola_executor.steps WHERE step = $1 AND status = 'running'", &[&backfill])
            .ok()
            .flatten()
            .and_then(|r| r.get::<_, Option<String>>(0))
            .and_then(|k| k.parse::<i64>().ok());
        if key.is_some_and(|k| k >= s.kill_at) {
            child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
            let _ = child.wait();
            break key.unwrap_or_default();
        }
        if let Ok(Some(_)) = child.try_wait() {
            let out = finished(child, "the run to kill");
            panic!("{}: the executor finished before the backfill reached key {}:\n{out}", s.name, s.kill_at);
        }
        sleep(Duration::from_millis(10));
    };
    let row = watch
        .query_one("SELECT status, checkpoint[1] FROM astrola_executor.steps WHERE step = $1", &[&backfill])
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, checkpoint): (String, Option<String>) = (row.get(0), row.get(1));
    assert_eq!(status, "running", "{}: killed at key {at}, the backfill should be unfinished", s.name);
    drop(watch);
    finished(whole_run, "uninterrupted run");
    let uninterrupted = started.elapsed();
    let resumed = finished(execute(&path_str, &killed.name, &["--through-gates", "--approve-all"]), "resumed run");
    let checkpoint = checkpoint.unwrap_or_default();
    assert!(
        resumed.contains(&format!("step {backfill}: resuming after key ({checkpoint})")),
        "{}: the second run did not resume {backfill} from key {checkpoint}:\n{resumed}",
        s.name
    );
    let _ = std::fs::remove_file(&path);

    let (mut a, mut b) = (connect(&whole.name), connect(&killed.name));
    for q in &s.digests {
        let (x, y) = (scalar(&mut a, q), scalar(&mut b, q));
        assert_eq!(x, y, "{}: the killed-and-resumed run's data differs from the uninterrupted run's:\n  {q}", s.name);
        assert_ne!(x, "NULL", "{}: the digest is empty: {q}", s.name);
    }
    format!(
        "killed at key {checkpoint} of {} (SIGKILL), resumed, {} digests equal to those of an uninterrupted run (run alongside, {:.1} s)",
        s.targets[0].ids,
        s.digests.len(),
        uninterrupted.as_secs_f64()
    )
}

fn run_scenario(s: Scenario) {
    let total = Instant::now();
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let db = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    db.load(&format!("{}\n{}\nVACUUM ANALYZE;", s.from, s.data)).unwrap_or_else(|e| panic!("{}: loading FROM: {e}", s.name));
    let load_time = started.elapsed();

    let from = schema(s.from);
    let to = schema(s.to);
    let options = plan_options(&s);
    let plan = plan(&from, &to, None, &options).unwrap_or_else(|e| panic!("{}: plan: {e}", s.name));
    assert!(!plan.is_empty(), "{}: the plan is empty", s.name);
    for step in plan.steps() {
        if step.lock.as_ref().is_some_and(|l| l.mode.blocks_writes()) {
            assert!(step.lock_timeout_ms.is_some(), "{}: step {} blocks writes and has no lock_timeout", s.name, step.id);
        }
        assert!(step.blocking.is_none(), "{}: step {} is not online: {:?}", s.name, step.id, step.blocking);
    }
    let has_backfill = plan.steps().any(|st| st.kind == StepKind::Backfill);
    let kill = if has_backfill { kill_and_resume(&s, &db.name, &plan) } else { "no backfill".to_string() };

    // The run under writes.
    let targets = Arc::new(s.targets);
    let writer = Writer::start(&db.name, targets.clone());
    sleep(Duration::from_millis(300));
    let mut client = connect(&db.name);
    let mut log = Vec::new();
    // The test is the operator: it approves the drops of the old columns
    // (their copies were verified by the backfills).
    let mut options = Options { approve_all: true, ..Options::default() };
    let mut gates = 0;
    let mut batches = 0;
    let mut sizes = Vec::new();
    let mut retries = 0;
    let run_started = Instant::now();
    let obstacle = long_transaction(&db.name, targets[0].table, Duration::from_millis(LOCK_TIMEOUT_MS + 1500));
    loop {
        let outcome = executor::run(&mut client, &plan, &options, &mut |line: &str| log.push(line.to_string()));
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                let w = writer.finish();
                panic!("{}: the executor failed: {e}\nlog:\n{}\nwriter errors: {:?}", s.name, log.join("\n"), w.errors);
            }
        };
        batches += outcome.summary().backfills.iter().map(|b| b.batches).sum::<u64>();
        for b in &outcome.summary().backfills {
            sizes.push(format!("{} rows, slowest {} ms", b.final_batch_size, b.slowest_batch.as_millis()));
        }
        retries += outcome.summary().retries;
        match outcome {
            Outcome::Finished(_) => break,
            Outcome::Gate(_, _) => {
                gates += 1;
                writer.deploy(gates);
                options.gates = GateMode::Resume;
            }
        }
    }
    let run_time = run_started.elapsed();
    obstacle.join().unwrap_or_else(|_| panic!("the long transaction failed"));
    sleep(Duration::from_millis(300));
    let mut w = writer.finish();
    for line in &log {
        eprintln!("  {}: {line}", s.name);
    }

    // Every write is there.
    let mut missing = Vec::new();
    for (t, expected) in targets.iter().zip(&w.expected) {
        let keys: Vec<i64> = expected.keys().copied().collect();
        let sql = format!("SELECT {key}::bigint, ({probe})::bigint FROM {table} WHERE {key} = ANY($1::bigint[])", key = t.key, probe = t.probe, table = t.table);
        let rows = client.query(&sql, &[&keys]).unwrap_or_else(|e| panic!("{sql}: {}", pg(&e)));
        let found: HashMap<i64, i64> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        for (k, v) in expected {
            if found.get(k) != Some(v) {
                missing.push(format!("{}.{}={k}: wrote {v}, found {:?}", t.table, t.key, found.get(k)));
            }
        }
    }

    // The schema is TO.
    db.load("DROP SCHEMA astrola_executor CASCADE").unwrap_or_else(|e| panic!("{e}"));
    let dumped = schema(&db.dump().unwrap_or_else(|e| panic!("{e}")));
    let direct = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
    direct.load(s.to).unwrap_or_else(|e| panic!("{}: loading TO: {e}", s.name));
    let wanted = schema(&direct.dump().unwrap_or_else(|e| panic!("{e}")));
    let again = diff(&normalised(dumped.clone()), &normalised(to.clone()), &DiffOptions { allow_destructive: true, renames: Vec::new() })
        .unwrap_or_else(|e| panic!("{}: diff: {e}", s.name));
    let replan = astrola_planner::plan(&dumped, &to, None, &PlanOptions::default()).unwrap_or_else(|e| panic!("{}: plan: {e}", s.name));

    let p99 = percentile(&mut w.latencies, 0.99);
    println!(
        "online-plan {}: {} rows (loaded in {:.1} s); writes {} attempted, {} ok, {} failed; write latency worst {} ms, p99 {} ms (lock_timeout {} ms + margin {} ms); \
         {} backfill batches (last batch size and slowest batch: {}), {} retries, {} gates; plan run {:.1} s under writes; kill/resume: {kill}; total {:.1} s",
        s.name,
        s.rows,
        load_time.as_secs_f64(),
        w.attempted,
        w.ok,
        w.failed,
        w.worst.as_millis(),
        p99.as_millis(),
        LOCK_TIMEOUT_MS,
        LATENCY_MARGIN_MS,
        batches,
        if sizes.is_empty() { "-".to_string() } else { sizes.join("; ") },
        retries,
        gates,
        run_time.as_secs_f64(),
        total.elapsed().as_secs_f64()
    );
    assert_eq!(w.failed, 0, "{}: {} writes failed: {:?}", s.name, w.failed, w.errors);
    assert!(w.ok > 100, "{}: the writer barely wrote ({} writes)", s.name, w.ok);
    assert!(missing.is_empty(), "{}: {} writes are lost, e.g. {:?}", s.name, missing.len(), &missing[..missing.len().min(5)]);
    assert!(
        w.worst < Duration::from_millis(LOCK_TIMEOUT_MS + LATENCY_MARGIN_MS),
        "{}: the worst write took {} ms, more than lock_timeout {LOCK_TIMEOUT_MS} ms + {LATENCY_MARGIN_MS} ms",
        s.name,
        w.worst.as_millis()
    );
    if plan.steps().next().and_then(|st| st.lock.as_ref()).is_some_and(|l| l.mode.blocks_writes() && l.table == targets[0].table) {
        assert!(retries > 0, "{}: the first step should have hit its lock_timeout behind the long transaction and been retried", s.name);
    }
    let kinds: Vec<String> = again.changes.iter().map(|c| format!("{} {}", c.change.kind(), c.object)).collect();
    assert!(kinds.is_empty(), "{}: diff(dumped, TO) is not empty: {kinds:?}\n{}", s.name, again.sql());
    assert!(replan.is_empty(), "{}: plan(dumped, TO) is not empty:\n{}", s.name, replan.to_json());
    assert!(
        normalised(dumped.clone()) == normalised(wanted.clone()),
        "{}: the migrated schema differs from TO loaded directly:\n{}",
        s.name,
        diff(&normalised(dumped), &normalised(wanted), &DiffOptions { allow_destructive: true, renames: Vec::new() })
            .map(|c| c.sql())
            .unwrap_or_default()
    );
}

const MILLION: i64 = 1_000_000;

#[test]
fn not_null_column_with_a_backfilled_value() {
    run_scenario(Scenario {
        name: "not-null-backfilled",
        from: "CREATE TABLE public.accounts (
                 id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                 email text NOT NULL,
                 balance bigint NOT NULL DEFAULT 0
               );",
        data: "INSERT INTO public.accounts (id, email, balance)
                 SELECT g, 'user' || g || '@example.com', g % 1000 FROM generate_series(1, 1000000) g;
               SELECT setval(pg_get_serial_sequence('public.accounts', 'id'), 1000000);",
        to: "CREATE TABLE public.accounts (
               id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
               email text NOT NULL,
               balance bigint NOT NULL DEFAULT 0,
               public_id uuid NOT NULL DEFAULT gen_random_uuid()
             );",
        rows: MILLION as u64,
        targets: vec![Target {
            table: "public.accounts",
            key: "id",
            probe: "balance",
            insert: ["INSERT INTO public.accounts (email, balance) VALUES ('w' || $1::bigint || '@example.com', $1::bigint) RETURNING id::bigint"; 2],
            update: ["UPDATE public.accounts SET balance = $2::bigint WHERE id = $1::bigint"; 2],
            ids: MILLION,
            ref_ids: 1,
        }],
        // The new value is random (gen_random_uuid()): the runs agree on
        // every other column, on which rows have one, and on its being
        // unique.
        digests: vec![
            "SELECT md5(string_agg((id, email, balance, public_id IS NOT NULL)::text, E'\\n' ORDER BY id)) FROM public.accounts",
            "SELECT (count(DISTINCT public_id) = count(*) AND count(*) = 1000000)::text FROM public.accounts",
        ],
        kill_at: MILLION / 2,
    });
}

#[test]
fn int_to_bigint_on_a_referenced_primary_key() {
    run_scenario(Scenario {
        name: "int-to-bigint-pk",
        from: "CREATE TABLE public.customers (
                 id serial PRIMARY KEY,
                 name text NOT NULL,
                 score bigint NOT NULL DEFAULT 0
               );
               CREATE TABLE public.orders (
                 id bigserial PRIMARY KEY,
                 customer_id integer NOT NULL REFERENCES public.customers (id),
                 amount bigint NOT NULL
               );
               CREATE INDEX orders_customer_id_idx ON public.orders (customer_id);",
        data: "INSERT INTO public.customers (id, name, score) SELECT g, 'customer ' || g, g % 100 FROM generate_series(1, 1000000) g;
               SELECT setval('public.customers_id_seq', 1000000);
               INSERT INTO public.orders (id, customer_id, amount) SELECT g, 1 + (g * 7919) % 1000000, g % 5000 FROM generate_series(1, 200000) g;
               SELECT setval('public.orders_id_seq', 200000);",
        to: "CREATE TABLE public.customers (
               id bigserial PRIMARY KEY,
               name text NOT NULL,
               score bigint NOT NULL DEFAULT 0
             );
             CREATE TABLE public.orders (
               id bigserial PRIMARY KEY,
               customer_id bigint NOT NULL REFERENCES public.customers (id),
               amount bigint NOT NULL
             );
             CREATE INDEX orders_customer_id_idx ON public.orders (customer_id);",
        rows: 1_200_000,
        targets: vec![
            Target {
                table: "public.customers",
                key: "id",
                probe: "score",
                insert: ["INSERT INTO public.customers (name, score) VALUES ('w' || $1::bigint, $1::bigint) RETURNING id::bigint"; 2],
                update: ["UPDATE public.customers SET score = $2::bigint WHERE id = $1::bigint"; 2],
                ids: MILLION,
                ref_ids: 1,
            },
            Target {
                table: "public.orders",
                key: "id",
                probe: "amount",
                insert: ["INSERT INTO public.orders (customer_id, amount) VALUES ($2::bigint, $1::bigint) RETURNING id::bigint"; 2],
                update: ["UPDATE public.orders SET amount = $2::bigint WHERE id = $1::bigint"; 2],
                ids: 200_000,
                ref_ids: MILLION,
            },
        ],
        digests: vec![
            "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM public.customers AS t",
            "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM public.orders AS t",
        ],
        kill_at: MILLION / 2,
    });
}

#[test]
fn adding_a_unique_constraint() {
    run_scenario(Scenario {
        name: "add-unique",
        from: "CREATE TABLE public.users (
                 id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                 email text NOT NULL,
                 visits bigint NOT NULL DEFAULT 0
               );",
        data: "INSERT INTO public.users (id, email, visits) SELECT g, 'user' || g || '@example.com', 0 FROM generate_series(1, 200000) g;
               SELECT setval(pg_get_serial_sequence('public.users', 'id'), 200000);",
        to: "CREATE TABLE public.users (
               id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
               email text NOT NULL,
               visits bigint NOT NULL DEFAULT 0,
               CONSTRAINT users_email_key UNIQUE (email)
             );",
        rows: 200_000,
        targets: vec![Target {
            table: "public.users",
            key: "id",
            probe: "visits",
            insert: ["INSERT INTO public.users (email, visits) VALUES ('w' || $1::bigint || '@example.com', $1::bigint) RETURNING id::bigint"; 2],
            update: ["UPDATE public.users SET visits = $2::bigint WHERE id = $1::bigint"; 2],
            ids: 200_000,
            ref_ids: 1,
        }],
        digests: Vec::new(),
        kill_at: 0,
    });
}

#[test]
fn adding_a_foreign_key() {
    run_scenario(Scenario {
        name: "add-fk",
        from: "CREATE TABLE public.authors (
                 id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                 name text NOT NULL
               );
               CREATE TABLE public.books (
                 id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                 author_id bigint NOT NULL,
                 pages bigint NOT NULL
               );
               CREATE INDEX books_author_id_idx ON public.books (author_id);",
        data: "INSERT INTO public.authors (id, name) SELECT g, 'author ' || g FROM generate_series(1, 100000) g;
               SELECT setval(pg_get_serial_sequence('public.authors', 'id'), 100000);
               INSERT INTO public.books (id, author_id, pages) SELECT g, 1 + g % 100000, g % 700 FROM generate_series(1, 200000) g;
               SELECT setval(pg_get_serial_sequence('public.books', 'id'), 200000);",
        to: "CREATE TABLE public.authors (
               id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
               name text NOT NULL
             );
             CREATE TABLE public.books (
               id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
               author_id bigint NOT NULL,
               pages bigint NOT NULL,
               CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.authors (id)
             );
             CREATE INDEX books_author_id_idx ON public.books (author_id);",
        rows: 300_000,
        targets: vec![Target {
            table: "public.books",
            key: "id",
            probe: "pages",
            insert: ["INSERT INTO public.books (author_id, pages) VALUES ($2::bigint, $1::bigint) RETURNING id::bigint"; 2],
            update: ["UPDATE public.books SET pages = $2::bigint WHERE id = $1::bigint"; 2],
            ids: 200_000,
            ref_ids: 100_000,
        }],
        digests: Vec::new(),
        kill_at: 0,
    });
}

#[test]
fn set_not_null() {
    run_scenario(Scenario {
        name: "set-not-null",
        from: "CREATE TABLE public.profiles (
                 id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                 bio text,
                 views bigint NOT NULL DEFAULT 0
               );",
        data: "INSERT INTO public.profiles (id, bio, views) SELECT g, 'bio ' || g, 0 FROM generate_series(1, 200000) g;
               SELECT setval(pg_get_serial_sequence('public.profiles', 'id'), 200000);",
        to: "CREATE TABLE public.profiles (
               id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
               bio text NOT NULL,
               views bigint NOT NULL DEFAULT 0
             );",
        rows: 200_000,
        targets: vec![Target {
            table: "public.profiles",
            key: "id",
            probe: "views",
            insert: ["INSERT INTO public.profiles (bio, views) VALUES ('bio w' || $1::bigint, $1::bigint) RETURNING id::bigint"; 2],
            update: ["UPDATE public.profiles SET views = $2::bigint WHERE id = $1::bigint"; 2],
            ids: 200_000,
            ref_ids: 1,
        }],
        digests: Vec::new(),
        kill_at: 0,
    });
}

#[test]
fn renaming_a_column_through_expand_and_contract() {
    run_scenario(Scenario {
        name: "rename-column",
        from: "CREATE TABLE public.people (
                 id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                 full_name text NOT NULL,
                 edits bigint NOT NULL DEFAULT 0
               );",
        data: "INSERT INTO public.people (id, full_name, edits) SELECT g, 'person ' || g, 0 FROM generate_series(1, 200000) g;
               SELECT setval(pg_get_serial_sequence('public.people', 'id'), 200000);",
        to: "CREATE TABLE public.people (
               id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
               display_name text NOT NULL, -- @renamed from=full_name
               edits bigint NOT NULL DEFAULT 0
             );",
        rows: 200_000,
        targets: vec![Target {
            table: "public.people",
            key: "id",
            // The name written is a function of the value: the probe checks
            // the name column too, old or new.
            probe: "CASE WHEN right(display_name, length(edits::text)) = edits::text THEN edits ELSE -edits END",
            insert: [
                "INSERT INTO public.people (full_name, edits) VALUES ('w' || $1::bigint, $1::bigint) RETURNING id::bigint",
                "INSERT INTO public.people (display_name, edits) VALUES ('w' || $1::bigint, $1::bigint) RETURNING id::bigint",
            ],
            update: [
                "UPDATE public.people SET full_name = 'u' || $2::bigint, edits = $2::bigint WHERE id = $1::bigint",
                "UPDATE public.people SET display_name = 'u' || $2::bigint, edits = $2::bigint WHERE id = $1::bigint",
            ],
            ids: 200_000,
            ref_ids: 1,
        }],
        digests: vec!["SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM public.people AS t"],
        kill_at: 100_000,
    });
}

/// Runs the binary to its end and returns (exit code, stdout and stderr).
fn execute_status(plan: &str, db: &str, args: &[&str]) -> (i32, String) {
    let out = execute(plan, db, args).wait_with_output().unwrap_or_else(|e| panic!("astrola-execute: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// The binary's contract on a small table: it stops at a gate (again and
/// again until told to pass it), stops before a step that needs approval,
/// skips finished steps, refuses a plan whose pre-flight check fails, and
/// exits 2 on a plan it cannot read.
#[test]
fn the_executor_stops_at_gates_approvals_and_failed_preflight_checks() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let db = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
    let from = "CREATE TABLE public.people (id bigint PRIMARY KEY, full_name text NOT NULL, bio text);";
    let to = "CREATE TABLE public.people (id bigint PRIMARY KEY, display_name text NOT NULL, -- @renamed from=full_name
              bio text);";
    db.load(&format!("{from}\nINSERT INTO public.people SELECT g, 'p' || g, CASE WHEN g = 7 THEN NULL ELSE 'b' END FROM generate_series(1, 1000) g;"))
        .unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, plan: &Plan| -> String {
        let path = std::env::temp_dir().join(format!("astrola-e2e-{name}-{}.json", std::process::id()));
        std::fs::write(&path, plan.to_json()).unwrap_or_else(|e| panic!("{e}"));
        path.to_string_lossy().into_owned()
    };
    let options = PlanOptions { renames: parse_sql(to, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).renames, ..PlanOptions::default() };
    let rename = plan(&schema(from), &schema(to), None, &options).unwrap_or_else(|e| panic!("{e}"));
    let gate = rename.phases.iter().find_map(|p| p.gate.clone()).unwrap_or_else(|| panic!("the rename has no gate"));
    let approval = rename.steps().find(|s| s.approval.is_some()).map(|s| s.id.clone()).unwrap_or_else(|| panic!("no step needs approval"));
    let path = write("rename", &rename);

    let (code, out) = execute_status(&path, &db.name, &[]);
    assert!(code == 0 && out.contains(&format!("stopped at gate {}", gate.id)), "first run ({code}):\n{out}");
    let (code, out) = execute_status(&path, &db.name, &["--until-gate"]);
    assert!(code == 0 && out.contains(&format!("stopped at gate {}", gate.id)) && out.contains("(0 steps run"), "second run ({code}):\n{out}");
    let (code, out) = execute_status(&path, &db.name, &["--resume"]);
    assert!(code == 1 && out.contains(&format!("step {approval} needs approval")), "third run ({code}):\n{out}");
    let (code, out) = execute_status(&path, &db.name, &["--approve", &approval]);
    assert!(code == 0 && out.contains("finished"), "fourth run ({code}):\n{out}");
    let (code, out) = execute_status(&path, &db.name, &[]);
    assert!(code == 0 && out.contains("finished: 0 steps run"), "fifth run ({code}):\n{out}");
    let _ = std::fs::remove_file(&path);

    let not_null = "CREATE TABLE public.people (id bigint PRIMARY KEY, display_name text NOT NULL, bio text NOT NULL);";
    let after = "CREATE TABLE public.people (id bigint PRIMARY KEY, display_name text NOT NULL, bio text);";
    let set = plan(&schema(after), &schema(not_null), None, &PlanOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = write("not-null", &set);
    let (code, out) = execute_status(&path, &db.name, &["--through-gates"]);
    assert!(code == 1 && out.contains("pre-flight check failed") && out.contains("IS NULL") && out.contains("(returned 1)"), "pre-flight ({code}):\n{out}");
    std::fs::write(&path, "{\"format\": 1, \"phases\": 3}").unwrap_or_else(|e| panic!("{e}"));
    let (code, out) = execute_status(&path, &db.name, &[]);
    assert!(code == 2 && out.contains("invalid plan"), "bad plan ({code}):\n{out}");
    let _ = std::fs::remove_file(&path);
}

/// A backfill waits while the plan's lag query reports more than the
/// largest lag tolerated, and goes on once it drops.
#[test]
fn backfills_wait_while_replication_lags() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let db = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
    let from = "CREATE TABLE public.items (id bigint PRIMARY KEY, label text NOT NULL);";
    let to = "CREATE TABLE public.items (id bigint PRIMARY KEY, title text NOT NULL -- @renamed from=label
              );";
    db.load(&format!(
        "{from}\nINSERT INTO public.items SELECT g, 'i' || g FROM generate_series(1, 2000) g;
         CREATE SCHEMA ops; CREATE TABLE ops.lag (ms bigint); INSERT INTO ops.lag VALUES (60000);"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let options = PlanOptions {
        renames: parse_sql(to, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).renames,
        lag_query: Some("SELECT ms FROM ops.lag".into()),
        max_lag_ms: Some(1000),
        batch_size: 500,
        ..PlanOptions::default()
    };
    let plan = plan(&schema(from), &schema(to), None, &options).unwrap_or_else(|e| panic!("{e}"));
    let name = db.name.clone();
    let lowers = std::thread::spawn(move || {
        sleep(Duration::from_millis(1500));
        connect(&name).batch_execute("UPDATE ops.lag SET ms = 10").unwrap_or_else(|e| panic!("{}", pg(&e)));
    });
    let mut client = connect(&db.name);
    let mut log = Vec::new();
    let started = Instant::now();
    let outcome = executor::run(&mut client, &plan, &Options::default(), &mut |l: &str| log.push(l.to_string()))
        .unwrap_or_else(|e| panic!("{e}\n{}", log.join("\n")));
    let waited = started.elapsed();
    lowers.join().unwrap_or_else(|_| panic!("the lag thread failed"));
    assert!(matches!(outcome, Outcome::Gate(..)), "the rename stops at its gate");
    assert!(log.iter().any(|l| l.contains("replication lag 60000 ms > 1000 ms, waiting")), "{}", log.join("\n"));
    assert!(waited >= Duration::from_millis(1500), "the backfill did not wait for the lag: {waited:?}");
    let b = &outcome.summary().backfills[0];
    assert_eq!((b.total_batches, b.rows), (4, 2000), "{}", log.join("\n"));
}
