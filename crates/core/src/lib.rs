//! # astrola-core
//!
//! The schema model, the DDL frontends and canonical SQL rendering of
//! astrola. Everything here is pure: it takes SQL text or JSON and returns
//! values; it never opens a file or a socket.
//!
//! ```
//! use astrola_core::{parse_sql, render_sql, Dialect};
//!
//! let parsed = parse_sql("CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL);", Dialect::Postgres)?;
//! let users = &parsed.schema.tables[&astrola_core::QualifiedName::new("public", "users")];
//! assert_eq!(users.columns[1].data_type, "character varying(255)");
//! // Rendering and parsing again gives the same model.
//! let again = parse_sql(&render_sql(&parsed.schema), Dialect::Postgres)?;
//! assert_eq!(again.schema, parsed.schema);
//! # Ok::<(), astrola_core::Error>(())
//! ```

pub mod dialect;
pub mod error;
pub mod frontend;
pub mod hints;
pub mod ident;
pub mod locks;
pub mod migrations;
pub mod model;
pub mod render;
pub mod span;
pub mod stats;

pub use dialect::Dialect;
pub use error::{Error, Warning};
pub use hints::{rename_hints, RenameHint, RenameKind};
pub use ident::QualifiedName;
pub use model::Schema;
pub use span::Span;

/// A schema built from SQL, with the warnings raised while building it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The schema.
    pub schema: Schema,
    /// Warnings: statements kept as unmanaged, and similar.
    pub warnings: Vec<Warning>,
    /// The `-- @renamed from=old` annotations of the SQL, in source order
    /// (see [`hints::rename_hints`]). A diff *to* this schema applies them.
    pub renames: Vec<RenameHint>,
}

/// Builds a schema by replaying the DDL in `sql`, in order, on an empty
/// schema of `dialect`.
pub fn parse_sql(sql: &str, dialect: Dialect) -> Result<Parsed, Error> {
    parse_sql_named(sql, dialect, "")
}

/// Like [`parse_sql`], naming the file the SQL came from in spans and errors.
pub fn parse_sql_named(sql: &str, dialect: Dialect, file: &str) -> Result<Parsed, Error> {
    let mut schema = Schema::new(dialect);
    let mut warnings = Vec::new();
    apply_sql(&mut schema, sql, file, &mut warnings)?;
    Ok(Parsed { schema, warnings, renames: rename_hints(sql, dialect) })
}

/// Replays the DDL in `sql` on top of `schema` (in `schema.dialect`).
pub fn apply_sql(schema: &mut Schema, sql: &str, file: &str, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    frontend::apply(schema, sql, file, warnings)
}

/// Renders `schema` as deterministic DDL in its own dialect, in dependency
/// order, with identifiers quoted where needed.
pub fn render_sql(schema: &Schema) -> String {
    render::render(schema)
}
