//! Payment card numbers (ISO/IEC 7812): Luhn check digit and issuer (BIN)
//! ranges with the lengths each scheme issues.

use super::{grouped_as, luhn_valid, Digits};

/// Whether `s` is a plausible payment card number: 12 to 19 digits, bare or
/// in groups separated by one kind of space or hyphen, a valid Luhn check
/// digit, and a prefix and length that a card scheme issues.
pub fn is_card_number(s: &str) -> bool {
    let Some(d) = Digits::of(s, b" -") else { return false };
    if !(12..=19).contains(&d.len()) || !consistent_separators(s) {
        return false;
    }
    let digits = d.as_slice();
    issuer_plausible(digits) && luhn_valid(digits) && !all_same(digits)
}

fn all_same(d: &[u8]) -> bool {
    d.iter().all(|&x| x == d[0])
}

/// Separators, if any, are all the same character, single, between groups
/// of 3 to 6 digits (4-4-4-4, 4-6-5, 4-4-4-4-3 ...).
fn consistent_separators(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut sep = None;
    let mut group = 0;
    for &b in bytes {
        if b.is_ascii_digit() {
            group += 1;
        } else {
            if *sep.get_or_insert(b) != b || !(3..=6).contains(&group) {
                return false;
            }
            group = 0;
        }
    }
    sep.is_none() || (1..=6).contains(&group)
}

/// The leading `n` digits as a number.
fn prefix(d: &[u8], n: usize) -> u32 {
    d.iter().take(n).fold(0, |acc, &x| acc * 10 + x as u32)
}

/// Whether the issuer identification number and the length belong to a
/// card scheme: Visa, Mastercard, American Express, Discover, Diners Club,
/// JCB, UnionPay, Maestro, Mir, RuPay, Troy, UATP.
pub fn issuer_plausible(d: &[u8]) -> bool {
    let len = d.len();
    let p1 = prefix(d, 1);
    let p2 = prefix(d, 2);
    let p3 = prefix(d, 3);
    let p4 = prefix(d, 4);
    let p6 = prefix(d, 6);
    match p1 {
        // UATP (airline cards): major industry identifier 1, 15 digits.
        1 => len == 15,
        // Mastercard 2221-2720; Mir 2200-2204.
        2 => ((2221..=2720).contains(&p4) && len == 16) || ((2200..=2204).contains(&p4) && (16..=19).contains(&len)),
        // American Express 34/37 (15); Diners 300-305, 3095, 36, 38, 39 (14-19); JCB 3528-3589 (16-19).
        3 => {
            ((p2 == 34 || p2 == 37) && len == 15)
                || (((300..=305).contains(&p3) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) && (14..=19).contains(&len))
                || ((3528..=3589).contains(&p4) && (16..=19).contains(&len))
        }
        // Visa.
        4 => matches!(len, 13 | 16 | 19),
        // Mastercard 51-55 (16); Maestro 50, 56-59 (12-19).
        5 => ((51..=55).contains(&p2) && len == 16) || ((p2 == 50 || (56..=59).contains(&p2)) && (12..=19).contains(&len)),
        // Discover 6011, 644-649, 65, 622126-622925; UnionPay 62; RuPay 60, 65, 81, 82, 508;
        // Maestro 60-69; Troy 9792 handled below.
        6 => (12..=19).contains(&len) && (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622126..=622925).contains(&p6) || p2 == 62 || (60..=69).contains(&p2)),
        8 => (p2 == 81 || p2 == 82) && len == 16,
        9 => p4 == 9792 && len == 16,
        _ => false,
    }
}

/// Whether the grouping of a 16-digit value looks like a card's (4-4-4-4).
pub fn grouped_like_card(s: &str) -> bool {
    grouped_as(s, &[4, 4, 4, 4]) || grouped_as(s, &[4, 6, 5]) || grouped_as(s, &[4, 6, 4])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validators::luhn_check_digit;

    fn with_check(body: &str) -> String {
        let d: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
        format!("{body}{}", luhn_check_digit(&d))
    }

    #[test]
    fn valid_numbers_of_each_scheme() {
        for body in ["411111111111111", "555555555555444", "37828224631000", "601111111111111", "353011133330000", "3056930902590", "622126000000000", "222100000000000"] {
            let n = with_check(body);
            assert!(is_card_number(&n), "{n}");
        }
        let n = with_check("411111111111111");
        let spaced = format!("{} {} {} {}", &n[0..4], &n[4..8], &n[8..12], &n[12..16]);
        assert!(is_card_number(&spaced));
        assert!(is_card_number(&spaced.replace(' ', "-")));
    }

    #[test]
    fn invalid_numbers() {
        let n = with_check("411111111111111");
        let mut wrong = n.clone().into_bytes();
        wrong[15] = b'0' + (wrong[15] - b'0' + 1) % 10;
        assert!(!is_card_number(std::str::from_utf8(&wrong).expect("ascii")));
        // Luhn-valid but no scheme issues 7xxx.
        assert!(!is_card_number(&with_check("711111111111111")));
        // Amex prefix with a Visa length.
        assert!(!is_card_number(&with_check("341111111111111")));
        // Mixed separators.
        assert!(!is_card_number(&format!("{}-{} {}", &n[0..4], &n[4..8], &n[8..])));
        assert!(!is_card_number("0000000000000000"));
    }
}
