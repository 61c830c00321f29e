//! Email addresses and telephone numbers.

/// Whether `s` is an email address: a dot-atom local part (RFC 5322
/// characters, no leading, trailing or double dots, at most 64 bytes) and a
/// domain of at least two labels (letters, digits, inner hyphens) whose top
/// label is alphabetic or an IDN `xn--` label.
pub fn is_email(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 254 {
        return false;
    }
    let Some(at) = memchr_at(b) else { return false };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    if local.is_empty() || local.len() > 64 || local[0] == b'.' || local[local.len() - 1] == b'.' || local.windows(2).any(|w| w == b"..") {
        return false;
    }
    if !local.iter().all(|&c| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c)) {
        return false;
    }
    is_domain(domain)
}

fn memchr_at(b: &[u8]) -> Option<usize> {
    let first = b.iter().position(|&c| c == b'@')?;
    if b[first + 1..].contains(&b'@') {
        return None;
    }
    Some(first)
}

/// Whether `d` is a domain name with at least two labels and an alphabetic
/// (or `xn--`) top-level label.
pub fn is_domain(d: &[u8]) -> bool {
    if d.is_empty() || d.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in d.split(|&c| c == b'.') {
        if label.is_empty() || label.len() > 63 || label[0] == b'-' || label[label.len() - 1] == b'-' || !label.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-') {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && ((last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic)) || (last.len() > 4 && last[..4].eq_ignore_ascii_case(b"xn--")))
}

/// How strongly a value looks like a telephone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PhoneShape {
    /// Not a telephone number.
    No,
    /// Digits that could be a number (a bare 10-digit NANP number, a bare
    /// national number): counts only with a column name that says phone.
    Weak,
    /// Written as telephone numbers are: with a country code, or in the
    /// grouping of a national plan.
    Strong,
}

/// ITU-T E.164 country calling codes: the one- and two-digit codes, and
/// the zones whose three-digit codes are assigned.
pub fn country_code_len(d: &[u8]) -> Option<usize> {
    let n = |k: usize| d.iter().take(k).fold(0u32, |a, &x| a * 10 + x as u32);
    if d.is_empty() {
        return None;
    }
    if matches!(d[0], 1 | 7) {
        return Some(1);
    }
    if d.len() < 2 {
        return None;
    }
    let two = n(2);
    const TWO: &[u32] = &[20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98];
    if TWO.contains(&two) {
        return Some(2);
    }
    const THREE_ZONES: &[u32] = &[21, 22, 23, 24, 25, 26, 29, 35, 37, 38, 42, 50, 59, 67, 68, 69, 80, 85, 87, 88, 96, 97, 99];
    (d.len() >= 3 && THREE_ZONES.contains(&two)).then_some(3)
}

/// North American Numbering Plan: area code and exchange both start 2-9.
fn nanp_valid(d: &[u8]) -> bool {
    d.len() == 10 && d[0] >= 2 && d[3] >= 2
}

/// The shape of `s` as a telephone number. Accepts digits with single
/// spaces, hyphens, dots or slashes between groups, a parenthesised group,
/// and a leading `+` or `00` international prefix.
pub fn phone_shape(s: &str) -> PhoneShape {
    let b = s.as_bytes();
    if b.len() < 7 || b.len() > 24 {
        return PhoneShape::No;
    }
    let mut digits = [0u8; 16];
    let mut nd = 0;
    let mut groups = 0;
    let mut first_group = 0;
    let mut last_group = 0;
    let mut in_group = false;
    let mut paren = false;
    let mut had_paren = false;
    let mut seps = 0;
    let plus = b[0] == b'+';
    let mut prev_sep = true;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                if nd == digits.len() {
                    return PhoneShape::No;
                }
                digits[nd] = c - b'0';
                nd += 1;
                if !in_group {
                    groups += 1;
                    in_group = true;
                    last_group = 0;
                }
                last_group += 1;
                if groups == 1 {
                    first_group += 1;
                }
                prev_sep = false;
            }
            b'+' if i == 0 => {}
            b'(' if !paren && !had_paren => {
                paren = true;
                had_paren = true;
                in_group = false;
            }
            b')' if paren => {
                paren = false;
                in_group = false;
                prev_sep = true;
            }
            b' ' | b'-' | b'.' | b'/' => {
                // Single separators only, never inside parentheses, but a space may follow `)`.
                if paren || (prev_sep && !(c == b' ' && i > 0 && b[i - 1] == b')')) {
                    return PhoneShape::No;
                }
                in_group = false;
                prev_sep = true;
                seps += 1;
            }
            _ => return PhoneShape::No,
        }
    }
    if paren || prev_sep {
        return PhoneShape::No;
    }
    let d = &digits[..nd];
    let formatted = seps > 0 || had_paren;
    // International: `+CC ...` or `00CC ...`.
    let intl = if plus { Some(d) } else if d.len() > 2 && d[0] == 0 && d[1] == 0 && formatted { Some(&d[2..]) } else { None };
    if let Some(d) = intl {
        let Some(cc) = country_code_len(d) else { return PhoneShape::No };
        let nsn = d.len() - cc;
        if d.len() > 15 || !(4..=14).contains(&nsn) || d.len() < 8 {
            return PhoneShape::No;
        }
        if cc == 1 && !nanp_valid(&d[1..]) {
            return PhoneShape::No;
        }
        return PhoneShape::Strong;
    }
    // NANP, optionally with the leading 1.
    let nanp = if d.len() == 11 && d[0] == 1 { &d[1..] } else { d };
    if nanp_valid(nanp) && (groups == 1 || groups >= 3 || had_paren) {
        let grouped = last_group == 4 && (groups >= 3 || had_paren);
        return if grouped { PhoneShape::Strong } else { PhoneShape::Weak };
    }
    // National numbers with a trunk 0.
    if d[0] == 0 && (9..=11).contains(&d.len()) && d.get(1) != Some(&0) {
        return if formatted && last_group >= 3 { PhoneShape::Strong } else { PhoneShape::Weak };
    }
    // Country code without `+`, then a grouped national number.
    if formatted && groups >= 3 && first_group <= 3 && last_group >= 3 && (11..=13).contains(&d.len()) && country_code_len(d) == Some(first_group) && d[first_group] != 0 {
        return PhoneShape::Strong;
    }
    // Chinese mobile numbers: 1[3-9] and nine digits.
    if !formatted && d.len() == 11 && d[0] == 1 && d[1] >= 3 {
        return PhoneShape::Weak;
    }
    // Local numbers: 7-8 digits in groups, like 555-0132.
    if formatted && (7..=8).contains(&d.len()) && groups == 2 && last_group == 4 && d[0] != 0 {
        return PhoneShape::Weak;
    }
    PhoneShape::No
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.co", "first.last+tag@example.com", "user@xn--80ak6aa92e.com", "o'brien@sub.example.org"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["a@b", "a@b.", ".a@b.com", "a..b@c.com", "a@@b.com", "a b@c.com", "a@-b.com", "a@b.c0m", "@b.com"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn phones() {
        use PhoneShape::*;
        for (s, want) in [
            ("+1 415 555 0132", Strong),
            ("(415) 555-0132", Strong),
            ("415-555-0132", Strong),
            ("415.555.0132", Strong),
            ("4155550132", Weak),
            ("+44 20 7123 4567", Strong),
            ("+44 (20) 7123 4567", Strong),
            ("0044 20 7123 4567", Strong),
            ("030 1234567", Strong),
            ("+1 115 555 0132", No),
            ("(115) 555-0132", No),
            ("+999", No),
            ("2021-05-21", No),
            ("12/05/2021", No),
            ("+1 415 555 0132 99999", No),
            ("415--555-0132", No),
        ] {
            assert_eq!(phone_shape(s), want, "{s}");
        }
    }
}
