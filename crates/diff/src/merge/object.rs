//! The objects a merge talks about: their names, definitions and how a
//! merged schema takes one back from ours.

use astrola_core::ident::quote_ident;
use astrola_core::{QualifiedName, Schema};

use crate::Change;

/// One object of a schema, by key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Obj {
    Namespace(String),
    Extension(String),
    Type(QualifiedName),
    Domain(QualifiedName),
    Sequence(QualifiedName),
    Table(QualifiedName),
    Column(QualifiedName, String),
    Constraint(QualifiedName, String),
    Trigger(QualifiedName, String),
    Policy(QualifiedName, String),
    Index(QualifiedName),
    View(QualifiedName),
    Function(String),
}

fn sub(table: &QualifiedName, name: &str) -> String {
    format!("{table}.{}", quote_ident(name))
}

impl Obj {
    /// The object in SQL spelling, as [`Change::object`] spells it.
    pub(crate) fn name(&self) -> String {
        match self {
            Obj::Namespace(n) | Obj::Extension(n) | Obj::Function(n) => n.clone(),
            Obj::Type(q) | Obj::Domain(q) | Obj::Sequence(q) | Obj::Table(q) | Obj::Index(q) | Obj::View(q) => q.to_string(),
            Obj::Column(t, n) | Obj::Constraint(t, n) | Obj::Trigger(t, n) | Obj::Policy(t, n) => sub(t, n),
        }
    }

    /// What kind of object it is, in one word.
    pub(crate) fn type_word(&self) -> &'static str {
        match self {
            Obj::Namespace(_) => "schema",
            Obj::Extension(_) => "extension",
            Obj::Type(_) => "type",
            Obj::Domain(_) => "domain",
            Obj::Sequence(_) => "sequence",
            Obj::Table(_) => "table",
            Obj::Column(..) => "column",
            Obj::Constraint(..) => "constraint",
            Obj::Trigger(..) => "trigger",
            Obj::Policy(..) => "policy",
            Obj::Index(_) => "index",
            Obj::View(_) => "view",
            Obj::Function(_) => "function",
        }
    }

    /// The table the object belongs to, if it is part of one.
    pub(crate) fn owner(&self) -> Option<&QualifiedName> {
        match self {
            Obj::Column(t, _) | Obj::Constraint(t, _) | Obj::Trigger(t, _) | Obj::Policy(t, _) | Obj::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The change that creates the object as `schema` has it, if it has it.
    fn creation(&self, s: &Schema) -> Option<Change> {
        Some(match self {
            Obj::Namespace(n) => {
                if n != "public" && !s.namespaces.contains_key(n) {
                    return None;
                }
                Change::CreateSchema { name: n.clone() }
            }
            Obj::Extension(n) => Change::CreateExtension { name: n.clone(), extension: s.extensions.get(n)?.clone() },
            Obj::Type(q) => Change::CreateType { name: q.clone(), definition: s.types.get(q)?.clone() },
            Obj::Domain(q) => Change::CreateDomain { name: q.clone(), domain: s.domains.get(q)?.clone() },
            Obj::Sequence(q) => Change::CreateSequence { name: q.clone(), sequence: s.sequences.get(q)?.clone() },
            Obj::Table(q) => Change::CreateTable { name: q.clone(), table: s.tables.get(q)?.clone() },
            Obj::Column(t, n) => Change::AddColumn { table: t.clone(), column: s.tables.get(t)?.column(n)?.clone(), after: None },
            Obj::Constraint(t, n) => Change::AddConstraint { table: t.clone(), name: n.clone(), constraint: s.tables.get(t)?.constraints.get(n)?.clone() },
            Obj::Trigger(t, n) => Change::CreateTrigger { table: t.clone(), name: n.clone(), trigger: s.tables.get(t)?.triggers.get(n)?.clone() },
            Obj::Policy(t, n) => Change::CreatePolicy { table: t.clone(), name: n.clone(), policy: s.tables.get(t)?.policies.get(n)?.clone() },
            Obj::Index(q) => Change::CreateIndex { name: q.clone(), index: s.indexes.get(q)?.clone() },
            Obj::View(q) => Change::CreateView { name: q.clone(), view: s.views.get(q)?.clone() },
            Obj::Function(sig) => Change::CreateFunction { signature: sig.clone(), function: s.functions.get(sig)?.clone() },
        })
    }

    /// The object's definition in `schema`, as the SQL that creates it.
    pub(crate) fn definition(&self, s: &Schema) -> Option<String> {
        let change = self.creation(s)?;
        let statements = crate::render::render(s.dialect, std::slice::from_ref(&change), s, s);
        let sql: String = statements.iter().map(|st| st.sql.as_str()).collect();
        Some(sql.trim_end().to_string())
    }

    /// Whether `schema` has the object.
    pub(crate) fn exists(&self, s: &Schema) -> bool {
        match self {
            Obj::Namespace(n) => n == "public" || s.namespaces.contains_key(n),
            _ => self.creation(s).is_some(),
        }
    }

    /// Puts `from`'s version of the object (or its absence) into `into`.
    pub(crate) fn restore(&self, into: &mut Schema, from: &Schema) {
        fn put<K: Ord + Clone, V: Clone>(into: &mut std::collections::BTreeMap<K, V>, from: &std::collections::BTreeMap<K, V>, k: &K) {
            match from.get(k) {
                Some(v) => {
                    into.insert(k.clone(), v.clone());
                }
                None => {
                    into.remove(k);
                }
            }
        }
        match self {
            Obj::Namespace(n) => put(&mut into.namespaces, &from.namespaces, n),
            Obj::Extension(n) => put(&mut into.extensions, &from.extensions, n),
            Obj::Type(q) => put(&mut into.types, &from.types, q),
            Obj::Domain(q) => put(&mut into.domains, &from.domains, q),
            Obj::Sequence(q) => put(&mut into.sequences, &from.sequences, q),
            Obj::Table(q) => put(&mut into.tables, &from.tables, q),
            Obj::Index(q) => put(&mut into.indexes, &from.indexes, q),
            Obj::View(q) => put(&mut into.views, &from.views, q),
            Obj::Function(sig) => put(&mut into.functions, &from.functions, sig),
            Obj::Column(t, n) => {
                let Some(target) = into.tables.get_mut(t) else { return };
                let source = from.tables.get(t);
                match source.and_then(|s| s.columns.iter().position(|c| c.name == *n).map(|i| (i, &s.columns[i]))) {
                    Some((i, c)) => match target.column_mut(n) {
                        Some(existing) => *existing = c.clone(),
                        None => {
                            let at = i.min(target.columns.len());
                            target.columns.insert(at, c.clone());
                        }
                    },
                    None => target.columns.retain(|c| c.name != *n),
                }
            }
            Obj::Constraint(t, n) => {
                if let Some(target) = into.tables.get_mut(t) {
                    put(&mut target.constraints, &from.tables.get(t).map(|s| s.constraints.clone()).unwrap_or_default(), n);
                }
            }
            Obj::Trigger(t, n) => {
                if let Some(target) = into.tables.get_mut(t) {
                    put(&mut target.triggers, &from.tables.get(t).map(|s| s.triggers.clone()).unwrap_or_default(), n);
                }
            }
            Obj::Policy(t, n) => {
                if let Some(target) = into.tables.get_mut(t) {
                    put(&mut target.policies, &from.tables.get(t).map(|s| s.policies.clone()).unwrap_or_default(), n);
                }
            }
        }
    }
}
