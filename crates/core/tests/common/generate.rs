//! Generated PostgreSQL schemas for property tests: tables with awkward
//! identifiers, typed columns, defaults, keys, checks, indexes, foreign keys
//! and comments; and edits that turn one generated schema into another.

use astrola_core::ident::{quote_ident, quote_literal};
use proptest::prelude::*;

/// Identifiers that need care: keywords, upper case, spaces, quotes,
/// semicolons and non-ASCII letters.
pub fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,10}",
        Just("user".to_string()),
        Just("order".to_string()),
        Just("select".to_string()),
        Just("Mixed Case".to_string()),
        Just("quo\"te".to_string()),
        Just("semi;colon -- x".to_string()),
        Just("naïve_ü".to_string()),
    ]
}

#[derive(Debug, Clone)]
pub struct GenColumn {
    pub name: String,
    pub data_type: &'static str,
    pub not_null: bool,
    pub default: Option<&'static str>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GenTable {
    pub name: String,
    pub columns: Vec<GenColumn>,
    pub primary_key: bool,
    pub unique: Option<usize>,
    pub check: bool,
    pub index: Option<(usize, bool, bool)>,
    pub references_previous: bool,
}

pub const TYPES: &[(&str, &[&str])] = &[
    ("integer", &["0", "-1", "42"]),
    ("bigint", &["0", "7"]),
    ("text", &["'x'", "'it''s'", "''"]),
    ("character varying(40)", &["'abc'"]),
    ("numeric(10,2)", &["0", "1.5"]),
    ("boolean", &["true", "false"]),
    ("timestamp with time zone", &["now()", "CURRENT_TIMESTAMP"]),
    ("jsonb", &["'{}'::jsonb"]),
    ("uuid", &["gen_random_uuid()"]),
    ("text[]", &["'{}'::text[]"]),
    ("date", &["CURRENT_DATE"]),
];

pub fn column() -> impl Strategy<Value = GenColumn> {
    (identifier(), 0..TYPES.len(), any::<bool>(), any::<bool>(), 0usize..3, proptest::option::of("[ -~]{0,12}")).prop_map(
        |(name, t, not_null, with_default, d, comment)| {
            let (data_type, defaults) = TYPES[t];
            GenColumn { name, data_type, not_null, default: with_default.then(|| defaults[d % defaults.len()]), comment }
        },
    )
}

pub fn table() -> impl Strategy<Value = GenTable> {
    (
        identifier(),
        proptest::collection::vec(column(), 1..6),
        any::<bool>(),
        proptest::option::of(0usize..6),
        any::<bool>(),
        proptest::option::of((0usize..6, any::<bool>(), any::<bool>())),
        any::<bool>(),
    )
        .prop_map(|(name, mut columns, primary_key, unique, check, index, references_previous)| {
            // Column names must be distinct within a table.
            let mut seen = std::collections::BTreeSet::new();
            columns.retain(|c| seen.insert(c.name.clone()));
            GenTable { name, columns, primary_key, unique, check, index, references_previous }
        })
}

pub fn schema_sql(tables: &[GenTable]) -> String {
    let mut sql = String::new();
    let mut pk_tables: Vec<(String, &'static str)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for t in tables {
        if !seen.insert(t.name.clone()) {
            continue;
        }
        let table = quote_ident(&t.name);
        let mut items: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let mut s = format!("{} {}", quote_ident(&c.name), c.data_type);
                if c.not_null {
                    s.push_str(" NOT NULL");
                }
                if let Some(d) = c.default {
                    s.push_str(&format!(" DEFAULT {d}"));
                }
                s
            })
            .collect();
        let first = &t.columns[0];
        let pk_capable = !first.data_type.ends_with("[]") && first.data_type != "jsonb";
        if t.primary_key && pk_capable {
            items.push(format!("PRIMARY KEY ({})", quote_ident(&first.name)));
        }
        if let Some(u) = t.unique.and_then(|u| t.columns.get(u)) {
            if u.data_type != "jsonb" {
                items.push(format!("UNIQUE ({})", quote_ident(&u.name)));
            }
        }
        if t.check {
            if let Some(c) = t.columns.iter().find(|c| c.data_type == "integer" || c.data_type == "bigint") {
                items.push(format!("CHECK ({} > -100)", quote_ident(&c.name)));
            }
        }
        if t.references_previous {
            if let Some((target, ty)) = pk_tables.last() {
                items.push(format!("fk_col {ty} REFERENCES {} ON DELETE CASCADE", quote_ident(target)));
            }
        }
        sql.push_str(&format!("CREATE TABLE {table} ({});\n", items.join(", ")));
        if let Some((i, desc, partial)) = t.index {
            if let Some(c) = t.columns.get(i).filter(|c| c.data_type != "jsonb" && !c.data_type.ends_with("[]")) {
                let order = if desc { " DESC" } else { "" };
                let predicate = if partial { format!(" WHERE {} IS NOT NULL", quote_ident(&c.name)) } else { String::new() };
                sql.push_str(&format!("CREATE INDEX ON {table} ({}{order}){predicate};\n", quote_ident(&c.name)));
            }
        }
        for c in &t.columns {
            if let Some(text) = &c.comment {
                sql.push_str(&format!("COMMENT ON COLUMN {table}.{} IS {};\n", quote_ident(&c.name), quote_literal(text)));
            }
        }
        if t.primary_key && pk_capable {
            pk_tables.push((t.name.clone(), first.data_type));
        }
    }
    sql
}

/// One edit of a generated schema.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Add a table.
    AddTable(GenTable),
    /// Remove the table at this position (modulo the table count).
    DropTable(usize),
    /// Add a column to a table.
    AddColumn(usize, GenColumn),
    /// Remove a column (never the last one).
    DropColumn(usize, usize),
    /// Give a column another type (an index into [`TYPES`]), dropping its default.
    Retype(usize, usize, usize),
    /// Flip a column's NOT NULL.
    ToggleNotNull(usize, usize),
    /// Set or remove a column's default (an index into its type's defaults).
    SetDefault(usize, usize, Option<usize>),
    /// Flip a table's primary key.
    TogglePrimaryKey(usize),
    /// Flip a table's CHECK.
    ToggleCheck(usize),
    /// Replace a table's index.
    SetIndex(usize, Option<(usize, bool, bool)>),
    /// Replace a column's comment.
    SetComment(usize, usize, Option<String>),
}

/// A random edit.
pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        table().prop_map(Edit::AddTable),
        any::<usize>().prop_map(Edit::DropTable),
        (any::<usize>(), column()).prop_map(|(t, c)| Edit::AddColumn(t, c)),
        (any::<usize>(), any::<usize>()).prop_map(|(t, c)| Edit::DropColumn(t, c)),
        (any::<usize>(), any::<usize>(), 0..TYPES.len()).prop_map(|(t, c, ty)| Edit::Retype(t, c, ty)),
        (any::<usize>(), any::<usize>()).prop_map(|(t, c)| Edit::ToggleNotNull(t, c)),
        (any::<usize>(), any::<usize>(), proptest::option::of(0usize..3)).prop_map(|(t, c, d)| Edit::SetDefault(t, c, d)),
        any::<usize>().prop_map(Edit::TogglePrimaryKey),
        any::<usize>().prop_map(Edit::ToggleCheck),
        (any::<usize>(), proptest::option::of((0usize..6, any::<bool>(), any::<bool>()))).prop_map(|(t, i)| Edit::SetIndex(t, i)),
        (any::<usize>(), any::<usize>(), proptest::option::of("[ -~]{0,12}")).prop_map(|(t, c, s)| Edit::SetComment(t, c, s)),
    ]
}

/// Applies `edits` to a copy of `tables`.
pub fn apply_edits(tables: &[GenTable], edits: &[Edit]) -> Vec<GenTable> {
    let mut out: Vec<GenTable> = tables.to_vec();
    for e in edits {
        let n = out.len();
        if n == 0 {
            if let Edit::AddTable(t) = e {
                out.push(t.clone());
            }
            continue;
        }
        match e {
            Edit::AddTable(t) => {
                if !out.iter().any(|x| x.name == t.name) {
                    out.push(t.clone());
                }
            }
            Edit::DropTable(i) => {
                if n > 1 {
                    out.remove(i % n);
                }
            }
            Edit::AddColumn(t, c) => {
                let t = &mut out[t % n];
                if !t.columns.iter().any(|x| x.name == c.name) {
                    t.columns.push(c.clone());
                }
            }
            Edit::DropColumn(t, c) => {
                let t = &mut out[t % n];
                if t.columns.len() > 1 {
                    let c = c % t.columns.len();
                    t.columns.remove(c);
                }
            }
            Edit::Retype(t, c, ty) => {
                let t = &mut out[t % n];
                let len = t.columns.len();
                let col = &mut t.columns[c % len];
                col.data_type = TYPES[*ty].0;
                col.default = None;
            }
            Edit::ToggleNotNull(t, c) => {
                let t = &mut out[t % n];
                let len = t.columns.len();
                t.columns[c % len].not_null ^= true;
            }
            Edit::SetDefault(t, c, d) => {
                let t = &mut out[t % n];
                let len = t.columns.len();
                let col = &mut t.columns[c % len];
                let defaults = TYPES.iter().find(|(ty, _)| *ty == col.data_type).map(|(_, d)| *d).unwrap_or(&[]);
                col.default = d.and_then(|d| defaults.get(d % defaults.len().max(1)).copied());
            }
            Edit::TogglePrimaryKey(t) => out[t % n].primary_key ^= true,
            Edit::ToggleCheck(t) => out[t % n].check ^= true,
            Edit::SetIndex(t, i) => out[t % n].index = *i,
            Edit::SetComment(t, c, s) => {
                let t = &mut out[t % n];
                let len = t.columns.len();
                t.columns[c % len].comment = s.clone();
            }
        }
    }
    out
}
