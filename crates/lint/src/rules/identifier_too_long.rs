use super::Checker;

declare_rule! {
    /// ## What it does
    /// Checks for identifiers longer than 63 bytes, quoted or not.
    ///
    /// ## Why is this bad?
    /// PostgreSQL silently truncates identifiers to 63 bytes (NAMEDATALEN - 1).
    /// The object gets a different name from the one written, two long
    /// names that share their first 63 bytes collide, and tools that compare
    /// the written name with the catalog see a difference that never goes
    /// away.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX index_merge_request_diff_commits_on_merge_request_diff_id_and_sha ON merge_request_diff_commits (merge_request_diff_id, sha);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX index_mr_diff_commits_on_mr_diff_id_and_sha ON merge_request_diff_commits (merge_request_diff_id, sha);
    /// ```
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "identifier-too-long", category: SchemaDesign, severity: Warning, check: check }
}

/// The longest identifier PostgreSQL keeps whole, in bytes.
const MAX_IDENTIFIER: usize = 63;

fn check(checker: &mut Checker<'_>) {
    // The parser has already truncated the names in the tree, so the tokens
    // of the text are checked. Most statements have no run of word
    // characters that long, and are not scanned at all.
    let source = checker.source;
    let text = source.get(checker.range.0..checker.range.1).unwrap_or_default();
    let longest_word = text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).map(str::len).max().unwrap_or(0);
    if longest_word <= MAX_IDENTIFIER && !text.contains('"') {
        return;
    }
    let Ok(scanned) = pg_query::scan(text) else { return };
    let start = checker.range.0;
    let mut seen = Vec::new();
    for token in scanned.tokens {
        let (Ok(from), Ok(to)) = (usize::try_from(token.start), usize::try_from(token.end)) else { continue };
        let Some(word) = text.get(from..to) else { continue };
        let name = identifier(word);
        let Some(name) = name.filter(|n| n.len() > MAX_IDENTIFIER) else { continue };
        if seen.contains(&name) {
            continue;
        }
        let message = format!("identifier {name} is {} bytes long; PostgreSQL truncates it to {MAX_IDENTIFIER}", name.len());
        checker.report_at(&RULE, start + from, start + to, message, Some(format!("shorten it to at most {MAX_IDENTIFIER} bytes")));
        seen.push(name);
    }
}

/// The name a token spells when it is an identifier: unquoted words are
/// folded to lower case, quoted ones keep their case with `""` unescaped.
/// Keywords used as names are identifiers too; string literals, numbers and
/// operators are not.
fn identifier(token: &str) -> Option<String> {
    if let Some(quoted) = token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return Some(quoted.replace("\"\"", "\""));
    }
    let first = token.chars().next()?;
    (first.is_alphabetic() || first == '_').then(|| token.to_lowercase())
}
