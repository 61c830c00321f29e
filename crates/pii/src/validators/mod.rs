//! Validators: one module per family of formats. Each validator takes the
//! candidate text and answers whether it is a well-formed value of its kind,
//! checking every check digit and structural rule its specification has.
//! None of them allocates.

pub mod card;
pub mod contact;
pub mod date;
pub mod documents;
pub mod iban;
pub mod national_id;
pub mod network;
pub mod person;
pub mod secrets;

/// The longest digit string a validator looks at (a card has 19 digits).
pub const MAX_DIGITS: usize = 24;

/// A fixed buffer of the digits of a value, without separators.
#[derive(Debug, Clone, Copy)]
pub struct Digits {
    buf: [u8; MAX_DIGITS],
    len: usize,
}

impl Digits {
    /// The digits (as numbers 0..=9) of `s`, skipping the separators in
    /// `seps`. `None` if `s` holds any other character or too many digits.
    pub fn of(s: &str, seps: &[u8]) -> Option<Self> {
        let mut out = Self { buf: [0; MAX_DIGITS], len: 0 };
        for &b in s.as_bytes() {
            if b.is_ascii_digit() {
                if out.len == MAX_DIGITS {
                    return None;
                }
                out.buf[out.len] = b - b'0';
                out.len += 1;
            } else if !seps.contains(&b) {
                return None;
            }
        }
        Some(out)
    }

    /// The digits as numbers.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// How many digits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Whether the non-digit characters of `s` are all the same separator (or
/// there are none), and the digit groups have the lengths in `groups`
/// (when `s` has separators at all).
pub fn grouped_as(s: &str, groups: &[usize]) -> bool {
    let mut sep = None;
    let mut lens = [0usize; 8];
    let mut n = 0;
    let mut cur = 0;
    for &b in s.as_bytes() {
        if b.is_ascii_digit() {
            cur += 1;
        } else {
            if *sep.get_or_insert(b) != b || cur == 0 || n == lens.len() - 1 {
                return false;
            }
            lens[n] = cur;
            n += 1;
            cur = 0;
        }
    }
    lens[n] = cur;
    n += 1;
    sep.is_none() || lens[..n] == *groups
}

/// The Luhn (mod 10) check over `digits`, the last one being the check digit.
pub fn luhn_valid(digits: &[u8]) -> bool {
    if digits.len() < 2 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut v = d as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 8, 7, 0, 6],
    [4, 2, 8, 6, 5, 7, 3, 9, 1, 0],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VERHOEFF_INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// The Verhoeff check over `digits` (the last one being the check digit).
pub fn verhoeff_valid(digits: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, &d) in digits.iter().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][d as usize] as usize];
    }
    c == 0
}

/// The Verhoeff check digit to append to `digits`.
pub fn verhoeff_check_digit(digits: &[u8]) -> u8 {
    let mut c = 0u8;
    for (i, &d) in digits.iter().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[(i + 1) % 8][d as usize] as usize];
    }
    VERHOEFF_INV[c as usize]
}

/// The Luhn check digit to append to `digits`.
pub fn luhn_check_digit(digits: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut v = d as u32;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_check_digit_makes_a_valid_number() {
        for body in [[4u8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4]] {
            let mut full = body.to_vec();
            full.push(luhn_check_digit(&body));
            assert!(luhn_valid(&full));
            let last = full.len() - 1;
            full[last] = (full[last] + 1) % 10;
            assert!(!luhn_valid(&full));
        }
    }

    #[test]
    fn verhoeff_check_digit_makes_a_valid_number_and_catches_transpositions() {
        let body = [2u8, 3, 6];
        let mut full = body.to_vec();
        full.push(verhoeff_check_digit(&body));
        assert_eq!(full, [2, 3, 6, 3], "the usual worked example: 236 takes check digit 3");
        assert!(verhoeff_valid(&full));
        full.swap(0, 1);
        assert!(!verhoeff_valid(&full));
    }

    #[test]
    fn grouping() {
        assert!(grouped_as("123-45-6789", &[3, 2, 4]));
        assert!(grouped_as("123456789", &[3, 2, 4]));
        assert!(!grouped_as("123-45.6789", &[3, 2, 4]));
        assert!(!grouped_as("1234-5-6789", &[3, 2, 4]));
    }
}
