//! Every rule against its fixture (`fixtures/<rule-id>.sql`), with a
//! snapshot of the rendered diagnostics; and the noise test on GitLab's
//! structure.sql.

use std::collections::BTreeMap;
use std::path::PathBuf;

use astrola_lint::{lint_sql, rules, Category, LintOptions};

fn manifest_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

#[test]
fn every_rule_fires_on_its_fixture_as_the_snapshot_shows() {
    // Problems are collected, so that one rule's missing fixture does not
    // hide the snapshots of the others.
    let mut problems = Vec::new();
    for rule in rules() {
        let path = manifest_path(&format!("tests/fixtures/{}.sql", rule.id));
        let sql = match std::fs::read_to_string(&path) {
            Ok(sql) => sql,
            Err(e) => {
                problems.push(format!("{}: no fixture ({e})", rule.id));
                continue;
            }
        };
        let file = format!("fixtures/{}.sql", rule.id);
        let found: Vec<_> = lint_sql(&sql, &file, &fixture_options(rule.id)).into_iter().filter(|d| d.rule == rule.id).collect();
        if found.is_empty() {
            problems.push(format!("{} does not fire on its fixture", rule.id));
        }
        for d in &found {
            if d.severity != rule.severity {
                problems.push(format!("{}: severity {} instead of {}", rule.id, d.severity, rule.severity));
            }
            if sql[d.span.start..d.span.end].len() > d.statement.len().max(1) {
                problems.push(format!("{}: span wider than its statement", rule.id));
            }
        }
        let rendered: String = found.iter().map(|d| d.render(&sql) + "\n").collect();
        insta::assert_snapshot!(rule.id, rendered);
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The options a fixture is linted with: the defaults, with the rule
/// switched on (for rules that are off by default) and, when
/// `schemas/<rule-id>.sql` exists, that schema as the one before the
/// migration (`--schema`).
fn fixture_options(id: &str) -> LintOptions {
    let mut options = LintOptions::default();
    options.rules.enable.insert(id.to_string());
    let schema_path = manifest_path(&format!("tests/schemas/{id}.sql"));
    if let Ok(schema_sql) = std::fs::read_to_string(&schema_path) {
        let parsed = astrola_core::parse_sql(&schema_sql, astrola_core::Dialect::Postgres).unwrap_or_else(|e| panic!("{}: {e}", schema_path.display()));
        options.schema = Some(std::sync::Arc::new(parsed.schema));
    }
    options
}

#[test]
fn every_fixture_belongs_to_a_rule() {
    let ids: Vec<_> = rules().iter().map(|r| r.id).collect();
    for entry in std::fs::read_dir(manifest_path("tests/fixtures")).expect("fixtures directory") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".sql").unwrap_or(&name);
        assert!(ids.contains(&id), "fixture {name} has no rule");
    }
    for entry in std::fs::read_dir(manifest_path("tests/schemas")).expect("schemas directory") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".sql").unwrap_or(&name);
        assert!(ids.contains(&id), "schema {name} has no rule");
    }
}

#[test]
fn volatile_default_rule_follows_the_postgres_version() {
    let sql = "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\nALTER TABLE users ADD COLUMN note text DEFAULT NULL;\n";
    let rules_at = |pg_version| -> Vec<&str> { lint_sql(sql, "m.sql", &LintOptions { pg_version, ..LintOptions::default() }).iter().map(|d| d.rule).collect() };
    assert_eq!(rules_at(10), ["add-column-volatile-default"]);
    assert!(rules_at(11).is_empty());
}

#[test]
fn set_not_null_after_a_validated_check_scans_before_postgres_12() {
    let sql = "SET lock_timeout = '2s';\nALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT c;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n";
    let rules_at = |pg_version| -> Vec<&str> { lint_sql(sql, "m.sql", &LintOptions { pg_version, ..LintOptions::default() }).iter().map(|d| d.rule).collect() };
    assert_eq!(rules_at(11), ["set-not-null"]);
    assert!(rules_at(12).is_empty());
}

#[test]
fn diagnostics_serialise_with_snake_case_severity() {
    let found = lint_sql("DROP TABLE t;", "m.sql", &LintOptions::default());
    let json = serde_json::to_value(&found).expect("serialises");
    assert_eq!(json[0]["rule"], "drop-table");
    assert_eq!(json[0]["severity"], "warning");
    assert_eq!(json[0]["span"]["line"], 1);
    assert_eq!(json[0]["statement"], "DROP TABLE t");
}

/// Every table in a schema dump is created in the file, so nothing may be
/// reported about locks or rewrites.
#[test]
fn gitlab_structure_has_no_locking_or_rewrite_findings() {
    let path = manifest_path("../../../shared/corpus/schemas/gitlab/structure.sql");
    let sql = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let found = lint_sql(&sql, "structure.sql", &LintOptions::default());
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &found {
        *by_rule.entry(d.rule).or_default() += 1;
    }
    println!("GitLab structure.sql: {} findings", found.len());
    for (rule, count) in &by_rule {
        println!("  {rule}: {count}");
    }
    let category = |id: &str| rules().iter().find(|r| r.id == id).map(|r| r.category);
    let noisy: Vec<_> = found.iter().filter(|d| matches!(category(d.rule), Some(Category::Locking | Category::Rewrite))).take(5).collect();
    assert!(noisy.is_empty(), "{noisy:#?}");
    assert_eq!(by_rule.get("syntax-error"), None, "structure.sql parses");
}
