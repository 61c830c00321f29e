//! Calendar dates, and whether one is a plausible date of birth.

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// The year.
    pub year: u16,
    /// The month, 1..=12.
    pub month: u8,
    /// The day, 1..=31.
    pub day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn num(b: &[u8]) -> Option<u16> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u16, |a, &x| a * 10 + (x - b'0') as u16))
}

/// Parses a date written `YYYY-MM-DD` (or with `/`; a time may follow after
/// `T` or a space), `DD/MM/YYYY`, `MM/DD/YYYY`, `DD.MM.YYYY` or
/// `DD-MM-YYYY`. An ambiguous day/month order is read day first unless
/// that is impossible.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let date_part = match b.iter().position(|&c| c == b'T' || c == b' ') {
        Some(i) if i >= 8 => &b[..i],
        Some(_) => return None,
        None => b,
    };
    if date_part.len() < 8 || date_part.len() > 10 {
        return None;
    }
    let sep = *date_part.iter().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    let mut parts = date_part.split(|&c| c == sep);
    let (a, m, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (year, month, day) = if a.len() == 4 {
        (num(a)?, num(m)?, num(c)?)
    } else if c.len() == 4 && a.len() <= 2 && m.len() <= 2 {
        let (x, y) = (num(a)?, num(m)?);
        if x > 12 || sep == b'.' {
            (num(c)?, y, x)
        } else if y > 12 {
            (num(c)?, x, y)
        } else {
            (num(c)?, y, x)
        }
    } else {
        return None;
    };
    let (month, day) = (u8::try_from(month).ok()?, u8::try_from(day).ok()?);
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
}

/// Whether `s` is a date that could be someone's birth date in
/// `reference_year`: parsed by [`parse_date`], in the 120 years up to
/// `reference_year`.
pub fn is_plausible_birth_date(s: &str, reference_year: u16) -> bool {
    parse_date(s).is_some_and(|d| d.year <= reference_year && d.year + 120 >= reference_year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = Date { year: 1985, month: 3, day: 14 };
        for s in ["1985-03-14", "1985/03/14", "14/03/1985", "03/14/1985", "14.03.1985", "1985-03-14T00:00:00Z", "1985-03-14 00:00:00"] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        for bad in ["1985-02-30", "1985-13-01", "85-03-14", "1985-03", "14-03-85", "hello", "1985-03-14x"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2000-02-29").map(|d| d.day), Some(29));
        assert_eq!(parse_date("1900-02-29"), None);
    }

    #[test]
    fn birth_dates() {
        assert!(is_plausible_birth_date("1985-03-14", 2025));
        assert!(!is_plausible_birth_date("1850-03-14", 2025));
        assert!(!is_plausible_birth_date("2030-03-14", 2025));
    }
}
