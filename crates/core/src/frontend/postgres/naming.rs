//! The names PostgreSQL chooses for unnamed objects (`makeObjectName`,
//! `ChooseRelationName`, `ChooseConstraintName` in the server's source), so
//! that a model built from `CREATE TABLE t (id int PRIMARY KEY)` and one built
//! from its `pg_dump` (`CONSTRAINT t_pkey PRIMARY KEY (id)`) agree.

/// The longest identifier PostgreSQL keeps (`NAMEDATALEN - 1`).
pub(crate) const MAX_IDENTIFIER_BYTES: usize = 63;

/// Truncates `name` to at most `max` bytes without splitting a character.
pub(crate) fn clip(name: &str, max: usize) -> &str {
    if name.len() <= max {
        return name;
    }
    let mut end = max;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// `makeObjectName`: `name1_name2_label`, shortening the longer of `name1`
/// and `name2` until it fits in 63 bytes.
pub(crate) fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = if label.is_empty() { 0 } else { label.len() + 1 } + usize::from(name2.is_some());
    let available = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    let mut len1 = name1.len();
    let mut len2 = name2.map_or(0, str::len);
    while len1 + len2 > available {
        if len1 > len2 {
            len1 -= 1;
        } else {
            len2 -= 1;
        }
    }
    let mut out = clip(name1, len1).to_string();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip(name2, len2));
    }
    if !label.is_empty() {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// `ChooseRelationName` / `ChooseConstraintName`: the first of
/// `name1_name2_label`, `name1_name2_label1`, ... for which `taken` is false.
pub(crate) fn choose_name(name1: &str, name2: Option<&str>, label: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let mut candidate = make_object_name(name1, name2, label);
    let mut pass = 0u32;
    while taken(&candidate) {
        pass += 1;
        candidate = make_object_name(name1, name2, &format!("{label}{pass}"));
    }
    candidate
}

/// `ChooseIndexNameAddition` / `ChooseForeignKeyConstraintNameAddition`:
/// column names joined by `_`, stopping once the text reaches 64 bytes.
pub(crate) fn name_addition(columns: &[String]) -> String {
    let mut out = String::new();
    for name in columns {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(clip(name, MAX_IDENTIFIER_BYTES));
        if out.len() > MAX_IDENTIFIER_BYTES {
            break;
        }
    }
    out
}

/// `ChooseIndexColumnNames`: makes index column names unique by appending
/// numbers (`expr`, `expr1`, ...).
pub(crate) fn unique_column_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let mut candidate = name.clone();
        let mut i = 0;
        while out.contains(&candidate) {
            i += 1;
            candidate = format!("{}{i}", clip(&name, MAX_IDENTIFIER_BYTES - i.to_string().len()));
        }
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_postgres() {
        assert_eq!(make_object_name("users", None, "pkey"), "users_pkey");
        assert_eq!(make_object_name("users", Some("email"), "key"), "users_email_key");
        let long = "a".repeat(60);
        let name = make_object_name(&long, Some("column_name"), "fkey");
        assert_eq!(name, format!("{}_column_name_fkey", "a".repeat(46)));
        assert_eq!(choose_name("t", Some("a"), "idx", &|n| n == "t_a_idx"), "t_a_idx1");
        assert_eq!(unique_column_names(vec!["lower".into(), "lower".into()]), ["lower", "lower1"]);
    }
}
