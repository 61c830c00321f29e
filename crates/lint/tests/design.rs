//! The schema-design rules that look at the whole migration
//! (`table-without-primary-key`, `foreign-key-without-index`,
//! `duplicate-index`, `redundant-index`) against GitLab's structure.sql,
//! checked independently on astrola-core's model of the same file; the
//! rules with a `--schema`; and the options-driven rules (naming policy,
//! the idempotency rules that are off by default).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use astrola_core::model::{ConstraintKind, IndexKey, IndexTarget};
use astrola_core::{Dialect, QualifiedName, Schema};
use astrola_lint::{lint_sql, Applicability, Diagnostic, LintOptions, NamingPolicy};

fn gitlab_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/schemas/gitlab/structure.sql");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    })
}

/// The GitLab findings of the design rules, linted once for all tests.
fn gitlab_findings() -> &'static [Diagnostic] {
    static FOUND: OnceLock<Vec<Diagnostic>> = OnceLock::new();
    FOUND.get_or_init(|| lint_sql(gitlab_sql(), "structure.sql", &LintOptions::default()))
}

/// astrola-core's model of the same file, built without the linter.
fn gitlab_schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| astrola_core::parse_sql(gitlab_sql(), Dialect::Postgres).expect("structure.sql parses").schema)
}

fn of_rule<'d>(found: &'d [Diagnostic], rule: &str) -> Vec<&'d Diagnostic> {
    found.iter().filter(|d| d.rule == rule).collect()
}

/// The word after `prefix` in a message (`"index "` -> the index name).
fn name_after<'m>(message: &'m str, prefix: &str) -> &'m str {
    let rest = &message[message.find(prefix).unwrap_or_else(|| panic!("{message}")) + prefix.len()..];
    rest.split(' ').next().unwrap_or_default()
}

fn table_name(key: &str) -> QualifiedName {
    QualifiedName::parse(key).unwrap_or_else(|| panic!("{key}"))
}

/// An index as compared here: name, method, keys, predicate, INCLUDE, unique.
struct Idx {
    name: String,
    method: String,
    keys: Vec<IndexKey>,
    predicate: Option<String>,
    include: Vec<String>,
    unique: bool,
}

/// Every index on `table`, those behind PRIMARY KEY and UNIQUE constraints included.
fn indexes_of(schema: &Schema, table: &QualifiedName) -> Vec<Idx> {
    let mut out: Vec<Idx> = schema
        .indexes
        .iter()
        .filter(|(_, i)| &i.table == table)
        .map(|(n, i)| Idx { name: n.name.clone(), method: i.method.clone(), keys: i.keys.clone(), predicate: i.predicate.clone(), include: i.include.clone(), unique: i.unique })
        .collect();
    for (name, c) in &schema.tables[table].constraints {
        if let ConstraintKind::PrimaryKey { columns, index } | ConstraintKind::Unique { columns, index, .. } = &c.kind {
            out.push(Idx { name: name.clone(), method: "btree".into(), keys: columns.iter().map(IndexKey::column).collect(), predicate: None, include: index.include.clone(), unique: true });
        }
    }
    out
}

/// The plain column names of an index's first `n` keys, when they are all columns.
fn leading_columns(index: &Idx, n: usize) -> Option<BTreeSet<String>> {
    if index.keys.len() < n {
        return None;
    }
    index.keys[..n]
        .iter()
        .map(|k| match &k.target {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expression(_) => None,
        })
        .collect()
}

#[test]
fn gitlab_tables_all_have_primary_keys() {
    let schema = gitlab_schema();
    assert_eq!(schema.tables.len(), 1401);
    let without: Vec<_> = schema.tables.iter().filter(|(_, t)| t.primary_key().is_none() && t.partition_of.is_none()).map(|(n, _)| n.to_string()).collect();
    assert!(without.is_empty(), "{without:?}");
    assert!(of_rule(gitlab_findings(), "table-without-primary-key").is_empty());
}

/// Every foreign key reported really has no plain btree index (or PK /
/// UNIQUE constraint) whose leading columns are its columns; and every
/// foreign key of the file that has neither such an index nor a partial
/// one over those leading columns is reported.
#[test]
fn gitlab_foreign_keys_without_index_are_exactly_the_uncovered_ones() {
    let schema = gitlab_schema();
    let found = of_rule(gitlab_findings(), "foreign-key-without-index");
    let mut reported = BTreeSet::new();
    for d in &found {
        let table = table_name(d.table.as_deref().expect("on a table"));
        let name = name_after(&d.message, "foreign key ");
        let ConstraintKind::ForeignKey { columns, .. } = &schema.tables[&table].constraints[name].kind else { panic!("{name} is not a foreign key") };
        let wanted: BTreeSet<String> = columns.iter().cloned().collect();
        let covering: Vec<_> = indexes_of(schema, &table).into_iter().filter(|i| leading_columns(i, columns.len()).as_ref() == Some(&wanted)).collect();
        assert!(covering.iter().all(|i| i.predicate.is_some() || i.method != "btree"), "{}: {:?}", d.message, covering.iter().map(|i| &i.name).collect::<Vec<_>>());
        assert!(d.help.as_deref().is_some_and(|h| h.contains("CREATE INDEX")), "{d:?}");
        assert_eq!(d.fix.as_ref().map(|f| f.applicability), Some(Applicability::DisplayOnly));
        reported.insert((table, name.to_string()));
    }
    for (table, t) in &schema.tables {
        for (name, c) in &t.constraints {
            let ConstraintKind::ForeignKey { columns, .. } = &c.kind else { continue };
            let wanted: BTreeSet<String> = columns.iter().cloned().collect();
            let any_index = indexes_of(schema, table).iter().any(|i| leading_columns(i, columns.len()).as_ref() == Some(&wanted));
            if !any_index {
                assert!(reported.contains(&(table.clone(), name.clone())), "{table} {name} is not reported");
            }
        }
    }
    println!("foreign-key-without-index on GitLab: {}", found.len());
}

/// Every reported duplicate has a twin on its table with the same method,
/// keys, predicate and INCLUDE that is unique whenever it is.
#[test]
fn gitlab_duplicate_indexes_have_a_twin() {
    let schema = gitlab_schema();
    let found = of_rule(gitlab_findings(), "duplicate-index");
    for d in &found {
        let table = table_name(d.table.as_deref().expect("on a table"));
        let kind = if d.message.starts_with("constraint ") { "constraint " } else { "index " };
        let name = name_after(&d.message, kind);
        let indexes = indexes_of(schema, &table);
        let index = indexes.iter().find(|i| i.name == name).unwrap_or_else(|| panic!("{name}"));
        let twin = indexes.iter().find(|o| {
            o.name != index.name && o.method == index.method && o.keys == index.keys && o.predicate == index.predicate && o.include == index.include && (o.unique || !index.unique)
        });
        assert!(twin.is_some(), "{}", d.message);
        assert!(d.message.ends_with(&twin.map(|t| t.name.clone()).unwrap_or_default()), "{}", d.message);
    }
    println!("duplicate-index on GitLab: {}", found.len());
}

/// Every reported redundant index is a plain btree index without a
/// predicate whose keys start another btree index without a predicate.
#[test]
fn gitlab_redundant_indexes_are_left_prefixes() {
    let schema = gitlab_schema();
    let found = of_rule(gitlab_findings(), "redundant-index");
    for d in &found {
        let table = table_name(d.table.as_deref().expect("on a table"));
        let name = name_after(&d.message, "index ");
        let indexes = indexes_of(schema, &table);
        let index = indexes.iter().find(|i| i.name == name).unwrap_or_else(|| panic!("{name}"));
        assert!(!index.unique && index.method == "btree" && index.predicate.is_none() && index.include.is_empty(), "{}", d.message);
        let longer = indexes.iter().any(|o| o.method == "btree" && o.predicate.is_none() && o.keys.len() > index.keys.len() && o.keys[..index.keys.len()] == index.keys[..]);
        assert!(longer, "{}", d.message);
    }
    println!("redundant-index on GitLab: {}", found.len());
}

#[test]
fn gitlab_names_follow_the_default_policy() {
    assert!(of_rule(gitlab_findings(), "naming-convention").is_empty());
}

fn with_schema(schema_sql: &str) -> LintOptions {
    LintOptions { schema: Some(Arc::new(astrola_core::parse_sql(schema_sql, Dialect::Postgres).expect("schema parses").schema)), ..LintOptions::default() }
}

fn rules_of(sql: &str, options: &LintOptions, rule: &str) -> Vec<Diagnostic> {
    lint_sql(sql, "m.sql", options).into_iter().filter(|d| d.rule == rule).collect()
}

const ISSUES: &str = "CREATE TABLE projects (id bigint PRIMARY KEY);\nCREATE TABLE issues (id bigint PRIMARY KEY, project_id bigint, author_id bigint);\nCREATE INDEX index_issues_on_project_id ON issues (project_id);\n";

#[test]
fn an_index_in_the_schema_makes_an_identical_new_one_a_duplicate() {
    let sql = "CREATE INDEX CONCURRENTLY issues_project_id_idx ON issues (project_id);\n";
    let found = rules_of(sql, &with_schema(ISSUES), "duplicate-index");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message, "index issues_project_id_idx on public.issues (project_id) duplicates index index_issues_on_project_id");
    assert_eq!(found[0].table.as_deref(), Some("public.issues"));
    // Without the schema the linter cannot know the older index.
    assert!(rules_of(sql, &LintOptions::default(), "duplicate-index").is_empty());
    // Indexes that both existed before are not the migration's doing.
    let both = format!("{ISSUES}CREATE INDEX issues_project_id_idx ON issues (project_id);\n");
    assert!(rules_of("SELECT 1;", &with_schema(&both), "duplicate-index").is_empty());
}

#[test]
fn a_new_short_index_next_to_an_existing_longer_one_is_redundant() {
    let schema = "CREATE TABLE notes (id bigint PRIMARY KEY, project_id bigint, created_at timestamptz);\nCREATE INDEX index_notes_on_project_id_and_created_at ON notes (project_id, created_at);\n";
    let found = rules_of("CREATE INDEX CONCURRENTLY index_notes_on_project_id ON notes (project_id);", &with_schema(schema), "redundant-index");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].message.contains("left prefix of index index_notes_on_project_id_and_created_at"), "{}", found[0].message);
    // The existing short index is not reported when a longer one is added.
    let short = "CREATE TABLE notes (id bigint PRIMARY KEY, project_id bigint, created_at timestamptz);\nCREATE INDEX index_notes_on_project_id ON notes (project_id);\n";
    assert!(rules_of("CREATE INDEX CONCURRENTLY index_notes_on_project_id_and_created_at ON notes (project_id, created_at);", &with_schema(short), "redundant-index").is_empty());
}

#[test]
fn foreign_keys_on_existing_tables_use_the_schemas_indexes() {
    let options = with_schema(ISSUES);
    let covered = "ALTER TABLE issues ADD CONSTRAINT fk_issues_project_id FOREIGN KEY (project_id) REFERENCES projects (id) NOT VALID;";
    assert!(rules_of(covered, &options, "foreign-key-without-index").is_empty());
    let uncovered = "ALTER TABLE issues ADD CONSTRAINT fk_issues_author_id FOREIGN KEY (author_id) REFERENCES projects (id) NOT VALID;";
    let found = rules_of(uncovered, &options, "foreign-key-without-index");
    assert_eq!(found.len(), 1);
    // The table exists, so the index to add is built CONCURRENTLY.
    assert!(found[0].help.as_deref().is_some_and(|h| h.contains("CREATE INDEX CONCURRENTLY issues_author_id_idx ON issues (author_id);")), "{:?}", found[0].help);
    let fix = found[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.applicability, Applicability::DisplayOnly);
    assert_eq!(fix.apply(uncovered).as_deref(), Some(format!("{};\nCREATE INDEX CONCURRENTLY issues_author_id_idx ON issues (author_id);", &uncovered[..uncovered.len() - 1]).as_str()));
    // An index added later in the same migration covers it.
    let later = format!("{uncovered}\nCREATE INDEX CONCURRENTLY issues_author_id_idx ON issues (author_id);");
    assert!(rules_of(&later, &options, "foreign-key-without-index").is_empty());
}

#[test]
fn only_tables_the_migration_creates_need_a_primary_key() {
    let options = with_schema("CREATE TABLE legacy (a bigint);\n");
    assert!(rules_of("ALTER TABLE legacy ADD COLUMN b bigint;", &options, "table-without-primary-key").is_empty());
    let found = rules_of("CREATE TABLE events (a bigint);\nALTER TABLE legacy ADD COLUMN b bigint;", &options, "table-without-primary-key");
    assert_eq!(found.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["table public.events has no primary key"]);
    assert_eq!(found[0].span.line, 1);
}

#[test]
fn dropping_a_foreign_key_needs_the_schema_to_know_it() {
    let schema = "CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint CONSTRAINT orders_customer_id_fkey REFERENCES customers (id));\n";
    let sql = "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;";
    assert_eq!(rules_of(sql, &with_schema(schema), "drop-foreign-key").len(), 1);
    assert!(rules_of(sql, &LintOptions::default(), "drop-foreign-key").is_empty());
}

#[test]
fn naming_patterns_for_indexes_and_constraints_apply_when_set() {
    let sql = "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\nCREATE INDEX orders_customer ON orders (customer_id);\nCREATE INDEX index_orders_on_id ON orders (id);\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES orders (id);\nALTER INDEX orders_customer RENAME TO \"OrdersCustomer\";\n";
    let mut options = LintOptions::default();
    assert!(rules_of(sql, &options, "naming-convention").is_empty());
    options.naming = NamingPolicy { index: Some("index_[a-z0-9_]+".into()), constraint: Some("fk_[a-z0-9_]+".into()), ..NamingPolicy::default() };
    let found = rules_of(sql, &options, "naming-convention");
    let messages: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "index name orders_customer does not match the naming pattern index_[a-z0-9_]+",
            "constraint name orders_customer_fk does not match the naming pattern fk_[a-z0-9_]+",
            "index name OrdersCustomer does not match the naming pattern index_[a-z0-9_]+",
        ]
    );
    // The span is the name.
    assert_eq!(&sql[found[0].span.start..found[0].span.end], "orders_customer");
    assert_eq!(&sql[found[2].span.start..found[2].span.end], "\"OrdersCustomer\"");
}

#[test]
fn an_invalid_naming_pattern_is_reported_once_and_does_not_panic() {
    let options = LintOptions { naming: NamingPolicy { table: Some("(".into()), ..NamingPolicy::default() }, ..LintOptions::default() };
    let sql = "CREATE TABLE \"A\" (id bigint PRIMARY KEY);\nCREATE TABLE \"B\" (id bigint PRIMARY KEY);\nALTER TABLE \"A\" ADD COLUMN \"Bad\" text;\n";
    let found = rules_of(sql, &options, "naming-convention");
    let messages: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
    // The table pattern is reported once; the column pattern still applies.
    assert_eq!(messages, ["the table naming pattern ( is not a valid regular expression; table names are not checked", "column name Bad does not match the naming pattern [a-z_][a-z0-9_]*"]);
}

#[test]
fn idempotency_rules_are_off_by_default_and_their_fixes_make_the_script_rerunnable() {
    let sql = "CREATE TABLE events (id bigint PRIMARY KEY);\nCREATE INDEX events_id ON events (id);\nALTER TABLE events ADD COLUMN source text, DROP COLUMN legacy;\nDROP INDEX CONCURRENTLY old_index;\nCREATE SCHEMA reporting;\n";
    let mut options = LintOptions::default();
    assert!(lint_sql(sql, "m.sql", &options).iter().all(|d| !d.rule.starts_with("require-if")));
    options.rules.enable.extend(["require-if-not-exists".to_string(), "require-if-exists".to_string()]);
    let found: Vec<_> = lint_sql(sql, "m.sql", &options).into_iter().filter(|d| d.rule.starts_with("require-if")).collect();
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(found.iter().all(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe)));
    let fixed = astrola_lint::apply_edits(sql, found.iter().flat_map(|d| &d.fix).flat_map(|f| &f.edits)).expect("edits apply");
    assert_eq!(
        fixed,
        "CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY);\nCREATE INDEX IF NOT EXISTS events_id ON events (id);\nALTER TABLE events ADD COLUMN IF NOT EXISTS source text, DROP COLUMN IF EXISTS legacy;\nDROP INDEX CONCURRENTLY IF EXISTS old_index;\nCREATE SCHEMA IF NOT EXISTS reporting;\n"
    );
    assert!(lint_sql(&fixed, "m.sql", &options).iter().all(|d| !d.rule.starts_with("require-if")));
}
