//! Canonical type names, as PostgreSQL's `format_type` prints them.

use pg_query::protobuf::{a_const, TypeName};
use pg_query::NodeEnum;

use crate::ident::{quote_ident, QualifiedName};

/// A column type resolved from a `TypeName`.
pub(crate) struct ResolvedType {
    /// The canonical spelling.
    pub name: String,
    /// `serial`, `bigserial` or `smallserial` was written: the column gets an
    /// owned sequence and a default.
    pub serial: bool,
}

/// Maps the internal or alias name of a built-in type to the name
/// `format_type` prints, or `None` for a name that is not a built-in alias.
fn builtin_alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "int2" | "smallint" => "smallint",
        "int4" | "int" | "integer" => "integer",
        "int8" | "bigint" => "bigint",
        "float4" | "real" => "real",
        "float8" => "double precision",
        "bool" | "boolean" => "boolean",
        "varchar" => "character varying",
        "bpchar" => "character",
        "decimal" | "numeric" => "numeric",
        "timestamptz" => "timestamp with time zone",
        "timetz" => "time with time zone",
        "varbit" => "bit varying",
        _ => return None,
    })
}

/// Built-in type names that print as themselves.
const BUILTIN_TYPES: &[&str] = &[
    "aclitem", "any", "anyarray", "anycompatible", "anycompatiblearray", "anycompatiblemultirange",
    "anycompatiblenonarray", "anycompatiblerange", "anyelement", "anyenum", "anymultirange", "anynonarray",
    "anyrange", "bit", "box", "bytea", "char", "cid", "cidr", "circle", "cstring", "date", "datemultirange",
    "daterange", "event_trigger", "gtsvector", "inet", "int2vector", "int4multirange", "int4range",
    "int8multirange", "int8range", "internal", "interval", "json", "jsonb", "jsonpath", "language_handler",
    "line", "lseg", "macaddr", "macaddr8", "money", "name", "nummultirange", "numrange", "oid", "oidvector",
    "path", "pg_lsn", "pg_snapshot", "point", "polygon", "record", "refcursor", "regclass", "regcollation",
    "regconfig", "regdictionary", "regnamespace", "regoper", "regoperator", "regproc", "regprocedure",
    "regrole", "regtype", "text", "tid", "time", "timestamp", "trigger", "tsmultirange", "tsquery", "tsrange",
    "tstzmultirange", "tstzrange", "tsvector", "txid_snapshot", "unknown", "uuid", "void", "xid", "xid8",
    "xml",
];

/// The string parts of a `names` list.
pub(crate) fn name_parts(names: &[pg_query::protobuf::Node]) -> Vec<String> {
    names
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// Integer type modifiers (`varchar(255)`, `numeric(10,2)`).
fn typmods(tn: &TypeName) -> Vec<String> {
    tn.typmods
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(a_const::Val::Ival(i)) => Some(i.ival.to_string()),
                Some(a_const::Val::Fval(f)) => Some(f.fval.clone()),
                Some(a_const::Val::Sval(s)) => Some(s.sval.clone()),
                _ => None,
            },
            Some(NodeEnum::ColumnRef(c)) => Some(name_parts(&c.fields).join(".")),
            _ => None,
        })
        .collect()
}

/// Decodes the field mask of an `interval` type modifier.
fn interval_fields(mask: i64) -> Option<&'static str> {
    const YEAR: i64 = 1 << 2;
    const MONTH: i64 = 1 << 1;
    const DAY: i64 = 1 << 3;
    const HOUR: i64 = 1 << 10;
    const MINUTE: i64 = 1 << 11;
    const SECOND: i64 = 1 << 12;
    Some(match mask {
        YEAR => " year",
        MONTH => " month",
        DAY => " day",
        HOUR => " hour",
        MINUTE => " minute",
        SECOND => " second",
        m if m == YEAR | MONTH => " year to month",
        m if m == DAY | HOUR => " day to hour",
        m if m == DAY | HOUR | MINUTE => " day to minute",
        m if m == DAY | HOUR | MINUTE | SECOND => " day to second",
        m if m == HOUR | MINUTE => " hour to minute",
        m if m == HOUR | MINUTE | SECOND => " hour to second",
        m if m == MINUTE | SECOND => " minute to second",
        0x7FFF => "",
        _ => return None,
    })
}

/// Resolves a `TypeName` to its canonical spelling. `resolve_user` maps an
/// unqualified non-built-in name to its schema.
pub(crate) fn resolve(tn: &TypeName, resolve_user: &dyn Fn(&str) -> String) -> ResolvedType {
    let parts = name_parts(&tn.names);
    let mods = typmods(tn);
    let mut serial = false;
    let (schema, last) = match parts.as_slice() {
        [name] => (None, name.as_str()),
        [schema, name] => (Some(schema.as_str()), name.as_str()),
        [.., schema, name] => (Some(schema.as_str()), name.as_str()),
        [] => (None, "unknown"),
    };
    let builtin_schema = matches!(schema, None | Some("pg_catalog"));
    let mut base = if builtin_schema && matches!(last, "serial" | "serial4" | "bigserial" | "serial8" | "smallserial" | "serial2") && schema.is_none() {
        serial = true;
        match last {
            "bigserial" | "serial8" => "bigint".to_string(),
            "smallserial" | "serial2" => "smallint".to_string(),
            _ => "integer".to_string(),
        }
    } else if let Some(canonical) = builtin_alias(last).filter(|_| builtin_schema) {
        canonical.to_string()
    } else if builtin_schema && (schema.is_some() || BUILTIN_TYPES.binary_search(&last).is_ok()) {
        if last == "char" && schema.is_none() {
            // The quoted, single-byte "char" type.
            "\"char\"".to_string()
        } else {
            last.to_string()
        }
    } else {
        let schema = schema.map_or_else(|| resolve_user(last), str::to_string);
        QualifiedName::new(schema, last).to_string()
    };
    base = apply_typmods(base, last, &mods);
    if tn.pct_type {
        base.push_str("%TYPE");
    }
    if !tn.array_bounds.is_empty() {
        base.push_str("[]");
    }
    ResolvedType { name: base, serial }
}

/// Places type modifiers where `format_type` puts them.
fn apply_typmods(base: String, internal: &str, mods: &[String]) -> String {
    let with_zone = |b: &str, m: &[String]| {
        let (head, tail) = b.split_once(' ').unwrap_or((b, ""));
        if m.is_empty() {
            b.to_string()
        } else if tail.is_empty() {
            format!("{head}({})", m.join(","))
        } else {
            format!("{head}({}) {tail}", m.join(","))
        }
    };
    match base.as_str() {
        "timestamp" | "time" if internal == "timestamp" || internal == "time" => {
            with_zone(&format!("{base} without time zone"), mods)
        }
        "timestamp with time zone" | "time with time zone" => with_zone(&base, mods),
        "interval" => {
            let mut out = base.clone();
            let mut rest = mods;
            if let Some(fields) = mods.first().and_then(|m| m.parse::<i64>().ok()).and_then(interval_fields) {
                out.push_str(fields);
                rest = &mods[1..];
                if !rest.is_empty() {
                    if fields.is_empty() {
                        return format!("interval({})", rest.join(","));
                    }
                    return format!("{out}({})", rest.join(","));
                }
                return out;
            }
            if !rest.is_empty() {
                out = format!("interval({})", rest.join(","));
            }
            out
        }
        _ if mods.is_empty() => base,
        // numeric(p) is numeric(p,0).
        "numeric" if mods.len() == 1 => format!("numeric({},0)", mods[0]),
        _ => format!("{base}({})", mods.join(",")),
    }
}

/// Whether a canonical type is a character type whose values PostgreSQL
/// implicitly relabels to `text` (so `col::text` on it is what the server
/// stores for a plain `col`).
pub(crate) fn is_text_like(data_type: &str) -> bool {
    data_type == "text" || data_type.starts_with("character varying") || data_type.starts_with("character(") || data_type == "character"
}

/// The identifier-quoted spelling of a collation name list.
pub(crate) fn collation_name(parts: &[String]) -> String {
    match parts {
        [name] => quote_ident(name),
        [schema, name] if schema == "pg_catalog" => quote_ident(name),
        _ => parts.iter().map(|p| quote_ident(p)).collect::<Vec<_>>().join("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(sql_type: &str) -> String {
        let sql = format!("CREATE TABLE t (c {sql_type})");
        let parsed = pg_query::parse(&sql, pg_query::ParserOptions::DEFAULT).expect("parses");
        let stmt = parsed.protobuf.stmts[0].stmt.as_ref().and_then(|s| s.node.as_ref());
        let Some(NodeEnum::CreateStmt(create)) = stmt else { panic!("not a CREATE TABLE") };
        let Some(NodeEnum::ColumnDef(col)) = create.table_elts[0].node.as_ref() else { panic!("no column") };
        resolve(col.type_name.as_ref().expect("type"), &|_| "public".to_string()).name
    }

    #[test]
    fn builtin_types_print_as_format_type_does() {
        assert_eq!(BUILTIN_TYPES.windows(2).filter(|w| w[0] >= w[1]).count(), 0);
        for (input, expected) in [
            ("int", "integer"),
            ("int4", "integer"),
            ("INTEGER", "integer"),
            ("bigint", "bigint"),
            ("int8", "bigint"),
            ("smallint", "smallint"),
            ("serial", "integer"),
            ("bigserial", "bigint"),
            ("varchar(255)", "character varying(255)"),
            ("character varying", "character varying"),
            ("char", "character(1)"),
            ("char(3)", "character(3)"),
            ("\"char\"", "\"char\""),
            ("text", "text"),
            ("float", "double precision"),
            ("float(3)", "real"),
            ("double precision", "double precision"),
            ("decimal(10,2)", "numeric(10,2)"),
            ("numeric(10)", "numeric(10,0)"),
            ("numeric", "numeric"),
            ("bool", "boolean"),
            ("timestamp", "timestamp without time zone"),
            ("timestamp(3)", "timestamp(3) without time zone"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp(6) with time zone", "timestamp(6) with time zone"),
            ("time", "time without time zone"),
            ("timetz", "time with time zone"),
            ("interval", "interval"),
            ("interval day to second", "interval day to second"),
            ("interval(3)", "interval(3)"),
            ("int[]", "integer[]"),
            ("int[][]", "integer[]"),
            ("text[3]", "text[]"),
            ("bit", "bit(1)"),
            ("bit varying(5)", "bit varying(5)"),
            ("jsonb", "jsonb"),
            ("uuid", "uuid"),
            ("citext", "public.citext"),
            ("\"Mood\"", "public.\"Mood\""),
            ("other.mood", "other.mood"),
            ("pg_catalog.int4", "integer"),
        ] {
            assert_eq!(canon(input), expected, "{input}");
        }
    }
}
