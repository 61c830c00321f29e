//! `docs/rules.md` is generated from the rules' doc comments; this test
//! fails when it is stale. Regenerate it with
//! `UPDATE_RULES_DOC=1 cargo test -p astrola-lint --test rules_doc`.

use std::path::PathBuf;

#[test]
fn docs_rules_md_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let generated = astrola_lint::rules_markdown();
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "{} is stale: regenerate it with\n\n    UPDATE_RULES_DOC=1 cargo test -p astrola-lint --test rules_doc\n",
        path.display()
    );
}

#[test]
fn docs_list_every_rule() {
    let doc = astrola_lint::rules_markdown();
    for rule in astrola_lint::rules() {
        assert!(doc.contains(&format!("| [`{id}`](#{id}) |", id = rule.id)), "{} not in the table", rule.id);
        assert!(doc.contains(&format!("\n### {}\n", rule.id)), "{} has no section", rule.id);
    }
}
