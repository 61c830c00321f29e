//! Rules whose findings depend on the context of the run: the schema
//! before the migration (`--schema`), the PostgreSQL version, and whether
//! the runner wraps the file in a transaction. The fixtures run with the
//! default options; these tests cover the rest.

use std::sync::Arc;

use astrola_core::Dialect;
use astrola_lint::{lint_sql, Applicability, Diagnostic, LintOptions};

/// Options with `schema_sql` as the schema before the migration.
fn with_schema(schema_sql: &str) -> LintOptions {
    let schema = astrola_core::parse_sql(schema_sql, Dialect::Postgres).expect("the schema parses").schema;
    LintOptions { schema: Some(Arc::new(schema)), ..LintOptions::default() }
}

/// The default options with the rules that are off by default switched on.
fn enabled(rules: &[&str]) -> LintOptions {
    let mut options = LintOptions::default();
    options.rules.enable.extend(rules.iter().map(|r| r.to_string()));
    options
}

/// The findings of `rule` on `sql`.
fn findings(sql: &str, options: &LintOptions, rule: &str) -> Vec<Diagnostic> {
    lint_sql(sql, "m.sql", options).into_iter().filter(|d| d.rule == rule).collect()
}

/// The applicability of the fix of the only finding of `rule`, or `None`
/// when it has no fix.
fn fix_of(sql: &str, options: &LintOptions, rule: &str) -> Option<Applicability> {
    let found = findings(sql, options, rule);
    assert_eq!(found.len(), 1, "{rule} on {sql}: {found:#?}");
    found[0].fix.as_ref().map(|f| f.applicability)
}

const USERS: &str = "CREATE TABLE users (id bigint, email character varying(100), name text COLLATE \"C\", bio text, score numeric(10,2), net cidr, bits bit varying(4), seen timestamp(3) with time zone, tags character varying(10)[]);\nCREATE INDEX users_name_idx ON users (name);";

#[test]
fn change_column_type_skips_changes_the_schema_shows_need_no_rewrite() {
    let options = with_schema(USERS);
    for change in [
        "email TYPE varchar(200)",
        "email TYPE varchar",
        "email TYPE text",
        "bio TYPE varchar",
        "score TYPE numeric(12,2)",
        "score TYPE numeric",
        "net TYPE inet",
        "bits TYPE varbit(8)",
        "seen TYPE timestamptz",
        "email TYPE varchar(200) USING email",
        "id TYPE bigint",
    ] {
        let sql = format!("ALTER TABLE users ALTER COLUMN {change};");
        assert!(findings(&sql, &options, "change-column-type").is_empty(), "{change}");
    }
    for change in [
        "id TYPE integer",
        "email TYPE varchar(50)",
        "bio TYPE varchar(50)",
        "score TYPE numeric(12,3)",
        "email TYPE varchar(200) USING lower(email)",
        "tags TYPE varchar(20)[]",
    ] {
        let sql = format!("ALTER TABLE users ALTER COLUMN {change};");
        let found = findings(&sql, &options, "change-column-type");
        assert_eq!(found.len(), 1, "{change}");
        assert!(found[0].message.contains(" rewrites "), "{}", found[0].message);
        assert_eq!(found[0].table.as_deref(), Some("public.users"));
    }
}

#[test]
fn change_column_type_reports_a_collation_reset() {
    let found = findings("ALTER TABLE users ALTER COLUMN name TYPE varchar;", &with_schema(USERS), "change-column-type");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("resets its collation \"C\""), "{}", found[0].message);
}

#[test]
fn change_column_type_says_may_when_the_old_type_is_unknown() {
    let found = findings("ALTER TABLE users ALTER COLUMN email TYPE varchar(200);", &LintOptions::default(), "change-column-type");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("may rewrite"), "{}", found[0].message);
}

#[test]
fn change_column_type_follows_changes_made_earlier_in_the_migration() {
    let options = with_schema(USERS);
    let sql = "ALTER TABLE users ALTER COLUMN email TYPE varchar(20);\nALTER TABLE users ALTER COLUMN email TYPE varchar(50);\n";
    let lines: Vec<usize> = findings(sql, &options, "change-column-type").iter().map(|d| d.span.line).collect();
    assert_eq!(lines, [1]);
}

#[test]
fn change_column_collation_needs_an_index_or_a_rewrite_to_matter() {
    let options = with_schema(USERS);
    // name has an index: its collation change rebuilds it.
    assert_eq!(findings("ALTER TABLE users ALTER COLUMN name TYPE text COLLATE \"en_US\";", &options, "change-column-collation").len(), 1);
    // Same collation as before.
    assert!(findings("ALTER TABLE users ALTER COLUMN name TYPE text COLLATE \"C\";", &options, "change-column-collation").is_empty());
    // bio has no index and keeps its type: only the catalog changes.
    assert!(findings("ALTER TABLE users ALTER COLUMN bio TYPE text COLLATE \"C\";", &options, "change-column-collation").is_empty());
    // A primary key counts as an index.
    let keyed = with_schema("CREATE TABLE tags (name text PRIMARY KEY);");
    assert_eq!(findings("ALTER TABLE tags ALTER COLUMN name TYPE text COLLATE \"C\";", &keyed, "change-column-collation").len(), 1);
    // Not reported by change-column-type when only the collation changes.
    assert!(findings("ALTER TABLE users ALTER COLUMN name TYPE text COLLATE \"en_US\";", &options, "change-column-type").is_empty());
}

#[test]
fn primary_key_fires_on_a_nullable_column_the_schema_knows() {
    let options = with_schema("CREATE TABLE users (id bigint, email text NOT NULL);\nCREATE UNIQUE INDEX users_id_idx ON users (id);");
    let found = findings("ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;", &options, "primary-key-on-nullable-column");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].validation.as_deref(), Some("SELECT count(*) FROM users WHERE id IS NULL;"));
    assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Safe));
    let fixed = found[0].fix.as_ref().and_then(|f| f.apply("ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;")).expect("applies");
    assert!(fixed.starts_with("ALTER TABLE users ADD CONSTRAINT users_id_not_null CHECK (id IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_id_not_null;\nALTER TABLE users ADD CONSTRAINT users_pkey"), "{fixed}");
    assert!(fixed.ends_with("USING INDEX users_id_idx;\nALTER TABLE users DROP CONSTRAINT users_id_not_null;"), "{fixed}");
    assert_eq!(findings("ALTER TABLE users ADD PRIMARY KEY (id);", &options, "primary-key-on-nullable-column").len(), 1);
    assert!(findings("ALTER TABLE users ADD PRIMARY KEY (email);", &options, "primary-key-on-nullable-column").is_empty());
    // Unknown index or column: nothing is known, nothing is reported.
    assert!(findings("ALTER TABLE users ADD PRIMARY KEY USING INDEX other_idx;", &options, "primary-key-on-nullable-column").is_empty());
    assert!(findings("ALTER TABLE accounts ADD PRIMARY KEY (id);", &options, "primary-key-on-nullable-column").is_empty());
}

#[test]
fn primary_key_after_a_validated_not_null_check_scans_only_before_postgres_12() {
    let schema = with_schema("CREATE TABLE users (id bigint);");
    let sql = "ALTER TABLE users ADD CONSTRAINT c CHECK (id IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT c;\nALTER TABLE users ADD PRIMARY KEY (id);\n";
    assert!(findings(sql, &schema, "primary-key-on-nullable-column").is_empty());
    let old = LintOptions { pg_version: 11, ..schema };
    let found = findings(sql, &old, "primary-key-on-nullable-column");
    assert_eq!(found.len(), 1);
    assert!(found[0].fix.is_none());
}

#[test]
fn primary_key_fix_is_unsafe_in_the_runners_transaction() {
    let options = LintOptions { transactional: true, ..with_schema("CREATE TABLE users (id bigint);") };
    assert_eq!(fix_of("ALTER TABLE users ADD PRIMARY KEY (id);", &options, "primary-key-on-nullable-column"), Some(Applicability::Unsafe));
}

#[test]
fn reindex_fix_follows_version_transaction_and_schema() {
    let sql = "REINDEX INDEX users_email_idx;";
    assert_eq!(fix_of(sql, &LintOptions::default(), "reindex-non-concurrently"), Some(Applicability::Safe));
    assert_eq!(fix_of(sql, &LintOptions { transactional: true, ..LintOptions::default() }, "reindex-non-concurrently"), Some(Applicability::Unsafe));
    assert_eq!(fix_of(sql, &LintOptions { pg_version: 11, ..LintOptions::default() }, "reindex-non-concurrently"), None);
    let fixed = findings(sql, &LintOptions::default(), "reindex-non-concurrently")[0].fix.as_ref().and_then(|f| f.apply(sql));
    assert_eq!(fixed.as_deref(), Some("REINDEX INDEX CONCURRENTLY users_email_idx;"));
    // The index behind an exclusion constraint cannot be rebuilt concurrently.
    let options = with_schema("CREATE TABLE bookings (room int, during tstzrange, CONSTRAINT bookings_excl EXCLUDE USING gist (during WITH &&));");
    let found = findings("REINDEX INDEX bookings_excl;", &options, "reindex-non-concurrently");
    assert_eq!(found.len(), 1);
    assert!(found[0].fix.is_none());
    assert_eq!(found[0].table.as_deref(), Some("public.bookings"));
}

#[test]
fn detach_partition_fix_is_safe_only_when_the_schema_rules_out_a_default_partition() {
    let sql = "ALTER TABLE events DETACH PARTITION events_2020;";
    let partitioned = "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');";
    assert_eq!(fix_of(sql, &with_schema(partitioned), "detach-partition-non-concurrently"), Some(Applicability::Safe));
    assert_eq!(fix_of(sql, &LintOptions::default(), "detach-partition-non-concurrently"), Some(Applicability::Unsafe));
    assert_eq!(fix_of(sql, &LintOptions { transactional: true, ..with_schema(partitioned) }, "detach-partition-non-concurrently"), Some(Applicability::Unsafe));
    assert_eq!(fix_of(sql, &LintOptions { pg_version: 13, ..with_schema(partitioned) }, "detach-partition-non-concurrently"), None);
    let with_default = format!("{partitioned}\nCREATE TABLE events_other PARTITION OF events DEFAULT;");
    assert_eq!(fix_of(sql, &with_schema(&with_default), "detach-partition-non-concurrently"), None);
    let fixed = findings(sql, &with_schema(partitioned), "detach-partition-non-concurrently")[0].fix.as_ref().and_then(|f| f.apply(sql));
    assert_eq!(fixed.as_deref(), Some("ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;"));
}

#[test]
fn validate_in_the_runners_transaction_fires_without_a_fix() {
    let sql = "ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;\n";
    assert!(findings(sql, &LintOptions::default(), "validate-constraint-in-same-transaction").is_empty());
    let transactional = LintOptions { transactional: true, ..LintOptions::default() };
    assert_eq!(fix_of(sql, &transactional, "validate-constraint-in-same-transaction"), None);
    // With the schema, the message names the lock the ADD took.
    let options = LintOptions { transactional: true, ..with_schema("CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint, user_id bigint, total numeric);") };
    let sql = "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;\nALTER TABLE orders VALIDATE CONSTRAINT c;\n";
    let messages: Vec<String> = findings(sql, &options, "validate-constraint-in-same-transaction").into_iter().map(|d| d.message).collect();
    assert_eq!(messages.len(), 2);
    assert!(messages[0].contains("SHARE ROW EXCLUSIVE"), "{}", messages[0]);
    assert!(messages[1].contains("ACCESS EXCLUSIVE"), "{}", messages[1]);
}

#[test]
fn statements_after_access_exclusive_count_the_runners_transaction() {
    let sql = "ALTER TABLE users ADD COLUMN plan text;\nUPDATE accounts SET plan = 'free' WHERE plan IS NULL;\n";
    assert!(findings(sql, &LintOptions::default(), "statements-after-access-exclusive").is_empty());
    let found = findings(sql, &LintOptions { transactional: true, ..LintOptions::default() }, "statements-after-access-exclusive");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("public.users taken on line 1"), "{}", found[0].message);
}

#[test]
fn nested_and_unfinished_transactions_follow_the_runner() {
    let transactional = LintOptions { transactional: true, ..LintOptions::default() };
    // The runner's transaction is open: the file's BEGIN nests.
    let found = findings("BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nCOMMIT;\n", &transactional, "nested-transaction");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("runner"), "{}", found[0].message);
    assert!(findings("BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nCOMMIT;\n", &LintOptions::default(), "nested-transaction").is_empty());
    // The runner commits its own transaction: nothing is unfinished.
    assert!(findings("ALTER TABLE users ADD COLUMN plan text;\n", &transactional, "unfinished-transaction").is_empty());
    let sql = "BEGIN;\nALTER TABLE users ADD COLUMN plan text;";
    let found = findings(sql, &LintOptions::default(), "unfinished-transaction");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].span.line, 1);
    assert_eq!(found[0].fix.as_ref().and_then(|f| f.apply(sql)).as_deref(), Some("BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nCOMMIT;\n"));
}

#[test]
fn refresh_fix_is_safe_when_the_schema_shows_a_unique_index() {
    let sql = "REFRESH MATERIALIZED VIEW daily_totals;";
    let view = "CREATE MATERIALIZED VIEW daily_totals AS SELECT 1 AS day, 2 AS total;";
    assert_eq!(fix_of(sql, &with_schema(view), "refresh-materialized-view-non-concurrently"), Some(Applicability::DisplayOnly));
    let indexed = format!("{view}\nCREATE UNIQUE INDEX daily_totals_day ON daily_totals (day);");
    assert_eq!(fix_of(sql, &with_schema(&indexed), "refresh-materialized-view-non-concurrently"), Some(Applicability::Safe));
    let partial = format!("{view}\nCREATE UNIQUE INDEX daily_totals_day ON daily_totals (day) WHERE total > 0;");
    assert_eq!(fix_of(sql, &with_schema(&partial), "refresh-materialized-view-non-concurrently"), Some(Applicability::DisplayOnly));
}

#[test]
fn set_logged_unlogged_skips_a_table_already_in_that_state() {
    let options = with_schema("CREATE UNLOGGED TABLE cache (k text);\nCREATE TABLE events (id bigint);");
    assert!(findings("ALTER TABLE cache SET UNLOGGED;", &options, "set-logged-unlogged").is_empty());
    assert_eq!(findings("ALTER TABLE cache SET LOGGED;", &options, "set-logged-unlogged").len(), 1);
    assert!(findings("ALTER TABLE events SET LOGGED;", &options, "set-logged-unlogged").is_empty());
    assert_eq!(findings("ALTER TABLE events SET UNLOGGED;", &options, "set-logged-unlogged").len(), 1);
}

#[test]
fn set_access_method_skips_a_partitioned_table() {
    let options = with_schema("CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);");
    assert!(findings("ALTER TABLE events SET ACCESS METHOD heap;", &options, "set-access-method").is_empty());
}

#[test]
fn statement_timeout_fix_is_unsafe_when_a_long_concurrent_statement_follows() {
    let sql = "ALTER TABLE users ADD COLUMN plan text;\nCREATE INDEX CONCURRENTLY users_plan_idx ON users (plan);\n";
    let options = enabled(&["missing-statement-timeout"]);
    assert_eq!(fix_of(sql, &options, "missing-statement-timeout"), Some(Applicability::Unsafe));
    assert_eq!(fix_of("ALTER TABLE users ADD COLUMN plan text;\n", &options, "missing-statement-timeout"), Some(Applicability::Safe));
    assert!(findings(sql, &LintOptions::default(), "missing-statement-timeout").is_empty(), "off by default");
}

#[test]
fn timeout_fixes_go_above_the_comments_of_their_statement() {
    let sql = "-- astrola-ignore drop-column\nALTER TABLE users DROP COLUMN legacy;\n";
    let options = enabled(&["missing-lock-timeout"]);
    let found = findings(sql, &options, "missing-lock-timeout");
    let fixed = found[0].fix.as_ref().and_then(|f| f.apply(sql)).expect("applies");
    assert_eq!(fixed, "SET lock_timeout = '5s';\n-- astrola-ignore drop-column\nALTER TABLE users DROP COLUMN legacy;\n");
    // The suppression still covers its statement once the fix is applied.
    assert!(lint_sql(&fixed, "m.sql", &options).iter().all(|d| d.rule != "drop-column" && d.rule != "missing-lock-timeout"));
    // On a line shared with another statement, the fix goes right before it.
    let sql = "BEGIN; ALTER TABLE users DROP COLUMN legacy;\nCOMMIT;\n";
    let fixed = findings(sql, &options, "missing-lock-timeout")[0].fix.as_ref().and_then(|f| f.apply(sql));
    assert_eq!(fixed.as_deref(), Some("BEGIN; SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN legacy;\nCOMMIT;\n"));
}

#[test]
fn stored_generated_help_mentions_virtual_from_postgres_18() {
    let sql = "ALTER TABLE orders ADD COLUMN c bigint GENERATED ALWAYS AS (total * 100) STORED;";
    let help = |pg_version| findings(sql, &LintOptions { pg_version, ..LintOptions::default() }, "add-stored-generated-column")[0].help.clone().unwrap_or_default();
    assert!(help(18).contains("VIRTUAL"));
    assert!(!help(17).contains("VIRTUAL"));
}

/// A file long enough for the pipelined path (a worker replays the schema
/// model while the rules run) sees the same schema as a short one.
#[test]
fn a_long_file_sees_the_schema_statement_by_statement() {
    let schema = astrola_core::parse_sql("CREATE TABLE accounts (id bigint PRIMARY KEY, name varchar(50));", astrola_core::Dialect::Postgres).expect("parses").schema;
    let options = LintOptions { schema: Some(std::sync::Arc::new(schema)), ..LintOptions::default() };
    let mut sql = String::from("SET lock_timeout = '2s';\n");
    for i in 0..400 {
        sql.push_str(&format!("CREATE TABLE t{i} (id bigint PRIMARY KEY);\n"));
        if i == 200 {
            // Widening a varchar known from the schema: no rewrite.
            sql.push_str("ALTER TABLE accounts ALTER COLUMN name TYPE varchar(100);\n");
        }
        if i == 300 {
            // Narrowing it back, after the widening above was replayed: a rewrite.
            sql.push_str("ALTER TABLE accounts ALTER COLUMN name TYPE varchar(10);\n");
            sql.push_str("CREATE INDEX t5_id ON t5 (id);\n");
        }
    }
    let found: Vec<(&str, usize)> = lint_sql(&sql, "long.sql", &options).iter().filter(|d| d.rule != "prefer-text-over-varchar").map(|d| (d.rule, d.span.line)).collect();
    assert_eq!(found, [("change-column-type", 304), ("duplicate-index", 305)], "{found:?}");
}
