//! Merge conflicts: what they are about and how they read.

use serde::{Deserialize, Serialize};

/// Why two branches' changes do not combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Both branches changed the same attribute of the same object
    /// differently, both created an object of the same name differently, or
    /// one deleted (or renamed) what the other modified.
    Incompatible,
    /// Each change is valid in either order, but the result depends on the
    /// order: columns added to the same table (PostgreSQL appends them, so
    /// their positions differ) or enum labels added at the same position.
    OrderDependent,
    /// Each change is valid alone, but the combination is not: a foreign
    /// key to a column the other branch drops, an index on a column the
    /// other branch renames, a view over a column the other branch retypes.
    Semantic,
}

impl ConflictKind {
    /// The snake_case name, as in JSON (`order_dependent`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Incompatible => "incompatible",
            Self::OrderDependent => "order_dependent",
            Self::Semantic => "semantic",
        }
    }
}

impl std::fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One conflict of a three-way merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// Why the changes do not combine.
    pub kind: ConflictKind,
    /// What the object is: `table`, `column`, `constraint`, `index`, `view`,
    /// `function`, `type`, `domain`, `sequence`, `trigger`, `policy`,
    /// `extension` or `schema`.
    pub object_type: String,
    /// The object, in SQL spelling (`public.users.email`), as named in the
    /// merged schema.
    pub object: String,
    /// Its definition in the base, as the SQL that creates it; absent when
    /// the base does not have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Its definition in ours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours: Option<String>,
    /// Its definition in theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<String>,
    /// What ours did, in words (`drops column public.users.email`).
    pub ours_change: String,
    /// What theirs did, in words.
    pub theirs_change: String,
    /// Why the two changes conflict, in plain language.
    pub explanation: String,
    /// A suggested way to resolve it.
    pub resolution: String,
    /// The SQL of ours' migration (base to ours) that concerns the
    /// conflict, one statement a line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ours_sql: String,
    /// The SQL of theirs' migration that concerns the conflict.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub theirs_sql: String,
}

impl Conflict {
    /// The same conflict seen from the other branch: ours and theirs
    /// swapped (explanation and resolution are kept as written).
    pub fn mirrored(&self) -> Self {
        let mut m = self.clone();
        std::mem::swap(&mut m.ours, &mut m.theirs);
        std::mem::swap(&mut m.ours_change, &mut m.theirs_change);
        std::mem::swap(&mut m.ours_sql, &mut m.theirs_sql);
        m
    }
}

/// Lays out `columns` side by side, each `width` characters wide, under
/// their titles, separated by ` | `.
pub(crate) fn side_by_side(titles: &[&str], columns: &[String], width: usize) -> String {
    let wrapped: Vec<Vec<String>> = columns.iter().map(|c| wrap(c, width)).collect();
    let rows = wrapped.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = String::new();
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells.iter().map(|c| format!("{c:<width$}")).collect();
        padded.join(" | ").trim_end().to_string() + "\n"
    };
    out.push_str(&line(titles.to_vec()));
    let dashes = "-".repeat(width);
    let rule: Vec<&str> = titles.iter().map(|_| dashes.as_str()).collect();
    out.push_str(&rule.join("-+-"));
    out.push('\n');
    for r in 0..rows {
        out.push_str(&line(wrapped.iter().map(|w| w.get(r).map_or("", String::as_str)).collect()));
    }
    out
}

/// Splits `text` into lines of at most `width` characters (by characters,
/// breaking at spaces where it can).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for raw in text.lines() {
        let mut line = String::new();
        let mut len = 0;
        for word in raw.split(' ') {
            let wlen = word.chars().count();
            if len > 0 && len + 1 + wlen > width {
                out.push(std::mem::take(&mut line));
                len = 0;
            }
            if len > 0 {
                line.push(' ');
                len += 1;
            }
            // A word longer than a line is cut.
            let mut chars = word.chars().peekable();
            while chars.peek().is_some() {
                let room = width - len;
                let piece: String = chars.by_ref().take(room).collect();
                len += piece.chars().count();
                line.push_str(&piece);
                if chars.peek().is_some() {
                    out.push(std::mem::take(&mut line));
                    len = 0;
                }
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_wraps_and_aligns() {
        let text = side_by_side(&["base", "ours"], &["a b c".into(), "a much longer line here".into()], 10);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "base       | ours");
        assert_eq!(lines[1], "-----------+-----------");
        assert_eq!(lines[2], "a b c      | a much");
        assert_eq!(lines[3], "           | longer");
    }

    #[test]
    fn wrap_never_panics_on_odd_text() {
        for t in ["", "é".repeat(50).as_str(), "   ", "a\n\nb"] {
            let _ = wrap(t, 3);
            let _ = side_by_side(&["x"], &[t.to_string()], 0);
        }
    }
}
