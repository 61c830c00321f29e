//! Applying the fixes of a lint run to the file (`astrola lint --fix`).

use crate::{Applicability, Diagnostic, Edit};

/// What applying fixes did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The file with the fixes applied.
    pub source: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// Fixes of the wanted applicability left out because their edits
    /// overlap a fix applied before them (run `--fix` again for those).
    pub skipped: usize,
}

/// Applies to `source` the fixes of `diagnostics` whose applicability is
/// `Safe` (or, with `include_unsafe`, also `Unsafe`), in file order,
/// leaving out any whose edits overlap an earlier one. Display-only fixes
/// are never applied.
///
/// ```
/// use astrola_lint::{fix::apply_fixes, lint_sql, LintOptions};
/// let sql = "CREATE INDEX users_email ON users (email);\n";
/// let found = lint_sql(sql, "m.sql", &LintOptions::default());
/// let fixed = apply_fixes(sql, &found, false);
/// assert!(fixed.source.contains("CREATE INDEX CONCURRENTLY users_email"), "{}", fixed.source);
/// assert!(fixed.applied >= 1);
/// ```
pub fn apply_fixes(source: &str, diagnostics: &[Diagnostic], include_unsafe: bool) -> Fixed {
    let wanted = |a: Applicability| a == Applicability::Safe || (include_unsafe && a == Applicability::Unsafe);
    let mut fixes: Vec<&crate::Fix> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| wanted(f.applicability)).collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.start).min().unwrap_or(0));
    let mut chosen: Vec<&Edit> = Vec::new();
    let (mut applied, mut skipped) = (0, 0);
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| chosen.iter().any(|c| overlap(c, e)));
        // The same fix reported twice (two rules, one rewrite) is applied once.
        let duplicate = !fix.edits.is_empty() && fix.edits.iter().all(|e| chosen.iter().any(|c| *c == e));
        if duplicate {
            continue;
        }
        if overlaps || crate::apply_edits(source, fix.edits.iter()).is_none() {
            skipped += 1;
            continue;
        }
        chosen.extend(&fix.edits);
        applied += 1;
    }
    let source = crate::apply_edits(source, chosen.iter().copied()).unwrap_or_else(|| source.to_string());
    Fixed { source, applied, skipped }
}

/// Whether two edits touch the same bytes, or insert at the same place.
fn overlap(a: &Edit, b: &Edit) -> bool {
    if a.start == a.end || b.start == b.end {
        return a.start == b.start || (a.start > b.start && a.start < b.end) || (b.start > a.start && b.start < a.end);
    }
    a.start < b.end && b.start < a.end
}
