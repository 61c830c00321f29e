//! National identity numbers, each checked against its published rules.

use super::{grouped_as, verhoeff_valid, Digits};

/// US Social Security number: 9 digits, bare or 3-2-4 with one kind of
/// separator. Area 000, 666 and 900-999, group 00 and serial 0000 are never
/// issued (SSA), nor are the two numbers the SSA voided after they were
/// printed in advertising (078-05-1120, 219-09-9999).
pub fn is_us_ssn(s: &str) -> bool {
    let Some(d) = Digits::of(s, b" -.") else { return false };
    if d.len() != 9 || !grouped_as(s, &[3, 2, 4]) {
        return false;
    }
    let d = d.as_slice();
    let area = num(&d[0..3]);
    let group = num(&d[3..5]);
    let serial = num(&d[5..9]);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !(area == 78 && group == 5 && serial == 1120) && !(area == 219 && group == 9 && serial == 9999)
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |a, &x| a * 10 + x as u32)
}

/// UK NHS number: 10 digits (bare, or 3-3-4 with spaces or hyphens), the
/// last a mod 11 check digit over weights 10..2; a remainder giving 10 is
/// never issued.
pub fn is_uk_nhs(s: &str) -> bool {
    let Some(d) = Digits::of(s, b" -") else { return false };
    if d.len() != 10 || !grouped_as(s, &[3, 3, 4]) {
        return false;
    }
    nhs_check_digit(&d.as_slice()[..9]) == Some(d.as_slice()[9])
}

/// The NHS check digit of the first nine digits, `None` when none exists.
pub fn nhs_check_digit(d: &[u8]) -> Option<u8> {
    let sum: u32 = d.iter().enumerate().map(|(i, &x)| x as u32 * (10 - i as u32)).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        c => Some(c as u8),
    }
}

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// The DNI/NIE control letter of `number`.
pub fn dni_letter(number: u32) -> u8 {
    DNI_LETTERS[(number % 23) as usize]
}

/// Spanish DNI (NIF of a person): 7 or 8 digits and the control letter
/// (`number mod 23` into `TRWAGMYFPDXBNJZSQVHLCKE`), optionally separated
/// by a hyphen; either case.
pub fn is_es_dni(s: &str) -> bool {
    let b = s.as_bytes();
    let (body, letter) = match b.split_last() {
        Some((&l, rest)) if l.is_ascii_alphabetic() => (rest.strip_suffix(b"-").unwrap_or(rest), l.to_ascii_uppercase()),
        _ => return false,
    };
    if !(7..=8).contains(&body.len()) || !body.iter().all(u8::is_ascii_digit) {
        return false;
    }
    dni_letter(num_ascii(body)) == letter
}

fn num_ascii(b: &[u8]) -> u32 {
    b.iter().fold(0, |a, &x| a * 10 + (x - b'0') as u32)
}

/// Spanish NIE: X, Y or Z (standing for 0, 1, 2), 7 digits and the DNI
/// control letter of the resulting 8-digit number; either case, optional
/// hyphen before the letter.
pub fn is_es_nie(s: &str) -> bool {
    let b = s.as_bytes();
    let Some((&first, rest)) = b.split_first() else { return false };
    let prefix = match first.to_ascii_uppercase() {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    let (body, letter) = match rest.split_last() {
        Some((&l, body)) if l.is_ascii_alphabetic() => (body.strip_suffix(b"-").unwrap_or(body), l.to_ascii_uppercase()),
        _ => return false,
    };
    if body.len() != 7 || !body.iter().all(u8::is_ascii_digit) {
        return false;
    }
    dni_letter(prefix * 10_000_000 + num_ascii(body)) == letter
}

/// Brazilian CPF: 11 digits (bare or `000.000.000-00`), two mod 11 check
/// digits; numbers of one repeated digit are invalid.
pub fn is_br_cpf(s: &str) -> bool {
    let Some(d) = Digits::of(s, b".-") else { return false };
    let formatted = s.len() == 14 && s.as_bytes()[3] == b'.' && s.as_bytes()[7] == b'.' && s.as_bytes()[11] == b'-';
    if d.len() != 11 || !(s.len() == 11 || formatted) {
        return false;
    }
    let d = d.as_slice();
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    cpf_check(&d[..9]) == d[9] && cpf_check(&d[..10]) == d[10]
}

/// The CPF check digit over `d` (9 digits for the first, 10 for the second).
pub fn cpf_check(d: &[u8]) -> u8 {
    let n = d.len() as u32 + 1;
    let sum: u32 = d.iter().enumerate().map(|(i, &x)| x as u32 * (n - i as u32)).sum();
    let r = sum * 10 % 11;
    if r == 10 {
        0
    } else {
        r as u8
    }
}

/// Indian Aadhaar: 12 digits (bare, or 4-4-4 with spaces, hyphens or
/// colons), not starting with 0 or 1, the last a Verhoeff check digit.
pub fn is_in_aadhaar(s: &str) -> bool {
    let Some(d) = Digits::of(s, b" -:") else { return false };
    if d.len() != 12 || !grouped_as(s, &[4, 4, 4]) {
        return false;
    }
    let d = d.as_slice();
    d[0] >= 2 && verhoeff_valid(d) && !d.iter().all(|&x| x == d[0])
}

/// French NIR (numéro de sécurité sociale): 13 characters (sex, year,
/// month, department, commune, order) and a 2-digit key `97 - (n mod 97)`;
/// Corsica's departments 2A and 2B count as 19 and 18. Spaces between the
/// parts are allowed.
pub fn is_fr_nir(s: &str) -> bool {
    let mut buf = [0u8; 15];
    let mut n = 0;
    for &b in s.as_bytes() {
        if b == b' ' {
            continue;
        }
        if n == 15 {
            return false;
        }
        buf[n] = b.to_ascii_uppercase();
        n += 1;
    }
    if n != 15 {
        return false;
    }
    let corsica = match &buf[5..7] {
        b"2A" => Some(19u64),
        b"2B" => Some(18),
        _ => None,
    };
    let digits_ok = buf.iter().enumerate().all(|(i, b)| b.is_ascii_digit() || (corsica.is_some() && (i == 5 || i == 6)));
    if !digits_ok || !matches!(buf[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return false;
    }
    let month = (buf[3] - b'0') * 10 + (buf[4] - b'0');
    if !(matches!(month, 1..=12 | 20..=42 | 50..=99)) {
        return false;
    }
    let mut number: u64 = 0;
    for (i, &b) in buf[..13].iter().enumerate() {
        if corsica.is_some() && i == 5 {
            continue;
        }
        if let (Some(v), 6) = (corsica, i) {
            number = number * 100 + v;
            continue;
        }
        number = number * 10 + (b - b'0') as u64;
    }
    let key = (buf[13] - b'0') as u64 * 10 + (buf[14] - b'0') as u64;
    97 - number % 97 == key
}

/// German Steuer-ID (steuerliche Identifikationsnummer): 11 digits, no
/// leading 0; among the first ten, exactly one digit repeats (twice, or
/// three times but not three in a row) and the rest appear at most once;
/// the last is an ISO 7064 MOD 11,10 check digit.
pub fn is_de_tax_id(s: &str) -> bool {
    let Some(d) = Digits::of(s, b" ") else { return false };
    if d.len() != 11 || !grouped_as(s, &[2, 3, 3, 3]) {
        return false;
    }
    let d = d.as_slice();
    if d[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[x as usize] += 1;
    }
    let mut repeated = None;
    for (i, &c) in counts.iter().enumerate() {
        if c > 1 && repeated.replace(i).is_some() {
            return false;
        }
    }
    let Some(r) = repeated else { return false };
    match counts[r] {
        2 => {}
        3 => {
            if d[..10].windows(3).any(|w| w.iter().all(|&x| x as usize == r)) {
                return false;
            }
        }
        _ => return false,
    }
    de_tax_id_check(&d[..10]) == d[10]
}

/// The ISO 7064 MOD 11,10 check digit of `d`.
pub fn de_tax_id_check(d: &[u8]) -> u8 {
    let mut product = 10u32;
    for &x in d {
        let mut sum = (x as u32 + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = sum * 2 % 11;
    }
    let check = 11 - product;
    if check == 10 {
        0
    } else {
        check as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validators::verhoeff_check_digit;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    fn join(d: &[u8]) -> String {
        d.iter().map(|x| char::from(b'0' + x)).collect()
    }

    #[test]
    fn ssn_rules() {
        assert!(is_us_ssn("123-45-6780"));
        assert!(is_us_ssn("123456780"));
        assert!(is_us_ssn("123 45 6780"));
        assert!(!is_us_ssn("000-45-6780"), "area 000");
        assert!(!is_us_ssn("666-45-6780"), "area 666");
        assert!(!is_us_ssn("912-45-6780"), "area 9xx");
        assert!(!is_us_ssn("123-00-6780"), "group 00");
        assert!(!is_us_ssn("123-45-0000"), "serial 0000");
        assert!(!is_us_ssn("123-45.6780"), "mixed separators");
        assert!(!is_us_ssn("12345678"), "8 digits");
    }

    #[test]
    fn nhs_check_digit_from_the_algorithm() {
        let body = digits("943476591");
        let check = nhs_check_digit(&body).expect("has a check digit");
        let n = format!("{}{}", join(&body), check);
        assert!(is_uk_nhs(&n));
        assert!(is_uk_nhs(&format!("{} {} {}", &n[..3], &n[3..6], &n[6..])));
        let wrong = format!("{}{}", join(&body), (check + 1) % 10);
        assert!(!is_uk_nhs(&wrong));
        // A body whose remainder gives 10 has no valid number at all.
        let body = (0..1000u32).map(|i| digits(&format!("{:09}", 100_000_000 + i))).find(|b| nhs_check_digit(b).is_none()).expect("some body has no check digit");
        for c in 0..10 {
            assert!(!is_uk_nhs(&format!("{}{c}", join(&body))));
        }
    }

    #[test]
    fn dni_and_nie_letters() {
        let n = 12_345_678u32;
        let letter = dni_letter(n) as char;
        assert_eq!(letter, 'Z');
        assert!(is_es_dni(&format!("{n}{letter}")));
        assert!(is_es_dni(&format!("{n}-{}", letter.to_ascii_lowercase())));
        assert!(!is_es_dni(&format!("{n}A")));
        let seven = 1_234_567u32;
        assert!(is_es_dni(&format!("{seven}{}", dni_letter(seven) as char)));
        let nie_letter = dni_letter(20_000_000 + 1_234_567) as char;
        assert!(is_es_nie(&format!("Z1234567{nie_letter}")));
        assert!(!is_es_nie(&format!("X1234567{nie_letter}")), "X means 0, so the letter differs");
        assert!(!is_es_nie(&format!("W1234567{nie_letter}")));
    }

    #[test]
    fn cpf_check_digits() {
        let body = digits("111444777");
        let d1 = cpf_check(&body);
        let mut ten = body.clone();
        ten.push(d1);
        let d2 = cpf_check(&ten);
        ten.push(d2);
        let cpf = join(&ten);
        assert_eq!(cpf, "11144477735");
        assert!(is_br_cpf(&cpf));
        assert!(is_br_cpf(&format!("{}.{}.{}-{}", &cpf[..3], &cpf[3..6], &cpf[6..9], &cpf[9..])));
        assert!(!is_br_cpf("11144477736"));
        assert!(!is_br_cpf("11111111111"));
    }

    #[test]
    fn aadhaar_verhoeff() {
        let body = digits("23456789012");
        let mut full = body.clone();
        full.push(verhoeff_check_digit(&body));
        let a = join(&full);
        assert!(is_in_aadhaar(&a));
        assert!(is_in_aadhaar(&format!("{} {} {}", &a[..4], &a[4..8], &a[8..])));
        let mut wrong = full.clone();
        wrong[11] = (wrong[11] + 1) % 10;
        assert!(!is_in_aadhaar(&join(&wrong)));
        let mut low = digits("13456789012");
        low.push(verhoeff_check_digit(&low.clone()));
        assert!(!is_in_aadhaar(&join(&low)), "cannot start with 1");
    }

    #[test]
    fn nir_key() {
        let body = "1850578006084";
        let n: u64 = body.parse().expect("digits");
        let key = 97 - n % 97;
        assert!(is_fr_nir(&format!("{body}{key:02}")));
        assert!(is_fr_nir(&format!("1 85 05 78 006 084 {key:02}")));
        assert!(!is_fr_nir(&format!("{body}{:02}", (key + 1) % 97)));
        // Corsica: 2A counts as 19 in the key.
        let corsican: u64 = "1850519006084".parse().expect("digits");
        let ckey = 97 - corsican % 97;
        assert!(is_fr_nir(&format!("185052A006084{ckey:02}")));
        assert!(!is_fr_nir(&format!("5850578006084{key:02}")), "sex digit 5");
    }

    #[test]
    fn steuer_id_structure_and_check() {
        // One digit (1) twice, 0 absent.
        let body = digits("1123456789");
        let id = format!("{}{}", join(&body), de_tax_id_check(&body));
        assert!(is_de_tax_id(&id));
        let wrong = format!("{}{}", join(&body), (de_tax_id_check(&body) + 1) % 10);
        assert!(!is_de_tax_id(&wrong));
        // All distinct: no repeated digit.
        let body = digits("1234567890");
        assert!(!is_de_tax_id(&format!("{}{}", join(&body), de_tax_id_check(&body))));
        // Three in a row.
        let body = digits("1112345678");
        assert!(!is_de_tax_id(&format!("{}{}", join(&body), de_tax_id_check(&body))));
        // Three not in a row is allowed.
        let body = digits("1121345678");
        assert!(is_de_tax_id(&format!("{}{}", join(&body), de_tax_id_check(&body))));
        let body = digits("0112345678");
        assert!(!is_de_tax_id(&format!("{}{}", join(&body), de_tax_id_check(&body))));
    }
}
