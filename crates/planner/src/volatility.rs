//! Whether a default expression is volatile: evaluated per row, so that
//! adding a column with it rewrites the table (PostgreSQL 11 and later
//! store a non-volatile default once, in the catalog).

use astrola_core::model::Schema;

/// Built-in functions that are not volatile (immutable or stable). A
/// function not listed here, and not a user function declared IMMUTABLE or
/// STABLE, is taken as volatile, as `CREATE FUNCTION` makes functions by
/// default.
const NON_VOLATILE: &[&str] = &[
    "abs", "array_fill", "btrim", "coalesce", "concat", "current_database", "current_schema", "current_setting", "current_user", "date_trunc", "greatest", "jsonb_build_array",
    "jsonb_build_object", "json_build_array", "json_build_object", "least", "length", "lower", "ltrim", "make_date", "make_interval", "make_timestamp", "make_timestamptz",
    "md5", "now", "nullif", "replace", "round", "rtrim", "statement_timestamp", "timezone", "to_char", "to_json", "to_jsonb", "to_timestamp", "transaction_timestamp", "upper",
    "array", "row",
];

/// Type names that take modifiers and so look like calls (`varchar(10)`).
const TYPE_NAMES: &[&str] = &["varying", "varchar", "character", "char", "numeric", "decimal", "timestamp", "time", "interval", "bit", "float", "zone"];

/// Whether `expr` (canonical text) calls a volatile function.
pub(crate) fn is_volatile(expr: &str, from: &Schema, to: &Schema) -> bool {
    calls(expr).into_iter().any(|name| {
        let lower = name.to_ascii_lowercase();
        let bare = lower.rsplit('.').next().unwrap_or(&lower).trim_matches('"').to_string();
        if TYPE_NAMES.contains(&bare.as_str()) {
            return false;
        }
        if let Some(stable) = user_function(&bare, from).or_else(|| user_function(&bare, to)) {
            return !stable;
        }
        !NON_VOLATILE.contains(&bare.as_str())
    })
}

/// Whether the schema has a function of that name declared non-volatile
/// (Some(true)), only volatile ones (Some(false)), or none (None).
fn user_function(name: &str, schema: &Schema) -> Option<bool> {
    let mut found = None;
    for f in schema.functions.values().filter(|f| f.name.name == name) {
        let stable = f.options.iter().any(|o| o.eq_ignore_ascii_case("IMMUTABLE") || o.eq_ignore_ascii_case("STABLE"));
        found = Some(found.unwrap_or(true) && stable);
    }
    found
}

/// The names called in `expr`: identifiers (possibly qualified) followed by
/// `(`, outside string literals.
fn calls(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    let mut ident = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            ident.clear();
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
        } else if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += 1;
            }
            ident.push_str(&chars[start..(i + 1).min(chars.len())].iter().collect::<String>());
        } else if c.is_alphanumeric() || c == '_' || c == '.' || c == '$' {
            ident.push(c);
        } else if c == '(' {
            if !ident.is_empty() && !ident.chars().all(|c| c.is_ascii_digit() || c == '.') {
                out.push(std::mem::take(&mut ident));
            }
            ident.clear();
        } else if c.is_whitespace() {
            // `character varying (10)` never appears in canonical text, but a
            // call is never written with a space before its parenthesis.
            ident.clear();
        } else {
            ident.clear();
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volatile_calls_are_found_and_constants_are_not() {
        let s = Schema::new(astrola_core::Dialect::Postgres);
        assert!(is_volatile("gen_random_uuid()", &s, &s));
        assert!(is_volatile("nextval('public.t_id_seq'::regclass)", &s, &s));
        assert!(is_volatile("(random() * (10)::double precision)", &s, &s));
        assert!(!is_volatile("now()", &s, &s));
        assert!(!is_volatile("'x'::character varying(40)", &s, &s));
        assert!(!is_volatile("'random()'::text", &s, &s));
        assert!(!is_volatile("0", &s, &s));
        assert!(!is_volatile("CURRENT_TIMESTAMP", &s, &s));
        assert!(is_volatile("clock_timestamp()", &s, &s));
    }
}
