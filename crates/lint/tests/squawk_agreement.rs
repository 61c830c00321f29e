//! Agreement with squawk (squawk-cli 2.70.0 from PyPI, installed by
//! scripts/setup; `ASTROLA_SQUAWK` names the binary): squawk and astrola
//! lint the same inputs (this crate's rule fixtures, and migrations written
//! here from the corpus schemas, one operation per existing table), and
//! every finding squawk makes must be matched by an astrola finding of a
//! corresponding rule on the same statement, or be listed in
//! `squawk_disagreements.txt` with the reason we disagree. A listed
//! disagreement that no longer occurs fails the test too, so the list stays
//! true. The test fails, never skips, when squawk cannot run.
//!
//! astrola runs with every rule switched on (its opt-in idempotency rules
//! included), so the comparison is of what each linter can find.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use astrola_core::ident::quote_ident;
use astrola_core::model::Schema;
use astrola_core::{parse_sql, Dialect};
use astrola_lint::{lint_sql, rules, LintOptions};

/// squawk's rules and the astrola rules that report the same hazard.
const CORRESPONDING: &[(&str, &[&str])] = &[
    ("adding-field-with-default", &["add-column-volatile-default", "add-stored-generated-column"]),
    ("adding-foreign-key-constraint", &["add-foreign-key-without-not-valid"]),
    ("adding-not-nullable-field", &["set-not-null", "add-required-column"]),
    ("adding-primary-key-constraint", &["add-unique-constraint", "primary-key-on-nullable-column"]),
    ("adding-required-field", &["add-required-column"]),
    ("adding-serial-primary-key-field", &["add-unique-constraint", "add-column-volatile-default", "add-stored-generated-column"]),
    ("ban-char-field", &["prefer-text-over-char"]),
    ("ban-concurrent-index-creation-in-transaction", &["concurrently-in-transaction"]),
    ("ban-drop-column", &["drop-column"]),
    ("ban-drop-constraint", &["drop-foreign-key"]),
    ("ban-drop-schema", &["drop-schema"]),
    ("ban-drop-database", &["drop-database"]),
    ("ban-drop-not-null", &["drop-not-null"]),
    ("ban-drop-table", &["drop-table"]),
    ("ban-truncate-cascade", &["truncate"]),
    ("ban-uncommitted-transaction", &["unfinished-transaction"]),
    ("changing-column-type", &["change-column-type", "change-column-collation"]),
    // squawk also reports UNIQUE, PRIMARY KEY and EXCLUDE here, which have no NOT VALID form.
    ("constraint-missing-not-valid", &["add-check-without-not-valid", "add-foreign-key-without-not-valid", "validate-constraint-in-same-transaction", "add-unique-constraint", "primary-key-on-nullable-column", "add-exclusion-constraint"]),
    ("disallowed-unique-constraint", &["add-unique-constraint"]),
    ("prefer-big-int", &["prefer-bigint-over-int"]),
    ("prefer-bigint-over-int", &["prefer-bigint-over-int"]),
    ("prefer-bigint-over-smallint", &["prefer-bigint-over-int"]),
    ("prefer-identity", &["prefer-identity-over-serial"]),
    ("prefer-robust-stmts", &["require-if-not-exists", "require-if-exists"]),
    ("prefer-text-field", &["prefer-text-over-varchar"]),
    ("prefer-timestamptz", &["prefer-timestamptz"]),
    ("prefer-timestamp-tz", &["prefer-timestamptz"]),
    ("identifier-too-long", &["identifier-too-long"]),
    ("require-concurrent-reindex", &["reindex-non-concurrently"]),
    ("require-concurrent-partition-detach", &["detach-partition-non-concurrently"]),
    ("renaming-column", &["rename-column"]),
    ("renaming-table", &["rename-table"]),
    ("require-concurrent-index-creation", &["create-index-non-concurrently"]),
    ("require-concurrent-index-deletion", &["drop-index-non-concurrently"]),
    ("require-lock-timeout", &["missing-lock-timeout"]),
    ("require-statement-timeout", &["missing-statement-timeout"]),
    ("require-timeout-settings", &["missing-lock-timeout", "missing-statement-timeout"]),
    ("transaction-nesting", &["nested-transaction", "unfinished-transaction"]),
    ("syntax-error", &["syntax-error"]),
];

/// The corpus schemas migrations are written from.
const SCHEMAS: &[&str] = &["chinook/Chinook_PostgreSql.sql", "pagila/pagila-schema.2024-10.sql", "sakila/postgres-sakila-schema.sql", "northwind/northwind.sql", "danbooru/structure.sql"];

fn manifest_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// One finding of squawk's JSON reporter (lines are 0-based).
#[derive(serde::Deserialize)]
struct SquawkFinding {
    file: String,
    line: usize,
    column: usize,
    rule_name: String,
}

/// A listed disagreement: a squawk rule, and `file:line` or `*` for all of
/// its findings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Disagreement {
    rule: String,
    location: String,
}

fn disagreements() -> BTreeMap<Disagreement, String> {
    let text = std::fs::read_to_string(manifest_path("tests/squawk_disagreements.txt")).expect("squawk_disagreements.txt");
    let mut listed = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(rule), Some(location)) = (words.next(), words.next()) else { panic!("squawk_disagreements.txt:{}: expected `rule location reason`", number + 1) };
        let reason = words.collect::<Vec<_>>().join(" ");
        assert!(!reason.is_empty(), "squawk_disagreements.txt:{}: no reason given", number + 1);
        listed.insert(Disagreement { rule: rule.to_string(), location: location.to_string() }, reason.to_string());
    }
    listed
}

/// A migration touching each table of `schema` once, cycling through the
/// operations that lock, rewrite, fail on existing data or lose data.
fn migration_from(schema: &Schema) -> String {
    let mut sql = String::new();
    let tables: Vec<_> = schema.tables.iter().filter(|(_, t)| t.partition_of.is_none() && !t.columns.is_empty()).collect();
    let referable: Vec<(String, String)> = tables.iter().filter_map(|(name, t)| t.primary_key().filter(|(_, pk)| pk.kind.columns().len() == 1).map(|(_, pk)| (format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name)), pk.kind.columns()[0].clone()))).collect();
    for (i, (name, table)) in tables.iter().enumerate() {
        let t = format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name));
        let first = quote_ident(&table.columns[0].name);
        let last = quote_ident(&table.columns[table.columns.len() - 1].name);
        let nullable = table.columns.iter().find(|c| !c.not_null).map(|c| quote_ident(&c.name));
        let required = table.columns.iter().skip(1).find(|c| c.not_null).map(|c| quote_ident(&c.name));
        let short = &name.name.chars().take(20).collect::<String>();
        let statement = match i % 20 {
            0 => format!("CREATE INDEX {} ON {t} ({first});", quote_ident(&format!("{short}_gen_idx"))),
            1 => format!("ALTER TABLE {t} ADD COLUMN extra_flag integer NOT NULL;"),
            2 => format!("ALTER TABLE {t} ADD COLUMN extra_uid uuid DEFAULT gen_random_uuid();"),
            3 => nullable.map_or(String::new(), |c| format!("ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;")),
            4 => format!("ALTER TABLE {t} ALTER COLUMN {first} TYPE text;"),
            5 => match referable.get(i % referable.len().max(1)) {
                Some((target, pk)) => format!("ALTER TABLE {t} ADD COLUMN ref_id bigint;\nALTER TABLE {t} ADD CONSTRAINT {} FOREIGN KEY (ref_id) REFERENCES {target} ({});", quote_ident(&format!("{short}_ref_fk")), quote_ident(pk)),
                None => String::new(),
            },
            6 => format!("ALTER TABLE {t} ADD CONSTRAINT {} UNIQUE ({first});", quote_ident(&format!("{short}_gen_key"))),
            7 => format!("ALTER TABLE {t} RENAME COLUMN {last} TO renamed_column;"),
            8 => format!("ALTER TABLE {t} RENAME TO {};", quote_ident(&format!("{short}_renamed"))),
            9 => format!("ALTER TABLE {t} DROP COLUMN {last};"),
            10 => match schema.indexes.iter().find(|(_, ix)| &ix.table == *name) {
                Some((index, _)) => format!("DROP INDEX {}.{};", quote_ident(&index.schema), quote_ident(&index.name)),
                None => format!("CREATE UNIQUE INDEX {} ON {t} ({first});", quote_ident(&format!("{short}_gen_uidx"))),
            },
            11 => format!("BEGIN;\nCREATE INDEX CONCURRENTLY {} ON {t} ({last});\nCOMMIT;", quote_ident(&format!("{short}_gen_cidx"))),
            12 => format!("ALTER TABLE {t} ADD COLUMN payload json, ADD COLUMN code char(4), ADD COLUMN seen timestamp, ADD COLUMN label varchar(40), ADD COLUMN counter integer;"),
            13 => required.map_or(String::new(), |c| format!("ALTER TABLE {t} ALTER COLUMN {c} DROP NOT NULL;")),
            14 => format!("TRUNCATE {t} CASCADE;"),
            15 => format!("BEGIN;\nALTER TABLE {t} ADD CONSTRAINT {c} CHECK ({first} IS NOT NULL) NOT VALID;\nALTER TABLE {t} VALIDATE CONSTRAINT {c};\nCOMMIT;", c = quote_ident(&format!("{short}_gen_check"))),
            16 => format!("ALTER TABLE {t} ADD CONSTRAINT {} CHECK ({first} IS NOT NULL);", quote_ident(&format!("{short}_gen_check"))),
            17 => format!("ALTER TABLE {t} ADD COLUMN serial_no bigserial;"),
            18 => format!("DROP TABLE {t};"),
            _ => format!("ALTER TABLE {t} ADD COLUMN total numeric GENERATED ALWAYS AS (1) STORED;"),
        };
        if !statement.is_empty() {
            sql.push_str(&statement);
            sql.push('\n');
        }
    }
    sql
}

/// The inputs: (name, SQL, the schema before it). A fixture's schema is
/// `tests/schemas/<rule-id>.sql` when there is one, as in `tests/rules.rs`;
/// squawk, which reads no schema, sees the same migration.
fn inputs() -> Vec<(String, String, Option<Schema>)> {
    let mut inputs = Vec::new();
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(manifest_path("tests/fixtures")).expect("fixtures").filter_map(|e| e.ok().map(|e| e.path())).collect();
    fixtures.sort();
    for path in fixtures {
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let schema = std::fs::read_to_string(manifest_path(&format!("tests/schemas/{file}"))).ok().map(|sql| parse_sql(&sql, Dialect::Postgres).unwrap_or_else(|e| panic!("tests/schemas/{file}: {e}")).schema);
        inputs.push((format!("fixtures/{file}"), std::fs::read_to_string(&path).expect("fixture reads"), schema));
    }
    for schema in SCHEMAS {
        let path = manifest_path(&format!("../../../shared/corpus/schemas/{schema}"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let parsed = parse_sql(&text, Dialect::Postgres).unwrap_or_else(|e| panic!("{schema}: {e}"));
        let stem = schema.split('/').next().unwrap_or(schema);
        inputs.push((format!("corpus/{stem}.sql"), migration_from(&parsed.schema), Some(parsed.schema)));
    }
    inputs
}

fn squawk_binary() -> String {
    let binary = std::env::var("ASTROLA_SQUAWK").unwrap_or_else(|_| "squawk".into());
    let version = Command::new(&binary).arg("--version").output();
    match version {
        Ok(out) if String::from_utf8_lossy(&out.stdout).trim() == "squawk 2.70.0" => binary,
        Ok(out) => panic!("{binary} is {}, expected squawk 2.70.0 (scripts/setup installs it)", String::from_utf8_lossy(&out.stdout).trim()),
        Err(e) => panic!("squawk cannot run ({binary}: {e}); run scripts/setup, or set ASTROLA_SQUAWK. This test never skips."),
    }
}

/// The byte offset of a 0-based line and column.
fn offset(sql: &str, line: usize, column: usize) -> usize {
    let start: usize = sql.split_inclusive('\n').take(line).map(str::len).sum();
    let text = sql.get(start..).unwrap_or_default();
    start + text.char_indices().nth(column).map_or(text.len().min(column), |(i, _)| i)
}

#[test]
fn every_squawk_finding_is_matched_or_listed_with_a_reason() {
    let squawk = squawk_binary();
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = inputs();
    let mut paths = Vec::new();
    for (name, sql, _) in &inputs {
        let path = dir.path().join(name.replace('/', "__"));
        std::fs::write(&path, sql).expect("writes");
        paths.push(path);
    }
    let out = Command::new(&squawk).args(["--reporter", "json", "--pg-version", "15"]).args(&paths).output().expect("squawk runs");
    let found: Vec<SquawkFinding> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("squawk's output is not its JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));

    let mut options = LintOptions::default();
    options.rules.enable = rules().iter().map(|r| r.id.to_string()).collect();
    let corresponding: BTreeMap<&str, &[&str]> = CORRESPONDING.iter().copied().collect();
    let listed = disagreements();
    let mut used: BTreeSet<Disagreement> = BTreeSet::new();
    let mut unexplained = Vec::new();
    let mut tally: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut matched_statements: BTreeSet<(String, usize)> = BTreeSet::new();
    let mut ours_by_input = BTreeMap::new();
    for (name, sql, schema) in &inputs {
        let options = LintOptions { schema: schema.clone().map(std::sync::Arc::new), ..options.clone() };
        ours_by_input.insert(name.clone(), lint_sql(sql, name, &options));
    }
    for finding in &found {
        let Some((index, _)) = paths.iter().enumerate().find(|(_, p)| Path::new(&finding.file) == p.as_path()) else { panic!("squawk names an unknown file {}", finding.file) };
        let (name, sql, _) = &inputs[index];
        let ranges = astrola_core::frontend::postgres::statement_ranges(sql, name).unwrap_or_default();
        let at = offset(sql, finding.line, finding.column);
        // The statement the finding is on: the last one starting at or before it.
        let statement = ranges.iter().rev().find(|r| r.0 <= at).copied().unwrap_or((0, sql.len()));
        let ours = &ours_by_input[name];
        let wanted = corresponding.get(finding.rule_name.as_str()).copied().unwrap_or(&[]);
        let line = sql[..statement.0].matches('\n').count() + 1;
        let entry = tally.entry(finding.rule_name.clone()).or_default();
        entry.0 += 1;
        if ours.iter().any(|d| wanted.contains(&d.rule) && d.span.start >= statement.0 && d.span.start <= statement.1.max(statement.0)) {
            entry.1 += 1;
            matched_statements.insert((name.clone(), statement.0));
            continue;
        }
        let exact = Disagreement { rule: finding.rule_name.clone(), location: format!("{name}:{line}") };
        let whole = Disagreement { rule: finding.rule_name.clone(), location: "*".into() };
        if listed.contains_key(&exact) {
            used.insert(exact);
            entry.2 += 1;
        } else if listed.contains_key(&whole) {
            used.insert(whole);
            entry.2 += 1;
        } else {
            unexplained.push(format!("{}\t{name}:{line}\t{}", finding.rule_name, sql[statement.0..statement.1].lines().next().unwrap_or_default()));
        }
    }
    println!("squawk finding                                  total  matched  listed");
    for (rule, (total, matched, listed)) in &tally {
        println!("{rule:<48}{total:>5}{matched:>9}{listed:>8}");
    }
    let total: usize = tally.values().map(|t| t.0).sum();
    let matched: usize = tally.values().map(|t| t.1).sum();
    println!("all squawk findings: {total}, matched by astrola: {matched}, listed disagreements: {}", total - matched - unexplained.len());
    let extra: usize = ours_by_input.values().flatten().filter(|d| d.rule != "syntax-error").count();
    println!("astrola findings on the same inputs: {extra}");
    let stale: Vec<_> = listed.keys().filter(|d| !used.contains(*d)).collect();
    assert!(unexplained.is_empty(), "{} squawk finding(s) neither matched nor listed in squawk_disagreements.txt:\n{}", unexplained.len(), unexplained.join("\n"));
    assert!(stale.is_empty(), "listed disagreements that no longer occur: {stale:?}");
}
