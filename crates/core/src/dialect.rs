//! SQL dialects and what each can express.

use serde::{Deserialize, Serialize};

/// A SQL dialect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// PostgreSQL (parsed by the server's own grammar through `pg_query`).
    #[default]
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
    /// SQLite.
    Sqlite,
}

impl Dialect {
    /// The dialect's name as used on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Postgres => "postgres",
            Self::Mysql => "mysql",
            Self::Sqlite => "sqlite",
        }
    }

    /// Whether objects live in namespaces (`schema.table`).
    pub fn supports_namespaces(&self) -> bool {
        matches!(self, Self::Postgres)
    }

    /// The namespace unqualified names resolve to.
    pub fn default_namespace(&self) -> &'static str {
        match self {
            Self::Postgres => "public",
            Self::Mysql | Self::Sqlite => "",
        }
    }

    /// Whether `CREATE INDEX CONCURRENTLY` exists.
    pub fn supports_concurrent_index(&self) -> bool {
        matches!(self, Self::Postgres)
    }

    /// Whether `ALTER TABLE` can add and drop constraints in place (SQLite
    /// needs a table rebuild instead).
    pub fn supports_alter_constraints(&self) -> bool {
        !matches!(self, Self::Sqlite)
    }
}

impl std::str::FromStr for Dialect {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(Self::Postgres),
            "mysql" | "mariadb" => Ok(Self::Mysql),
            "sqlite" | "sqlite3" => Ok(Self::Sqlite),
            other => Err(crate::Error::Unsupported(format!("dialect `{other}` (expected postgres, mysql or sqlite)"))),
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
