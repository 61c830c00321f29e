//! PostgreSQL's table lock modes, as its documentation lists them
//! ("Explicit Locking", table 13.2). The linter says which lock a statement
//! takes; the planner says which lock each step takes.

use serde::{Deserialize, Serialize};

/// PostgreSQL's table lock modes, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockMode {
    /// `SELECT`.
    AccessShare,
    /// `SELECT FOR UPDATE`.
    RowShare,
    /// `INSERT`, `UPDATE`, `DELETE`.
    RowExclusive,
    /// `VACUUM`, `CREATE INDEX CONCURRENTLY`, `VALIDATE CONSTRAINT`.
    ShareUpdateExclusive,
    /// `CREATE INDEX`.
    Share,
    /// `CREATE TRIGGER`, `ADD FOREIGN KEY`.
    ShareRowExclusive,
    /// `REFRESH MATERIALIZED VIEW CONCURRENTLY`.
    Exclusive,
    /// Most `ALTER TABLE` forms, `DROP`, `TRUNCATE`, `VACUUM FULL`.
    AccessExclusive,
}

impl LockMode {
    /// The name as PostgreSQL spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::AccessShare => "ACCESS SHARE",
            Self::RowShare => "ROW SHARE",
            Self::RowExclusive => "ROW EXCLUSIVE",
            Self::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            Self::Share => "SHARE",
            Self::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            Self::Exclusive => "EXCLUSIVE",
            Self::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// The name with its article: `an ACCESS EXCLUSIVE`, `a SHARE`.
    pub fn with_article(self) -> String {
        let name = self.name();
        let article = if name.starts_with(['A', 'E']) { "an" } else { "a" };
        format!("{article} {name}")
    }

    /// Whether the lock conflicts with `INSERT`/`UPDATE`/`DELETE` (ROW
    /// EXCLUSIVE): writers wait while it is held, and while it waits in
    /// the queue.
    pub fn blocks_writes(self) -> bool {
        self >= Self::Share
    }
}

impl std::fmt::Display for LockMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::LockMode;

    #[test]
    fn names_articles_and_write_blocking_follow_the_documentation() {
        assert_eq!(LockMode::AccessExclusive.with_article(), "an ACCESS EXCLUSIVE");
        assert_eq!(LockMode::Share.with_article(), "a SHARE");
        assert!(LockMode::Share.blocks_writes());
        assert!(!LockMode::ShareUpdateExclusive.blocks_writes());
        assert_eq!(serde_json::to_string(&LockMode::ShareUpdateExclusive).ok().as_deref(), Some("\"share_update_exclusive\""));
    }
}
