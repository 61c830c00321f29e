//! Suppressions written in the migration's comments.
//!
//! - `-- astrola-ignore rule-id[, rule-id ...]` on the line(s) directly
//!   before a statement, or at the end of its first line, suppresses those
//!   rules for that statement.
//! - `-- astrola-ignore-file rule-id[, rule-id ...]` anywhere in the file
//!   suppresses them for the whole file.
//!
//! A rule id the linter does not know is reported as `unknown-suppression`,
//! and a known one that suppressed nothing as `unused-suppression`. These two
//! are found here, after the rules ran, and cannot themselves be suppressed.

use astrola_core::span::LineIndex;

use crate::rules::{rules, unknown_suppression, unused_suppression, RuleInfo};
use crate::Diagnostic;

/// One `astrola-ignore` or `astrola-ignore-file` comment.
struct Directive {
    /// `astrola-ignore-file`.
    file_level: bool,
    /// The comment's byte range.
    comment: (usize, usize),
    /// The byte range of the keyword (`astrola-ignore`...).
    keyword: (usize, usize),
    /// The rule ids with their byte ranges, and whether each suppressed
    /// something.
    ids: Vec<(usize, usize, bool)>,
    /// For a statement-level directive, the index of its statement.
    statement: Option<usize>,
}

/// Drops the diagnostics that a suppression in `sql` covers, and adds the
/// `unknown-suppression` and `unused-suppression` findings. `statements`
/// are the byte ranges of the file's statements, in order.
pub(crate) fn apply(sql: &str, file: &str, lines: &LineIndex, statements: &[(usize, usize)], diagnostics: &mut Vec<Diagnostic>) {
    let mut directives: Vec<Directive> = comments(sql).into_iter().filter_map(|c| parse(sql, c)).collect();
    if directives.is_empty() {
        return;
    }
    for directive in directives.iter_mut().filter(|d| !d.file_level) {
        directive.statement = target(sql, directive.comment, statements);
    }
    diagnostics.retain(|d| {
        let statement = statements.iter().position(|&(start, end)| start <= d.span.start && d.span.start <= end);
        let mut suppressed = false;
        for directive in directives.iter_mut().filter(|x| x.file_level || (x.statement.is_some() && x.statement == statement)) {
            for id in directive.ids.iter_mut().filter(|id| &sql[id.0..id.1] == d.rule) {
                id.2 = true;
                suppressed = true;
            }
        }
        !suppressed
    });
    let mut found = Vec::new();
    for directive in &directives {
        let comment = sql[directive.comment.0..directive.comment.1].to_string();
        let keyword = &sql[directive.keyword.0..directive.keyword.1];
        let mut push = |rule: &RuleInfo, (start, end): (usize, usize), message: String, help: &str| {
            found.push(Diagnostic::new(rule, message, lines.span(file, sql, start, end), comment.clone(), Some(help.to_string())));
        };
        if directive.ids.is_empty() {
            push(&unknown_suppression::RULE, directive.keyword, format!("`{keyword}` names no rule"), "name the rules to suppress: `-- astrola-ignore rule-id, ...`");
        }
        for &(start, end, used) in &directive.ids {
            let id = &sql[start..end];
            if !rules().iter().any(|r| r.id == id) {
                push(&unknown_suppression::RULE, (start, end), format!("`{keyword}` names unknown rule `{id}`"), "use a rule id from docs/rules.md");
            } else if !used {
                let why = match (directive.file_level, directive.statement) {
                    (true, _) => format!("`{id}` reports nothing in this file"),
                    (false, Some(_)) => format!("`{id}` reports nothing on its statement"),
                    (false, None) => "no statement directly follows it".to_string(),
                };
                push(&unused_suppression::RULE, (start, end), format!("`{keyword} {id}` suppresses nothing: {why}"), "remove the rule id from the suppression");
            }
        }
    }
    // Merge in order of position, keeping the rules' own order.
    for d in found {
        let at = diagnostics.iter().position(|x| x.span.start > d.span.start).unwrap_or(diagnostics.len());
        diagnostics.insert(at, d);
    }
}

/// The byte ranges of the `--` comments of `sql` (from `--` to the end of
/// the line). Falls back to comment-only lines when the scanner rejects the
/// file.
fn comments(sql: &str) -> Vec<(usize, usize)> {
    if !sql.contains("astrola-ignore") {
        return Vec::new();
    }
    if let Ok(scanned) = pg_query::scan(sql) {
        let comment = pg_query::protobuf::Token::SqlComment as i32;
        return scanned
            .tokens
            .iter()
            .filter(|t| t.token == comment)
            .filter_map(|t| Some((usize::try_from(t.start).ok()?, usize::try_from(t.end).ok()?)))
            .filter(|&(start, end)| start < end && sql.get(start..end).is_some_and(|c| c.starts_with("--")))
            .collect();
    }
    let mut found = Vec::new();
    let mut offset = 0;
    for line in sql.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let indent = text.len() - text.trim_start().len();
        if text.trim_start().starts_with("--") {
            found.push((offset + indent, offset + text.len()));
        }
        offset += line.len();
    }
    found
}

/// The directive a comment holds, if it is one.
fn parse(sql: &str, comment: (usize, usize)) -> Option<Directive> {
    let text = &sql[comment.0..comment.1];
    let body = text.strip_prefix("--")?;
    let lead = body.len() - body.trim_start().len();
    let start = comment.0 + 2 + lead;
    let rest = &sql[start..comment.1];
    let (file_level, keyword_len) = if is_keyword(rest, "astrola-ignore-file") {
        (true, "astrola-ignore-file".len())
    } else if is_keyword(rest, "astrola-ignore") {
        (false, "astrola-ignore".len())
    } else {
        return None;
    };
    let mut ids = Vec::new();
    let list_start = start + keyword_len;
    let mut id_start = None;
    for (i, c) in sql[list_start..comment.1].char_indices().chain(std::iter::once((comment.1 - list_start, ','))) {
        if c == ',' || c.is_whitespace() {
            if let Some(s) = id_start.take() {
                ids.push((list_start + s, list_start + i, false));
            }
        } else if id_start.is_none() {
            id_start = Some(i);
        }
    }
    Some(Directive { file_level, comment, keyword: (start, list_start), ids, statement: None })
}

/// Whether `text` starts with the word `keyword`.
fn is_keyword(text: &str, keyword: &str) -> bool {
    text.strip_prefix(keyword).is_some_and(|after| after.is_empty() || after.starts_with(|c: char| c.is_whitespace()))
}

/// The statement a statement-level suppression in `comment` applies to:
/// the statement on whose first line it ends, or the statement that starts
/// right after the comment lines it is part of.
fn target(sql: &str, comment: (usize, usize), statements: &[(usize, usize)]) -> Option<usize> {
    let line_start = sql[..comment.0].rfind('\n').map_or(0, |i| i + 1);
    if !sql[line_start..comment.0].trim().is_empty() {
        // At the end of a line: the last statement that starts on it.
        return statements.iter().rposition(|&(start, _)| start >= line_start && start < comment.0);
    }
    let next = statements.iter().position(|&(start, _)| start >= comment.1)?;
    let gap = &sql[comment.1..statements[next].0];
    let mut pieces: Vec<&str> = gap.split('\n').collect();
    let before_statement = pieces.pop().unwrap_or_default();
    // The rest of the comment's own line, then only comment lines.
    let directly_before = pieces.iter().skip(1).all(|line| line.trim_start().starts_with("--")) && before_statement.trim().is_empty();
    directly_before.then_some(next)
}

#[cfg(test)]
mod tests {
    use crate::{lint_sql, LintOptions};

    /// The default rules, without `missing-lock-timeout`, which would add a
    /// finding to every example here.
    fn options() -> LintOptions {
        let mut options = LintOptions::default();
        options.rules.disable.insert("missing-lock-timeout".into());
        options
    }

    fn found(sql: &str) -> Vec<(&'static str, usize)> {
        lint_sql(sql, "m.sql", &options()).iter().map(|d| (d.rule, d.span.line)).collect()
    }

    #[test]
    fn a_comment_before_a_statement_suppresses_its_rule_there_only() {
        let sql = "-- astrola-ignore drop-table\nDROP TABLE a;\nDROP TABLE b;\n";
        assert_eq!(found(sql), [("drop-table", 3)]);
    }

    #[test]
    fn a_comment_block_before_a_statement_counts_but_a_blank_line_breaks_it() {
        let sql = "-- astrola-ignore drop-table\n-- the data moved to archive\nDROP TABLE a;\n-- astrola-ignore drop-table\n\nDROP TABLE b;\n";
        assert_eq!(found(sql), [("unused-suppression", 4), ("drop-table", 6)]);
    }

    #[test]
    fn a_comment_at_the_end_of_the_first_line_suppresses() {
        let sql = "DROP TABLE a; -- astrola-ignore drop-table\nDROP TABLE b;\nCREATE TABLE t ( -- astrola-ignore prefer-bigint-over-int\n  id int PRIMARY KEY\n);\n";
        assert_eq!(found(sql), [("drop-table", 2)]);
    }

    #[test]
    fn a_file_level_suppression_covers_every_statement() {
        let sql = "DROP TABLE a;\nDROP TABLE b;\n-- astrola-ignore-file drop-table\n";
        assert!(found(sql).is_empty());
    }

    #[test]
    fn several_ids_with_or_without_spaces() {
        let sql = "-- astrola-ignore drop-table,truncate\nDROP TABLE a;\n-- astrola-ignore drop-table, truncate\nTRUNCATE b;\n";
        assert_eq!(found(sql), [("unused-suppression", 1), ("unused-suppression", 3)]);
        let sql = "-- astrola-ignore-file drop-table, truncate\nDROP TABLE a;\nTRUNCATE b;\n";
        assert!(found(sql).is_empty());
    }

    #[test]
    fn an_unknown_id_is_reported_and_the_known_ones_still_apply() {
        let sql = "-- astrola-ignore drop-tabel, drop-table\nDROP TABLE a;\n-- astrola-ignore-file no-such-rule\n-- astrola-ignore\nTRUNCATE b;\n";
        let all = lint_sql(sql, "m.sql", &options());
        let rules: Vec<_> = all.iter().map(|d| (d.rule, d.span.line)).collect();
        assert_eq!(rules, [("unknown-suppression", 1), ("unknown-suppression", 3), ("unknown-suppression", 4), ("truncate", 5)]);
        assert_eq!(&sql[all[0].span.start..all[0].span.end], "drop-tabel");
        assert!(all[0].message.contains("`drop-tabel`"), "{}", all[0].message);
    }

    #[test]
    fn an_unused_suppression_is_reported_on_its_id() {
        let sql = "-- astrola-ignore truncate\nDROP TABLE a;\n";
        let all = lint_sql(sql, "m.sql", &options());
        let rules: Vec<_> = all.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["unused-suppression", "drop-table"]);
        assert_eq!(&sql[all[0].span.start..all[0].span.end], "truncate");
        let sql = "DROP TABLE a;\n-- astrola-ignore drop-table\n";
        assert_eq!(found(sql), [("drop-table", 1), ("unused-suppression", 2)]);
    }

    #[test]
    fn suppressing_one_rule_does_not_hide_another() {
        let sql = "-- astrola-ignore prefer-text-over-varchar\nALTER TABLE users ADD COLUMN n varchar(10) NOT NULL;\n";
        let rules: Vec<_> = found(sql).into_iter().map(|(r, _)| r).collect();
        assert!(!rules.is_empty() && !rules.contains(&"prefer-text-over-varchar"), "{rules:?}");
        assert!(!rules.contains(&"unused-suppression"), "{rules:?}");
    }

    #[test]
    fn a_suppression_inside_a_string_is_not_one() {
        let sql = "INSERT INTO t VALUES ('-- astrola-ignore drop-table');\nDROP TABLE a;\n";
        assert_eq!(found(sql), [("drop-table", 2)]);
    }

    #[test]
    fn a_syntax_error_can_be_suppressed() {
        let sql = "-- astrola-ignore syntax-error\nCREATE TABLEX t (id int8);\nDROP TABLE users;\n";
        assert_eq!(found(sql), [("drop-table", 3)]);
    }
}
