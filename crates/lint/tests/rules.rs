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
    for rule in rules() {
        let path = manifest_path(&format!("tests/fixtures/{}.sql", rule.id));
        let sql = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: no fixture ({e})", rule.id));
        let file = format!("fixtures/{}.sql", rule.id);
        let found: Vec<_> = lint_sql(&sql, &file, &LintOptions::default()).into_iter().filter(|d| d.rule == rule.id).collect();
        assert!(!found.is_empty(), "{} does not fire on its fixture", rule.id);
        for d in &found {
            assert_eq!(d.severity, rule.severity, "{}", rule.id);
            assert!(sql[d.span.start..d.span.end].len() <= d.statement.len().max(1), "{}: span wider than its statement", rule.id);
        }
        let rendered: String = found.iter().map(|d| d.render(&sql) + "\n").collect();
        insta::assert_snapshot!(rule.id, rendered);
    }
}

#[test]
fn every_fixture_belongs_to_a_rule() {
    let ids: Vec<_> = rules().iter().map(|r| r.id).collect();
    for entry in std::fs::read_dir(manifest_path("tests/fixtures")).expect("fixtures directory") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".sql").unwrap_or(&name);
        assert!(ids.contains(&id), "fixture {name} has no rule");
    }
}

#[test]
fn volatile_default_rule_follows_the_postgres_version() {
    let sql = "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\nALTER TABLE users ADD COLUMN note text DEFAULT NULL;\n";
    let rules_at = |pg_version| -> Vec<&str> { lint_sql(sql, "m.sql", &LintOptions { pg_version, ..LintOptions::default() }).iter().map(|d| d.rule).collect() };
    assert_eq!(rules_at(10), ["add-column-volatile-default"]);
    assert!(rules_at(11).is_empty());
}

#[test]
fn set_not_null_after_a_validated_check_scans_before_postgres_12() {
    let sql = "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT c;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n";
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
