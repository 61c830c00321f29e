use pg_query::protobuf::{AlterTableType, ObjectType};
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, Token, STATEMENT};
use crate::context::dropped_keys;
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for `DROP` statements (`DROP TABLE`, `DROP INDEX`, `DROP
    /// VIEW`, `DROP FUNCTION`, `DROP DATABASE`, ...) and `ALTER TABLE ...
    /// DROP COLUMN` / `DROP CONSTRAINT` without `IF EXISTS`. A `DROP` of a
    /// table, index or schema that the script itself created earlier is
    /// left alone: on every run it finds the object.
    ///
    /// Off by default: a migration tool runs each file once, in order, and
    /// records that it did, so a second run never happens. Switch it on
    /// (`[rules] enable = ["require-if-exists"]`) for scripts that are run
    /// again and again, such as setup scripts and hand-run fixes.
    ///
    /// ## Why is this bad?
    /// Run a second time, the statement fails with "does not exist" and the
    /// rest of the script does not run (or the transaction around it rolls
    /// back).
    ///
    /// ## Example
    /// ```sql
    /// DROP INDEX events_created_at;
    /// ALTER TABLE events DROP COLUMN legacy_source;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// DROP INDEX IF EXISTS events_created_at;
    /// ALTER TABLE events DROP COLUMN IF EXISTS legacy_source;
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `IF EXISTS` and is safe: when the object exists the
    /// statement does the same thing.
    pub(crate) RULE = { id: "require-if-exists", category: Idempotency, severity: Info, check: check, default_enabled: false }
}

fn check(checker: &mut Checker<'_>) {
    match checker.node {
        NodeEnum::DropStmt(s) if !s.missing_ok => {
            let kind = s.remove_type();
            let created = |key: &String| match kind {
                ObjectType::ObjectTable | ObjectType::ObjectView | ObjectType::ObjectMatview => checker.context.created_table_key(key),
                ObjectType::ObjectIndex => checker.context.created_index_key(key),
                ObjectType::ObjectSchema => checker.context.created_schema(key),
                _ => false,
            };
            let keys = dropped_keys(&s.objects);
            if !keys.is_empty() && keys.iter().all(created) {
                return;
            }
            let words = keywords(kind);
            report_drop(checker, words.map(|w| (w, kind == ObjectType::ObjectIndex)));
        }
        NodeEnum::DropdbStmt(s) if !s.missing_ok => report_drop(checker, Some((&["DATABASE"], false))),
        NodeEnum::AlterTableStmt(s) => {
            let drops: Vec<(usize, &'static str, String)> = alter_table_cmds(s)
                .enumerate()
                .filter(|(_, cmd)| !cmd.missing_ok)
                .filter_map(|(i, cmd)| match cmd.subtype() {
                    AlterTableType::AtDropColumn => Some((i, "COLUMN", cmd.name.clone())),
                    AlterTableType::AtDropConstraint => Some((i, "CONSTRAINT", cmd.name.clone())),
                    _ => None,
                })
                .collect();
            if drops.is_empty() {
                return;
            }
            let tokens = checker.tokens();
            let segments = command_segments(&tokens);
            let aligned = segments.len() == s.cmds.len();
            let points: Vec<Option<(usize, (usize, usize))>> = drops.iter().map(|(i, what, _)| if aligned { drop_insert_point(segments[*i], what) } else { None }).collect();
            for ((_, what, name), point) in drops.into_iter().zip(points) {
                let message = format!("DROP {what} {name} without IF EXISTS fails when the script runs a second time");
                let help = format!("write DROP {what} IF EXISTS if the script may run more than once");
                let (start, end) = point.map_or(checker.range, |(_, span)| span);
                let at = point.map(|(at, _)| at);
                let diagnostic = checker.report_at(&RULE, start, end, message, Some(help));
                if let Some(at) = at {
                    diagnostic.with_fix(Fix::new("add IF EXISTS", Applicability::Safe, Edit { start: at, end: at, replacement: " IF EXISTS".to_string() }));
                }
            }
        }
        _ => {}
    }
}

/// Reports a `DROP` whose object type is spelled `words` after `DROP`
/// (followed by `CONCURRENTLY` when `concurrent` may be), with the fix when
/// the statement starts that way.
fn report_drop(checker: &mut Checker<'_>, words: Option<(&[&str], bool)>) {
    let tokens = checker.tokens();
    let at = words.and_then(|(words, concurrent)| {
        let head = tokens.get(..=words.len())?;
        let matches = head.iter().zip(std::iter::once(&"DROP").chain(words)).all(|(t, w)| t.word && t.text.eq_ignore_ascii_case(w));
        if !matches {
            return None;
        }
        let end = head.last()?.end;
        match tokens.get(words.len() + 1) {
            Some(t) if concurrent && t.word && t.text.eq_ignore_ascii_case("CONCURRENTLY") => Some(t.end),
            _ => Some(end),
        }
    });
    let what: Vec<String> = tokens.iter().take(1 + words.map_or(0, |(w, _)| w.len())).map(|t| t.text.to_uppercase()).collect();
    let what = what.join(" ");
    let message = format!("{what} without IF EXISTS fails when the script runs a second time");
    let diagnostic = checker.report(&RULE, STATEMENT, message, format!("write {what} IF EXISTS if the script may run more than once"));
    if let Some(at) = at {
        diagnostic.with_fix(Fix::new("add IF EXISTS", Applicability::Safe, Edit { start: at, end: at, replacement: " IF EXISTS".to_string() }));
    }
}

/// The keywords between `DROP` and `IF EXISTS` for an object type.
fn keywords(kind: ObjectType) -> Option<&'static [&'static str]> {
    use pg_query::protobuf::ObjectType as O;
    Some(match kind {
        O::ObjectTable => &["TABLE"],
        O::ObjectIndex => &["INDEX"],
        O::ObjectView => &["VIEW"],
        O::ObjectMatview => &["MATERIALIZED", "VIEW"],
        O::ObjectForeignTable => &["FOREIGN", "TABLE"],
        O::ObjectSequence => &["SEQUENCE"],
        O::ObjectSchema => &["SCHEMA"],
        ObjectType::ObjectType => &["TYPE"],
        O::ObjectDomain => &["DOMAIN"],
        O::ObjectFunction => &["FUNCTION"],
        O::ObjectProcedure => &["PROCEDURE"],
        O::ObjectRoutine => &["ROUTINE"],
        O::ObjectAggregate => &["AGGREGATE"],
        O::ObjectExtension => &["EXTENSION"],
        O::ObjectTrigger => &["TRIGGER"],
        O::ObjectEventTrigger => &["EVENT", "TRIGGER"],
        O::ObjectPolicy => &["POLICY"],
        O::ObjectRule => &["RULE"],
        O::ObjectCollation => &["COLLATION"],
        O::ObjectConversion => &["CONVERSION"],
        O::ObjectStatisticExt => &["STATISTICS"],
        O::ObjectPublication => &["PUBLICATION"],
        O::ObjectOperator => &["OPERATOR"],
        O::ObjectOpclass => &["OPERATOR", "CLASS"],
        O::ObjectOpfamily => &["OPERATOR", "FAMILY"],
        O::ObjectCast => &["CAST"],
        O::ObjectForeignServer => &["SERVER"],
        O::ObjectFdw => &["FOREIGN", "DATA", "WRAPPER"],
        O::ObjectLanguage => &["LANGUAGE"],
        O::ObjectAccessMethod => &["ACCESS", "METHOD"],
        O::ObjectTransform => &["TRANSFORM"],
        O::ObjectTsparser => &["TEXT", "SEARCH", "PARSER"],
        O::ObjectTsdictionary => &["TEXT", "SEARCH", "DICTIONARY"],
        O::ObjectTstemplate => &["TEXT", "SEARCH", "TEMPLATE"],
        O::ObjectTsconfiguration => &["TEXT", "SEARCH", "CONFIGURATION"],
        _ => return None,
    })
}

/// The tokens of an `ALTER TABLE`, split at the commas between its
/// commands (the first part holds `ALTER TABLE name` too).
fn command_segments<'t, 's>(tokens: &'t [Token<'s>]) -> Vec<&'t [Token<'s>]> {
    let mut segments = Vec::new();
    let mut depth = 0i32;
    let mut from = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.text {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            "," if depth == 0 => {
                segments.push(&tokens[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    segments.push(&tokens[from..]);
    segments
}

/// Where `IF EXISTS` goes in one `DROP [COLUMN] name` or `DROP CONSTRAINT
/// name` command (after `DROP` and the optional or required keyword), and
/// the command's range up to the name.
fn drop_insert_point(segment: &[Token<'_>], what: &str) -> Option<(usize, (usize, usize))> {
    let drop = segment.iter().position(|t| t.word && t.text.eq_ignore_ascii_case("DROP"))?;
    let keyword = match segment.get(drop + 1) {
        Some(t) if t.word && t.text.eq_ignore_ascii_case(what) => drop + 1,
        _ if what == "COLUMN" => drop,
        _ => return None,
    };
    let name_end = segment.get(keyword + 1).map_or(segment[keyword].end, |t| t.end);
    Some((segment[keyword].end, (segment[drop].start, name_end)))
}
