//! Vehicle, bank and travel-document identifiers: VIN, SWIFT/BIC, US
//! driver's licences and passport numbers.

/// The ISO 3779 transliteration of a VIN character, `None` for I, O, Q and
/// anything else not allowed.
fn vin_value(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None,
    })
}

const VIN_WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The check character (position 9) a VIN should have.
pub fn vin_check_char(vin: &[u8]) -> Option<u8> {
    if vin.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (i, &c) in vin.iter().enumerate() {
        sum += vin_value(c.to_ascii_uppercase())? * VIN_WEIGHTS[i];
    }
    Some(match sum % 11 {
        10 => b'X',
        r => b'0' + r as u8,
    })
}

/// Whether `s` is a vehicle identification number: 17 characters without
/// I, O or Q, with letters and digits, and the North American check digit
/// in position 9.
pub fn is_vin(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 17 && b.iter().any(u8::is_ascii_digit) && b.iter().any(u8::is_ascii_alphabetic) && vin_check_char(b) == Some(b[8].to_ascii_uppercase())
}

/// ISO 3166-1 alpha-2 country codes.
const COUNTRIES: &str = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSXKYEYTZAZMZW";

/// Whether `cc` (two upper-case letters) is an ISO 3166-1 country code.
pub fn is_country_code(cc: &[u8]) -> bool {
    cc.len() == 2 && COUNTRIES.as_bytes().chunks(2).any(|c| c == cc)
}

/// Whether `s` is a SWIFT/BIC code (ISO 9362): 4 letters of institution, a
/// country code, 2 letters or digits of location, optionally 3 of branch;
/// upper case.
pub fn is_bic(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 8 || b.len() == 11)
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && is_country_code(&b[4..6])
        && b[6..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// US driver's licence number formats by state (letters then digits), as
/// published by the states: `(letters, min digits, max digits)`.
const US_DL_FORMATS: &[(usize, usize, usize)] = &[
    (0, 1, 9),   // AK, DE, GA, ... all-digit numbers
    (0, 10, 14), // all-digit numbers of some states (HI 9, NY 9, WA 12 ...)
    (1, 3, 6),   // AZ, MO ...
    (1, 7, 8),   // CA, CO, NV, ...
    (1, 9, 14),  // FL 12, IL 11, MI 12, MN 12, WI 13, ...
    (2, 2, 7),   // CO, KS ...
    (3, 5, 6),   // NE-style
];

/// Whether `s` has the shape of a US driver's licence number of some state:
/// 1 to 3 letters then digits, or digits only, per the states' formats.
/// Shape only: it counts with a column name that says licence.
pub fn is_us_driver_license(s: &str) -> bool {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = b.len() - letters;
    b[letters..].iter().all(u8::is_ascii_digit) && digits > 0 && (4..=16).contains(&b.len()) && US_DL_FORMATS.iter().any(|&(l, lo, hi)| l == letters && (lo..=hi).contains(&digits))
}

/// Whether `s` has the shape of a passport number: 6 to 9 letters and
/// digits with at least 5 digits (the ICAO 9303 document number field is 9
/// characters). Shape only: it counts with a column name that says passport.
pub fn is_passport_number(s: &str) -> bool {
    let b = s.as_bytes();
    (6..=9).contains(&b.len()) && b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) && b.iter().filter(|c| c.is_ascii_digit()).count() >= 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vin_check_digit() {
        let mut vin = *b"1M8GDM9A0KP042788";
        let check = vin_check_char(&vin).expect("valid characters");
        vin[8] = check;
        let s = std::str::from_utf8(&vin).expect("ascii");
        assert!(is_vin(s));
        vin[8] = if check == b'0' { b'1' } else { b'0' };
        assert!(!is_vin(std::str::from_utf8(&vin).expect("ascii")));
        assert!(!is_vin("1M8GDM9AXKP04278O"), "O is not allowed");
    }

    #[test]
    fn bic() {
        assert!(is_bic("DEUTDEFF"));
        assert!(is_bic("DEUTDEFF500"));
        assert!(!is_bic("DEUTXXFF"), "XX is no country");
        assert!(!is_bic("deutdeff"));
        assert!(!is_bic("DEUTDEF"));
    }

    #[test]
    fn licences_and_passports() {
        assert!(is_us_driver_license("A1234567"));
        assert!(is_us_driver_license("123456789"));
        assert!(!is_us_driver_license("ABCDEFGH"));
        assert!(is_passport_number("X1234567"));
        assert!(!is_passport_number("ABCDEFGH"));
    }
}
