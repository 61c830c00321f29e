//! International Bank Account Numbers (ISO 13616): the country's length from
//! the IBAN registry and the mod 97 check (ISO 7064 MOD 97-10).

/// IBAN lengths by country, from the SWIFT IBAN registry, plus the
/// countries that publish IBAN-format numbers outside the registry
/// (several African and Central American states, Iran).
const LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24), (b"AE", 23), (b"AL", 28), (b"AT", 20), (b"AZ", 28), (b"BA", 20), (b"BE", 16), (b"BG", 22), (b"BH", 22), (b"BI", 27), (b"BR", 29), (b"BY", 28),
    (b"CH", 21), (b"CR", 22), (b"CY", 28), (b"CZ", 24), (b"DE", 22), (b"DJ", 27), (b"DK", 18), (b"DO", 28), (b"EE", 20), (b"EG", 29), (b"ES", 24), (b"FI", 18),
    (b"FK", 18), (b"FO", 18), (b"FR", 27), (b"GB", 22), (b"GE", 22), (b"GI", 23), (b"GL", 18), (b"GR", 27), (b"GT", 28), (b"HR", 21), (b"HU", 28), (b"IE", 22),
    (b"IL", 23), (b"IQ", 23), (b"IS", 26), (b"IT", 27), (b"JO", 30), (b"KW", 30), (b"KZ", 20), (b"LB", 28), (b"LC", 32), (b"LI", 21), (b"LT", 20), (b"LU", 20),
    (b"LV", 21), (b"LY", 25), (b"MC", 27), (b"MD", 24), (b"ME", 22), (b"MK", 19), (b"MN", 20), (b"MR", 27), (b"MT", 31), (b"MU", 30), (b"NI", 28), (b"NL", 18),
    (b"NO", 15), (b"OM", 23), (b"PK", 24), (b"PL", 28), (b"PS", 29), (b"PT", 25), (b"QA", 29), (b"RO", 24), (b"RS", 22), (b"RU", 33), (b"SA", 24), (b"SC", 31),
    (b"SD", 18), (b"SE", 24), (b"SI", 19), (b"SK", 24), (b"SM", 27), (b"SO", 23), (b"ST", 25), (b"SV", 28), (b"TL", 23), (b"TN", 24), (b"TR", 26), (b"UA", 29),
    (b"VA", 22), (b"VG", 24), (b"XK", 20), (b"YE", 30),
    // Outside the registry.
    (b"AO", 25), (b"BF", 28), (b"BJ", 28), (b"CF", 27), (b"CG", 27), (b"CI", 28), (b"CM", 27), (b"CV", 25), (b"DZ", 26), (b"GA", 27), (b"GQ", 27), (b"GW", 25),
    (b"HN", 28), (b"IR", 26), (b"KM", 27), (b"MA", 28), (b"MG", 27), (b"ML", 28), (b"MZ", 25), (b"NE", 28), (b"SN", 28), (b"TD", 27), (b"TG", 28),
];

/// The IBAN length of `country` (upper case), if it has IBANs.
pub fn country_length(country: &[u8]) -> Option<usize> {
    LENGTHS.iter().find(|(c, _)| c.as_slice() == country).map(|&(_, l)| l as usize)
}

/// Whether `s` is a valid IBAN, in electronic form or in groups of four
/// separated by single spaces (upper or lower case).
pub fn is_iban(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() < 15 || bytes.len() > 42 {
        return false;
    }
    // Spaces, if any, separate groups of four from the start.
    if bytes.contains(&b' ') {
        for (i, chunk) in bytes.split(|&b| b == b' ').enumerate() {
            let last = i == (bytes.iter().filter(|&&b| b == b' ').count());
            if chunk.is_empty() || chunk.len() > 4 || (!last && chunk.len() != 4) {
                return false;
            }
        }
    }
    let mut buf = [0u8; 34];
    let mut n = 0;
    for &b in bytes {
        if b == b' ' {
            continue;
        }
        if !b.is_ascii_alphanumeric() || n == buf.len() {
            return false;
        }
        buf[n] = b.to_ascii_uppercase();
        n += 1;
    }
    let iban = &buf[..n];
    if !iban[0].is_ascii_uppercase() || !iban[1].is_ascii_uppercase() || !iban[2].is_ascii_digit() || !iban[3].is_ascii_digit() {
        return false;
    }
    if country_length(&iban[..2]) != Some(n) {
        return false;
    }
    mod97(iban) == 1
}

/// The IBAN (upper case, no spaces) modulo 97 after moving the first four
/// characters to the end and replacing letters by 10..35.
pub fn mod97(iban: &[u8]) -> u32 {
    let mut r = 0u32;
    for &b in iban[4..].iter().chain(&iban[..4]) {
        if b.is_ascii_digit() {
            r = (r * 10 + (b - b'0') as u32) % 97;
        } else {
            let v = (b - b'A') as u32 + 10;
            r = (r * 100 + v) % 97;
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid IBAN from a country and a BBAN by computing the check digits.
    fn make(country: &str, bban: &str) -> String {
        let probe = format!("{country}00{bban}");
        let check = 98 - mod97(probe.as_bytes());
        format!("{country}{check:02}{bban}")
    }

    #[test]
    fn computed_ibans_validate() {
        let de = make("DE", "370400440532013000");
        assert_eq!(de, "DE89370400440532013000", "the registry's own example");
        assert!(is_iban(&de));
        assert!(is_iban(&de.to_lowercase()));
        let gb = make("GB", "NWBK60161331926819");
        assert!(is_iban(&gb));
        let spaced: Vec<&str> = (0..gb.len()).step_by(4).map(|i| &gb[i..(i + 4).min(gb.len())]).collect();
        assert!(is_iban(&spaced.join(" ")));
    }

    #[test]
    fn wrong_check_length_or_country_fails() {
        let de = make("DE", "370400440532013000");
        assert!(!is_iban(&de.replace("89", "88")));
        assert!(!is_iban(&make("DE", "3704004405320130001")), "DE is 22 long");
        assert!(!is_iban(&make("ZZ", "370400440532013000")), "no such country");
        assert!(!is_iban("DE89 3704 0044 053 2013000"), "groups of four");
    }
}
