//! What an expression, a view query or a function signature refers to.
//!
//! Expressions are stored as canonical text, so references are found by
//! their identifiers: every identifier (quoted or not) and every dotted name
//! inside a string literal (`nextval('public.seq'::regclass)`).

use std::collections::{BTreeSet, HashMap};

use astrola_core::{QualifiedName, Schema};

/// The identifiers of `text`, unquoted.
pub(crate) fn words(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect(text, &mut out, 0);
    out
}

fn collect(text: &str, out: &mut BTreeSet<String>, depth: u8) {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            let mut word = String::new();
            while let Some((_, d)) = chars.next() {
                if d == '"' {
                    if chars.peek().is_some_and(|(_, e)| *e == '"') {
                        chars.next();
                        word.push('"');
                        continue;
                    }
                    break;
                }
                word.push(d);
            }
            out.insert(word);
        } else if c == '\'' {
            let start = i + 1;
            let mut end = text.len();
            while let Some((j, d)) = chars.next() {
                if d == '\'' {
                    if chars.peek().is_some_and(|(_, e)| *e == '\'') {
                        chars.next();
                        continue;
                    }
                    end = j;
                    break;
                }
            }
            if depth == 0 {
                if let Some(inner) = text.get(start..end) {
                    collect(&inner.replace("''", "'"), out, depth + 1);
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some((j, d)) = chars.peek() {
                if d.is_alphanumeric() || *d == '_' || *d == '$' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            if let Some(w) = text.get(i..end) {
                out.insert(w.to_string());
            }
        }
    }
}

/// Whether the identifiers `words` mention the relation `name`.
pub(crate) fn mentions_relation(words: &BTreeSet<String>, name: &QualifiedName) -> bool {
    words.contains(&name.name)
}

/// The type named by a column or argument type (`public.mood[]` -> `public.mood`).
pub(crate) fn type_name(data_type: &str) -> Option<QualifiedName> {
    let t = data_type.trim().trim_start_matches("SETOF ").trim_end_matches("[]");
    let t = t.split('(').next().unwrap_or(t).trim();
    QualifiedName::parse(t)
}

/// Name lookups into one schema: which relations, functions and types a
/// text mentions, found through an index by unqualified name.
pub(crate) struct References<'s> {
    schema: &'s Schema,
    relations: HashMap<&'s str, Vec<&'s QualifiedName>>,
    functions: HashMap<&'s str, Vec<&'s QualifiedName>>,
    types: HashMap<&'s str, Vec<&'s QualifiedName>>,
}

impl<'s> References<'s> {
    pub(crate) fn new(schema: &'s Schema) -> Self {
        let mut relations: HashMap<&str, Vec<&QualifiedName>> = HashMap::new();
        for name in schema.tables.keys().chain(schema.views.keys()).chain(schema.sequences.keys()) {
            relations.entry(name.name.as_str()).or_default().push(name);
        }
        let mut functions: HashMap<&str, Vec<&QualifiedName>> = HashMap::new();
        for f in schema.functions.values() {
            let e = functions.entry(f.name.name.as_str()).or_default();
            if !e.contains(&&f.name) {
                e.push(&f.name);
            }
        }
        let mut types: HashMap<&str, Vec<&QualifiedName>> = HashMap::new();
        for name in schema.types.keys().chain(schema.domains.keys()) {
            types.entry(name.name.as_str()).or_default().push(name);
        }
        Self { schema, relations, functions, types }
    }

    /// The schema looked into.
    pub(crate) fn schema(&self) -> &'s Schema {
        self.schema
    }

    pub(crate) fn words(&self, text: &str) -> BTreeSet<String> {
        words(text)
    }

    fn lookup(index: &HashMap<&'s str, Vec<&'s QualifiedName>>, text: &str) -> Vec<QualifiedName> {
        if index.is_empty() {
            return Vec::new();
        }
        words(text).iter().filter_map(|w| index.get(w.as_str())).flatten().map(|q| (*q).clone()).collect()
    }

    /// Relations (tables, views, sequences) of the schema mentioned in `text`.
    pub(crate) fn relations(&self, text: &str) -> Vec<QualifiedName> {
        Self::lookup(&self.relations, text)
    }

    /// Functions of the schema mentioned in `text`, by qualified name.
    pub(crate) fn functions(&self, text: &str) -> Vec<QualifiedName> {
        Self::lookup(&self.functions, text)
    }

    /// User-defined types (enums, composites, ranges, domains) mentioned in `text`.
    pub(crate) fn types(&self, text: &str) -> Vec<QualifiedName> {
        Self::lookup(&self.types, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_identifiers_quoted_and_in_literals() {
        let w = words("nextval('public.\"My Seq\"'::regclass) + \"Weird\"\"Name\" + lower(x)");
        for expected in ["nextval", "public", "My Seq", "regclass", "Weird\"Name", "lower", "x"] {
            assert!(w.contains(expected), "{expected} in {w:?}");
        }
    }

    #[test]
    fn never_panics_on_unterminated_input() {
        for text in ["'abc", "\"abc", "é'\"", "'''", ""] {
            let _ = words(text);
        }
    }
}
