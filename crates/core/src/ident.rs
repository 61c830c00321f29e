//! Identifiers and qualified names, with PostgreSQL-compatible quoting.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// PostgreSQL keywords that are not `UNRESERVED_KEYWORD` in the server's
/// `kwlist.h`. `quote_ident` quotes these, and so do we. Sorted for binary search.
const PG_KEYWORDS_NEEDING_QUOTES: &[&str] = &["all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "json", "json_array", "json_arrayagg", "json_exists", "json_object", "json_objectagg", "json_query", "json_scalar", "json_serialize", "json_table", "json_value", "lateral", "leading", "least", "left", "like", "limit", "localtime", "localtimestamp", "merge_action", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position", "precision", "primary", "real", "references", "returning", "right", "row", "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user", "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable", ];

/// Whether `name` can be written without double quotes in PostgreSQL: it
/// starts with a lowercase letter or underscore, continues with lowercase
/// letters, digits, underscores or dollar signs, and is not a keyword.
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() || c == '_' => {}
        _ => return false,
    }
    if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$') {
        return false;
    }
    PG_KEYWORDS_NEEDING_QUOTES.binary_search(&name).is_err()
}

/// Quotes an identifier for PostgreSQL when it needs quoting, doubling any
/// embedded double quotes. The result can never change the meaning of the SQL
/// it is placed in.
pub fn quote_ident(name: &str) -> String {
    if is_plain_identifier(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Always quotes an identifier with double quotes (PostgreSQL, SQLite).
pub fn quote_ident_always(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes an identifier with backticks (MySQL/MariaDB).
pub fn quote_ident_backtick(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Quotes a string literal the SQL-standard way (single quotes doubled). Valid
/// in PostgreSQL with `standard_conforming_strings` on (the default since 9.1)
/// and in SQLite; the MySQL renderer also escapes backslashes.
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A schema-qualified object name, such as `public.users`.
///
/// It serialises as its SQL spelling (`public.users`, `"My Schema"."T"`), so it
/// can key JSON maps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    /// The namespace (schema); empty for dialects without namespaces.
    pub schema: String,
    /// The object's own name.
    pub name: String,
}

impl QualifiedName {
    /// Builds a qualified name.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Self { schema: schema.into(), name: name.into() }
    }

    /// Parses the SQL spelling produced by `Display` (`a.b`, `"a"."b.c"`, or
    /// a bare `b` with an empty schema).
    pub fn parse(text: &str) -> Option<Self> {
        let parts = split_qualified(text)?;
        match parts.as_slice() {
            [name] => Some(Self::new("", name.clone())),
            [schema, name] => Some(Self::new(schema.clone(), name.clone())),
            _ => None,
        }
    }
}

/// Splits a dotted, possibly quoted, name into its parts. Unquoted parts are
/// kept as written (callers fold case where the dialect does).
pub fn split_qualified(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.push(c);
                chars.next();
            }
            if part.is_empty() {
                return None;
            }
        }
        parts.push(part);
        match chars.next() {
            None => return Some(parts),
            Some('.') => continue,
            Some(_) => return None,
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schema.is_empty() {
            write!(f, "{}", quote_ident(&self.name))
        } else {
            write!(f, "{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
        }
    }
}

impl Serialize for QualifiedName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for QualifiedName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        QualifiedName::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid qualified name: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(PG_KEYWORDS_NEEDING_QUOTES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("a\"b; drop"), "\"a\"\"b; drop\"");
        assert_eq!(quote_ident("naïve"), "\"naïve\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }

    #[test]
    fn qualified_names_round_trip_through_text() {
        for (schema, name) in [("public", "t"), ("My Schema", "a.b"), ("s", "x\"y"), ("", "t")] {
            let q = QualifiedName::new(schema, name);
            assert_eq!(QualifiedName::parse(&q.to_string()), Some(q));
        }
    }
}
