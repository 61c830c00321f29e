//! Rename hints over the sqldef corpus: every `@renamed` annotation in a
//! `current` or `desired` text of psqldef, mysqldef and sqlite3def yields one
//! hint, except the few that sqldef's own cases show it ignores (listed in
//! [`PSQLDEF_IGNORED`]). For enum types, the hints are also checked against
//! the `ALTER TYPE ... RENAME` statements sqldef derives in `up` and `down`.
//!
//! The expected counts come from a deliberately naive scan (split at `;`
//! outside single quotes, count `@renamed` outside single quotes), which is
//! enough for the corpus and shares no code with the module under test.

mod common;

use std::collections::BTreeSet;

use astrola_core::{rename_hints, Dialect, QualifiedName, RenameHint, RenameKind};

/// Texts holding annotations that sqldef ignores (its `up` recreates the
/// type instead of renaming it), with how many each holds.
const PSQLDEF_IGNORED: &[(&str, usize)] = &[
    // Misplaced: before `TYPE`, before the name, after `AS`, after `ENUM`.
    ("psqldef/tests_types.yml:RenameEnumTypeCommentBeforeTypeKeywordIgnored.desired", 1),
    ("psqldef/tests_types.yml:RenameEnumTypeCommentBeforeTypeNameIgnored.desired", 1),
    ("psqldef/tests_types.yml:RenameEnumTypeCommentAfterAsIgnored.desired", 1),
    ("psqldef/tests_types.yml:RenameEnumTypeCommentAfterEnumIgnored.desired", 1),
    // A second hint on the type: the first wins.
    ("psqldef/tests_types.yml:RenameEnumTypeFirstAcceptedCommentWins.desired", 1),
];

/// A statement of a corpus text: its byte range and how many annotations it
/// holds outside string literals.
struct Piece {
    start: usize,
    end: usize,
    annotations: usize,
}

fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut in_string = false;
    let mut start = 0;
    let mut annotations = 0;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => in_string = !in_string,
            ';' if !in_string => {
                out.push(Piece { start, end: i + 1, annotations });
                start = i + 1;
                annotations = 0;
            }
            '@' if !in_string && text[i..].starts_with("@renamed") => annotations += 1,
            _ => {}
        }
    }
    out.push(Piece { start, end: text.len(), annotations });
    out
}

fn corpus_hints(dir: &str, dialect: Dialect, ignored: &[(&str, usize)]) -> Vec<(String, RenameHint)> {
    let mut all = Vec::new();
    let mut texts = 0;
    let mut seen_ignored = BTreeSet::new();
    for (file, cases) in common::sqldef_cases(dir) {
        for (name, case) in cases {
            for (field, text) in [("current", &case.current), ("desired", &case.desired)] {
                let Some(text) = text.as_deref().filter(|t| t.contains("@renamed")) else { continue };
                texts += 1;
                let label = format!("{dir}/{file}:{name}.{field}");
                let hints = rename_hints(text, dialect);
                for hint in &hints {
                    assert_eq!(text.get(hint.span.start..hint.span.start + 8), Some("@renamed"), "{label}: {hint:?}");
                }
                // Where sqldef ignores some annotations, the text's statement
                // holding them gives that many fewer hints.
                let mut unused = ignored.iter().find(|(l, _)| *l == label).map_or(0, |&(l, n)| {
                    seen_ignored.insert(l);
                    n
                });
                for piece in pieces(text) {
                    let got = hints.iter().filter(|h| (piece.start..piece.end).contains(&h.span.start)).count();
                    let skipped = unused.min(piece.annotations);
                    unused -= skipped;
                    let want = piece.annotations - skipped;
                    assert_eq!(got, want, "{label}: statement `{}` gives {hints:#?}", text[piece.start..piece.end].trim());
                }
                assert_eq!(unused, 0, "{label}: fewer annotations than listed as ignored");
                all.extend(hints.into_iter().map(|h| (label.clone(), h)));
            }
        }
    }
    assert!(texts > 0, "no `@renamed` texts in sqldef/{dir}");
    for (label, _) in ignored {
        assert!(seen_ignored.contains(label), "{label} is listed as ignored but holds no `@renamed`");
    }
    all
}

fn find<'a>(hints: &'a [(String, RenameHint)], label: &str) -> Vec<&'a RenameHint> {
    hints.iter().filter(|(l, _)| l == label).map(|(_, h)| h).collect()
}

fn brief(hint: &RenameHint) -> (RenameKind, QualifiedName, &str, &str) {
    (hint.kind, hint.table.clone(), hint.from.as_str(), hint.to.as_str())
}

#[test]
fn psqldef_annotations_all_yield_hints() {
    let hints = corpus_hints("psqldef", Dialect::Postgres, PSQLDEF_IGNORED);
    let users = QualifiedName::new("public", "users");
    assert_eq!(
        find(&hints, "psqldef/tests_indices.yml:RenameIndexInNonDefaultSchema.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::Index, QualifiedName::new("myschema", "users"), "old_email_idx", "new_email_idx")]
    );
    assert_eq!(
        find(&hints, "psqldef/tests_indices.yml:RenameIndexInTable.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::Constraint, users.clone(), "old_unique_email", "unique_email")]
    );
    assert_eq!(
        find(&hints, "psqldef/tests_preserve_quotes.yml:RenameUnquotedTableToQuoted.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::Table, QualifiedName::new("public", "UserAccounts"), "user_accounts", "UserAccounts")]
    );
    assert_eq!(
        find(&hints, "psqldef/tests_rename.yml:RenameColumnWithDot.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::Column, users, "special.column", "special_column")]
    );
    let order_status = QualifiedName::new("public", "order_status");
    assert_eq!(
        find(&hints, "psqldef/tests_types.yml:RenameEnumTypeWithValueRenameAndAddValue.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![
            (RenameKind::Type, order_status.clone(), "order_state", "order_status"),
            (RenameKind::EnumValue, order_status.clone(), "shipping", "shipped"),
        ]
    );
    assert_eq!(
        find(&hints, "psqldef/tests_types.yml:RenameEnumTypeFirstAcceptedCommentWins.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::Type, order_status, "order_state", "order_status")]
    );
    assert_eq!(
        find(&hints, "psqldef/tests_types.yml:RenameEnumValueWithSchema.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::EnumValue, QualifiedName::new("myschema", "status"), "pending", "waiting")]
    );
    let kinds = |kind| hints.iter().filter(|(_, h)| h.kind == kind).count();
    eprintln!(
        "psqldef: {} hints ({} table, {} column, {} index, {} constraint, {} type, {} enum value)",
        hints.len(),
        kinds(RenameKind::Table),
        kinds(RenameKind::Column),
        kinds(RenameKind::Index),
        kinds(RenameKind::Constraint),
        kinds(RenameKind::Type),
        kinds(RenameKind::EnumValue)
    );
    assert_eq!((kinds(RenameKind::Type), kinds(RenameKind::EnumValue)), (16, 8), "type and enum value hints in psqldef");
}

/// A rename as `(kind, type, from, to)`.
type TypeRename = (RenameKind, QualifiedName, String, String);

/// Reads `"s"."n"`, `s.n` or `n` (unquoted parts as written; the corpus
/// spells them in lower case).
fn qualified(name: &str) -> QualifiedName {
    let parts: Vec<String> = name.split('.').map(|p| p.trim_matches('"').to_string()).collect();
    match parts.as_slice() {
        [schema, name] => QualifiedName::new(schema.as_str(), name.as_str()),
        _ => QualifiedName::new("public", parts.concat()),
    }
}

/// The `ALTER TYPE t RENAME TO n` and `ALTER TYPE t RENAME VALUE 'a' TO 'b'`
/// statements of a migration, as renames keyed on the type's new name.
fn derived_renames(migration: &str) -> BTreeSet<TypeRename> {
    let mut out = BTreeSet::new();
    for statement in migration.split(';') {
        let words: Vec<&str> = statement.split_whitespace().collect();
        match words.as_slice() {
            ["ALTER", "TYPE", name, "RENAME", "TO", to] => {
                let old = qualified(name);
                let to = to.trim_matches('"').to_string();
                out.insert((RenameKind::Type, QualifiedName::new(old.schema, to.as_str()), old.name, to));
            }
            ["ALTER", "TYPE", name, "RENAME", "VALUE", from, "TO", to] => {
                let label = |l: &str| l.trim_matches('\'').replace("''", "'");
                out.insert((RenameKind::EnumValue, qualified(name), label(from), label(to)));
            }
            _ => {}
        }
    }
    out
}

/// The hints of `new` that name something `old` has (naively: a type
/// `old` creates, or a label it spells), so that sqldef would apply them.
fn applicable(new: &str, old: &str) -> BTreeSet<TypeRename> {
    rename_hints(new, Dialect::Postgres)
        .into_iter()
        .filter(|h| match h.kind {
            RenameKind::Type => {
                let unqualified = h.table.schema == "public" && old.contains(&format!("CREATE TYPE {} ", h.from));
                unqualified || old.contains(&format!("CREATE TYPE {}.{} ", h.table.schema, h.from))
            }
            RenameKind::EnumValue => old.contains(&format!("'{}'", h.from.replace('\'', "''"))),
            _ => false,
        })
        .map(|h| (h.kind, h.table, h.from, h.to))
        .collect()
}

/// For every case of `tests_types.yml`, the type and label renames of the
/// migration sqldef expects each way are exactly the applicable hints of the
/// text migrated to.
#[test]
fn psqldef_type_hints_match_the_renames_sqldef_derives() {
    let path = common::corpus_dir().join("sqldef/psqldef/tests_types.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: std::collections::BTreeMap<String, serde_yaml_ng::Value> =
        serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let field = |case: &serde_yaml_ng::Value, key: &str| case.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let mut checked = 0;
    let mut renames = 0;
    for (name, case) in &cases {
        let current = field(case, "current").unwrap_or_default();
        let Some(desired) = field(case, "desired") else { continue };
        for (direction, old, new) in [("up", &current, &desired), ("down", &desired, &current)] {
            let Some(migration) = field(case, direction) else { continue };
            if !new.contains("@renamed") && !migration.contains(" RENAME ") {
                continue;
            }
            let want = derived_renames(&migration);
            assert_eq!(applicable(new, old), want, "{name}.{direction}: {migration}");
            checked += 1;
            renames += want.len();
        }
    }
    eprintln!("tests_types.yml: {checked} migrations checked, {renames} type and label renames");
    assert!(checked >= 20 && renames >= 20, "too few checked: {checked} migrations, {renames} renames");
}

#[test]
fn mysqldef_annotations_all_yield_hints() {
    let hints = corpus_hints("mysqldef", Dialect::Mysql, &[]);
    let users = QualifiedName::new("", "users");
    assert_eq!(
        find(&hints, "mysqldef/tests_tables.yml:RenameUniqueIndex.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::Index, users.clone(), "old_unique_email", "unique_email")]
    );
    assert_eq!(
        find(&hints, "mysqldef/tests_tables.yml:RenameTableWithQuotedName.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::Table, QualifiedName::new("", "user_profiles"), "user accounts", "user_profiles")]
    );
    assert_eq!(
        find(&hints, "mysqldef/tests_tables.yml:RenameColumnWithCStyleComment.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![(RenameKind::Column, users, "username", "user_name")]
    );
    eprintln!("mysqldef: {} hints", hints.len());
}

#[test]
fn sqlite3def_annotations_all_yield_hints() {
    let hints = corpus_hints("sqlite3def", Dialect::Sqlite, &[]);
    assert_eq!(
        find(&hints, "sqlite3def/tests.yml:RenameTableAndMultipleColumnChanges.desired").into_iter().map(brief).collect::<Vec<_>>(),
        vec![
            (RenameKind::Table, QualifiedName::new("", "accounts"), "old_accounts", "accounts"),
            (RenameKind::Column, QualifiedName::new("", "accounts"), "user_name", "username"),
        ]
    );
    eprintln!("sqlite3def: {} hints", hints.len());
}
