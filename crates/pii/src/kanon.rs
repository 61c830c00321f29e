//! k-anonymity of a set of quasi-identifier columns: every combination of
//! their values must be shared by at least k rows.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::Error;

/// A combination of quasi-identifier values and how many rows share it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EquivalenceClass {
    /// The values, one per column (`None` for null).
    pub values: Vec<Option<String>>,
    /// How many rows have exactly these values.
    pub size: usize,
}

/// The result of a k-anonymity check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KAnonymity {
    /// The size of the smallest equivalence class (0 when there are no rows).
    pub k: usize,
    /// Rows checked.
    pub rows: usize,
    /// Distinct value combinations.
    pub classes: usize,
    /// Rows in classes smaller than `target_k`.
    pub rows_below_target: usize,
    /// The smallest classes, smallest first (ties in first-seen order).
    pub smallest: Vec<EquivalenceClass>,
}

/// Computes the k-anonymity of the rows formed by `columns` (each column a
/// slice of values, all the same length; nulls count as a value of their
/// own), reporting up to `report` of the smallest classes and how many rows
/// fall in classes smaller than `target_k`.
pub fn k_anonymity(columns: &[&[Option<&str>]], target_k: usize, report: usize) -> Result<KAnonymity, Error> {
    let Some(first) = columns.first() else { return Err(Error::KAnonymity("no quasi-identifier columns given".into())) };
    let rows = first.len();
    if let Some((i, c)) = columns.iter().enumerate().find(|(_, c)| c.len() != rows) {
        return Err(Error::KAnonymity(format!("column {i} has {} values, column 0 has {rows}", c.len())));
    }
    let mut counts: HashMap<Vec<Option<&str>>, (usize, usize)> = HashMap::new();
    for r in 0..rows {
        let key: Vec<Option<&str>> = columns.iter().map(|c| c[r]).collect();
        let next = counts.len();
        counts.entry(key).or_insert((0, next)).0 += 1;
    }
    let mut classes: Vec<(Vec<Option<&str>>, usize, usize)> = counts.into_iter().map(|(k, (n, order))| (k, n, order)).collect();
    classes.sort_by_key(|(_, n, order)| (*n, *order));
    let k = classes.first().map_or(0, |c| c.1);
    let rows_below_target = classes.iter().filter(|c| c.1 < target_k).map(|c| c.1).sum();
    let smallest = classes.iter().take(report).map(|(v, n, _)| EquivalenceClass { values: v.iter().map(|x| x.map(str::to_string)).collect(), size: *n }).collect();
    Ok(KAnonymity { k, rows, classes: classes.len(), rows_below_target, smallest })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smallest_class_gives_k() {
        let zip = [Some("941"), Some("941"), Some("941"), Some("100"), Some("100")];
        let year = [Some("1980"), Some("1980"), Some("1980"), Some("1990"), None];
        let r = k_anonymity(&[&zip, &year], 2, 2).expect("same lengths");
        assert_eq!(r.k, 1);
        assert_eq!(r.classes, 3);
        assert_eq!(r.rows_below_target, 2);
        assert_eq!(r.smallest[0].size, 1);
        let r = k_anonymity(&[&zip], 2, 1).expect("one column");
        assert_eq!(r.k, 2);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(k_anonymity(&[], 2, 1).is_err());
        assert!(k_anonymity(&[&[Some("a")], &[]], 2, 1).is_err());
        assert_eq!(k_anonymity(&[&[]], 2, 1).map(|r| r.k), Ok(0));
    }
}
