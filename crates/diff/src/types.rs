//! What a column type change does to existing values: whether every value
//! survives (or some may be rejected or truncated), and whether PostgreSQL
//! needs a `USING` expression because no assignment cast exists.
//!
//! Types are the canonical spellings of the model (`character varying(255)`,
//! `numeric(10,2)`, `timestamp(3) with time zone`, `integer[]`).

use astrola_core::model::{TypeDef, TypeKind};

/// A type split into its base name, its modifiers and its array depth.
#[derive(Debug, PartialEq, Eq)]
struct TypeShape<'a> {
    base: &'a str,
    modifiers: Vec<i64>,
    array: usize,
}

fn shape(t: &str) -> TypeShape<'_> {
    let mut t = t.trim();
    let mut array = 0;
    while let Some(rest) = t.strip_suffix("[]") {
        t = rest.trim_end();
        array += 1;
    }
    // `timestamp(3) with time zone` keeps its modifier in the middle.
    let (base, modifiers) = match (t.find('('), t.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let mods = t[open + 1..close].split(',').filter_map(|m| m.trim().parse().ok()).collect();
            let base = if close + 1 < t.len() { &t[..open] } else { t[..open].trim_end() };
            (base.trim_end(), mods)
        }
        _ => (t, Vec::new()),
    };
    let base = match base {
        "timestamp" if t.ends_with("with time zone") && !t.ends_with("without time zone") => "timestamp with time zone",
        "timestamp" => "timestamp without time zone",
        "time" if t.ends_with("with time zone") && !t.ends_with("without time zone") => "time with time zone",
        "time" => "time without time zone",
        other => other,
    };
    TypeShape { base, modifiers, array }
}

/// Rank of an integer-valued or floating type by the values it holds.
fn numeric_rank(base: &str) -> Option<u8> {
    Some(match base {
        "smallint" => 1,
        "integer" => 2,
        "bigint" => 3,
        _ => return None,
    })
}

fn is_string(base: &str) -> bool {
    matches!(base, "text" | "character varying" | "character" | "varchar" | "char" | "bpchar" | "citext")
}

/// Whether changing a column from `from` to `to` can lose, truncate or
/// reject existing values.
pub fn is_narrowing(from: &str, to: &str) -> bool {
    if from == to {
        return false;
    }
    let (f, t) = (shape(from), shape(to));
    if f.array != t.array {
        return true;
    }
    // Anything can be written as text without loss.
    if matches!(t.base, "text" | "citext") || (t.base == "character varying" && t.modifiers.is_empty()) {
        return false;
    }
    if is_string(f.base) && is_string(t.base) {
        let from_len = if matches!(f.base, "text" | "citext") { None } else { f.modifiers.first().copied().or(if f.base == "character" { Some(1) } else { None }) };
        let to_len = t.modifiers.first().copied().or(if t.base == "character" { Some(1) } else { None });
        return match (from_len, to_len) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b < a,
        };
    }
    if let (Some(a), Some(b)) = (numeric_rank(f.base), numeric_rank(t.base)) {
        return b < a;
    }
    if t.base == "numeric" {
        if t.modifiers.is_empty() {
            return !(numeric_rank(f.base).is_some() || f.base == "numeric");
        }
        let (tp, ts) = (t.modifiers[0], t.modifiers.get(1).copied().unwrap_or(0));
        let (fp, fs) = match (f.base, f.modifiers.as_slice()) {
            ("numeric", [p]) => (*p, 0),
            ("numeric", [p, s]) => (*p, *s),
            ("smallint", _) => (5, 0),
            ("integer", _) => (10, 0),
            ("bigint", _) => (19, 0),
            _ => return true,
        };
        return tp - ts < fp - fs || ts < fs;
    }
    if t.base == "double precision" {
        return !matches!(f.base, "smallint" | "integer" | "real");
    }
    if t.base == "real" {
        return f.base != "smallint";
    }
    let precision_drop = |f: &TypeShape, t: &TypeShape| match (f.modifiers.first(), t.modifiers.first()) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b < a,
    };
    match (f.base, t.base) {
        (a, b) if a == b => precision_drop(&f, &t),
        ("timestamp without time zone" | "timestamp with time zone", "timestamp without time zone" | "timestamp with time zone") => {
            precision_drop(&f, &t)
        }
        ("date", "timestamp without time zone" | "timestamp with time zone") => false,
        ("time without time zone", "time with time zone" | "interval") => false,
        ("json", "jsonb") | ("jsonb", "json") => false,
        ("cidr", "inet") => false,
        ("bit", "bit varying") => false,
        _ => true,
    }
}

/// Whether PostgreSQL needs `USING column::type` to change `from` into `to`
/// (there is no implicit or assignment cast between them).
pub fn needs_using(from: &str, to: &str) -> bool {
    let (f, t) = (shape(from), shape(to));
    if f.array != t.array {
        return true;
    }
    if f.base == t.base {
        return false;
    }
    // Every type converts to a string type through its output function in
    // assignment context.
    if is_string(t.base) && t.base != "citext" {
        return false;
    }
    let numeric = |b: &str| matches!(b, "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision");
    if numeric(f.base) && numeric(t.base) {
        return false;
    }
    !matches!(
        (f.base, t.base),
        ("date", "timestamp without time zone" | "timestamp with time zone")
            | ("timestamp without time zone", "timestamp with time zone" | "date" | "time without time zone")
            | ("timestamp with time zone", "timestamp without time zone" | "date" | "time without time zone" | "time with time zone")
            | ("time without time zone", "time with time zone" | "interval")
            | ("time with time zone", "time without time zone")
            | ("interval", "time without time zone")
            | ("json", "jsonb")
            | ("jsonb", "json")
            | ("cidr", "inet")
            | ("inet", "cidr")
            | ("bit", "bit varying")
            | ("bit varying", "bit")
            | ("money", "numeric")
            | ("integer" | "bigint" | "numeric", "money")
    )
}

/// Whether replacing type `from` by `to` can reject values that columns
/// hold: an enum label removed, or a composite attribute removed or
/// narrowed.
pub fn type_loses_values(from: &TypeDef, to: &TypeDef) -> bool {
    match (&from.kind, &to.kind) {
        (TypeKind::Enum { labels: a }, TypeKind::Enum { labels: b }) => a.iter().any(|l| !b.contains(l)),
        (TypeKind::Composite { attributes: a }, TypeKind::Composite { attributes: b }) => a.iter().any(|x| {
            b.iter().find(|y| y.name == x.name).is_none_or(|y| is_narrowing(&x.data_type, &y.data_type))
        }),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_is_not_narrowing() {
        for (a, b) in [
            ("character varying(10)", "character varying(20)"),
            ("character varying(10)", "text"),
            ("integer", "bigint"),
            ("smallint", "integer"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("integer", "numeric"),
            ("timestamp without time zone", "timestamp with time zone"),
            ("timestamp(3) without time zone", "timestamp(6) without time zone"),
            ("json", "jsonb"),
            ("integer[]", "text[]"),
            ("uuid", "text"),
        ] {
            assert!(!is_narrowing(a, b), "{a} -> {b}");
        }
    }

    #[test]
    fn narrowing_is_detected() {
        for (a, b) in [
            ("character varying(20)", "character varying(10)"),
            ("text", "character varying(10)"),
            ("bigint", "integer"),
            ("numeric(12,2)", "numeric(10,2)"),
            ("numeric(10,3)", "numeric(10,2)"),
            ("text", "integer"),
            ("timestamp with time zone", "date"),
            ("timestamp(6) with time zone", "timestamp(3) with time zone"),
            ("integer[]", "integer"),
            ("double precision", "real"),
        ] {
            assert!(is_narrowing(a, b), "{a} -> {b}");
        }
    }

    #[test]
    fn using_only_without_an_assignment_cast() {
        assert!(!needs_using("integer", "bigint"));
        assert!(!needs_using("bigint", "integer"));
        assert!(!needs_using("uuid", "text"));
        assert!(!needs_using("character varying(10)", "text"));
        assert!(!needs_using("timestamp without time zone", "timestamp with time zone"));
        assert!(needs_using("text", "integer"));
        assert!(needs_using("text", "uuid"));
        assert!(needs_using("integer", "boolean"));
        assert!(needs_using("text", "public.mood"));
        assert!(needs_using("integer", "integer[]"));
    }
}
