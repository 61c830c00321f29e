//! Classifying single values, and finding personal data inside free text.
//!
//! [`match_value`] is the hot path: one pass over the bytes builds a
//! profile (how many digits, letters, separators, `@`, `:` ...), and only
//! the validators that the profile allows run. Nothing is allocated.
//! Values with several words are also scanned as text by [`scan_text`],
//! which reports byte spans.

use serde::Serialize;

use crate::types::{PiiType, TypeMask};
use crate::validators::{card, contact, date, documents, iban, national_id, network, person, secrets, Digits};

/// What one value matched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValueMatch {
    /// Types the value is, by a validator precise enough to count alone
    /// (a checksum, or a structure that little else has).
    pub strong: TypeMask,
    /// Types the value could be by shape alone (nine digits could be an
    /// SSN); they count only with a column name that says so.
    pub weak: TypeMask,
}

impl ValueMatch {
    fn strong(&mut self, t: PiiType) {
        self.strong |= t.bit();
    }
    fn weak(&mut self, t: PiiType) {
        self.weak |= t.bit();
    }
    /// Both masks together.
    pub fn any(&self) -> TypeMask {
        self.strong | self.weak
    }
}

/// A byte profile of a value, built in one pass.
#[derive(Debug, Default, Clone, Copy)]
struct Profile {
    digits: u32,
    upper: u32,
    lower: u32,
    spaces: u32,
    at: u32,
    dots: u32,
    colons: u32,
    dashes: u32,
    slashes: u32,
    phone_punct: u32,
    other: u32,
    non_ascii: u32,
}

impl Profile {
    fn of(b: &[u8]) -> Self {
        let mut p = Self::default();
        for &c in b {
            match c {
                b'0'..=b'9' => p.digits += 1,
                b'A'..=b'Z' => p.upper += 1,
                b'a'..=b'z' => p.lower += 1,
                b' ' | b'\t' | b'\n' | b'\r' => p.spaces += 1,
                b'@' => p.at += 1,
                b'.' => p.dots += 1,
                b':' => p.colons += 1,
                b'-' => p.dashes += 1,
                b'/' => p.slashes += 1,
                b'+' | b'(' | b')' => p.phone_punct += 1,
                0x80..=0xff => p.non_ascii += 1,
                _ => p.other += 1,
            }
        }
        p
    }
    fn letters(&self) -> u32 {
        self.upper + self.lower
    }
}

/// Classifies one value: the types it is (strong) or could be (weak).
/// `reference_year` bounds plausible dates of birth.
pub fn match_value(value: &str, reference_year: u16) -> ValueMatch {
    let v = value.trim();
    let mut m = ValueMatch::default();
    let b = v.as_bytes();
    if b.is_empty() {
        return m;
    }
    let p = Profile::of(b);
    if p.spaces == 0 {
        match_token(v, &p, reference_year, &mut m);
        return m;
    }
    // Several words: structured values written with spaces first.
    if p.letters() == 0 && p.other == 0 && p.non_ascii == 0 {
        match_digits(v, &p, reference_year, &mut m);
    }
    if p.digits >= 10 && p.upper >= 2 && iban::is_iban(v) {
        m.strong(PiiType::Iban);
    }
    if p.dots + p.spaces > 0 && p.digits == 13 && national_id::is_fr_nir(v) {
        m.strong(PiiType::FrNir);
    }
    if p.digits >= 8 && p.letters() == 0 && date::is_plausible_birth_date(v, reference_year) {
        m.weak(PiiType::DateOfBirth);
    }
    if p.digits == 0 && p.letters() > 0 && p.spaces <= 4 && person::is_person_name(v) {
        m.strong(PiiType::PersonName);
    }
    if p.digits > 0 && p.letters() > 0 && person::is_street_address(v) {
        m.strong(PiiType::StreetAddress);
    }
    if p.letters() > 0 && p.digits > 0 && p.spaces == 1 && person::is_postal_code(v) {
        m.weak(PiiType::PostalCode);
    }
    if p.colons + p.dashes > 0 && secrets::secret_kind(v).is_some() {
        m.strong(PiiType::Secret);
    }
    if m.strong == 0 && p.spaces >= 2 {
        scan_text(v, &mut |t, _, _| {
            if t != PiiType::Url {
                m.strong |= t.bit();
            }
        });
    }
    m
}

/// A value without spaces.
fn match_token(v: &str, p: &Profile, year: u16, m: &mut ValueMatch) {
    let letters = p.letters();
    if p.at == 1 {
        if contact::is_email(v) {
            m.strong(PiiType::Email);
        } else if network::is_url_with_credentials(v) {
            m.strong(PiiType::Secret);
        }
        return;
    }
    if p.colons > 0 && p.slashes >= 2 {
        if network::is_url_with_credentials(v) {
            m.strong(PiiType::Secret);
        } else if network::is_url(v) {
            m.weak(PiiType::Url);
        }
        return;
    }
    if v.len() >= 16 && (p.dots == 2 || p.dashes > 0 || p.other > 0 || p.upper > 0) && secrets::secret_kind(v).is_some() {
        m.strong(PiiType::Secret);
        return;
    }
    if (p.colons > 0 || p.dots > 0) && p.other == 0 && p.non_ascii == 0 {
        if (p.colons >= 2 || p.dots == 3) && network::is_ip(v) {
            m.strong(PiiType::IpAddress);
            return;
        }
        if (p.colons == 5 || p.dots == 2) && network::is_mac(v) {
            m.strong(PiiType::MacAddress);
            return;
        }
    }
    if p.dashes == 5 && network::is_mac(v) {
        m.strong(PiiType::MacAddress);
        return;
    }
    if letters == 0 && p.other == 0 && p.non_ascii == 0 && p.colons == 0 {
        match_digits(v, p, year, m);
        return;
    }
    if p.non_ascii == 0 && p.other == 0 && p.digits > 0 && letters > 0 {
        match_alnum(v, p, m);
        return;
    }
    if p.digits == 0 && letters > 0 && p.dots + p.colons + p.slashes == 0 {
        if person::is_gender_word(v) {
            m.strong(PiiType::Gender);
        } else if v.len() == 1 && person::is_gender_letter(v) {
            m.weak(PiiType::Gender);
        } else if person::is_person_name(v) {
            m.strong(PiiType::PersonName);
        }
    }
}

/// Digits with separators only.
fn match_digits(v: &str, p: &Profile, year: u16, m: &mut ValueMatch) {
    let Some(d) = Digits::of(v, b" -.()+/") else {
        if (p.dots == 1 || p.dashes == 1) && person::is_coordinate(v) {
            m.weak(PiiType::GeoLocation);
        }
        return;
    };
    let n = d.len();
    let seps = p.dots + p.dashes + p.spaces + p.slashes + p.phone_punct;
    if p.phone_punct == 0 && p.slashes == 0 {
        match n {
            12..=19 if card::is_card_number(v) => m.strong(PiiType::CreditCard),
            9 if national_id::is_us_ssn(v) => {
                if seps > 0 {
                    m.strong(PiiType::UsSsn)
                } else {
                    m.weak(PiiType::UsSsn)
                }
            }
            10 if national_id::is_uk_nhs(v) => m.strong(PiiType::UkNhs),
            11 => {
                if national_id::is_br_cpf(v) {
                    m.strong(PiiType::BrCpf);
                }
                if national_id::is_de_tax_id(v) {
                    m.strong(PiiType::DeTaxId);
                }
            }
            12 if national_id::is_in_aadhaar(v) => m.strong(PiiType::InAadhaar),
            15 if national_id::is_fr_nir(v) => m.strong(PiiType::FrNir),
            _ => {}
        }
    }
    match contact::phone_shape(v) {
        contact::PhoneShape::Strong => m.strong(PiiType::Phone),
        contact::PhoneShape::Weak => m.weak(PiiType::Phone),
        contact::PhoneShape::No => {}
    }
    if (8..=10).contains(&v.len()) && seps == 2 && p.spaces == 0 && p.phone_punct == 0 && date::is_plausible_birth_date(v, year) {
        m.weak(PiiType::DateOfBirth);
    }
    if seps == 0 {
        if person::is_age(v) {
            m.weak(PiiType::Age);
        }
        if (6..=9).contains(&n) {
            m.weak(PiiType::Passport);
        }
        if (4..=16).contains(&n) && documents::is_us_driver_license(v) {
            m.weak(PiiType::DriverLicense);
        }
        if (8..=17).contains(&n) {
            m.weak(PiiType::BankAccount);
        }
    }
    if (4..=10).contains(&v.len()) && person::is_postal_code(v) {
        m.weak(PiiType::PostalCode);
    }
    if p.dots == 1 && person::is_coordinate(v) {
        m.weak(PiiType::GeoLocation);
    }
}

/// Letters and digits mixed, no spaces.
fn match_alnum(v: &str, p: &Profile, m: &mut ValueMatch) {
    let b = v.as_bytes();
    let n = b.len();
    if n >= 15 && b[0].is_ascii_alphabetic() && b[1].is_ascii_alphabetic() && b[2].is_ascii_digit() && iban::is_iban(v) {
        m.strong(PiiType::Iban);
        return;
    }
    if (8..=10).contains(&n) && p.letters() <= 2 {
        if national_id::is_es_dni(v) {
            m.strong(PiiType::EsDni);
        } else if national_id::is_es_nie(v) {
            m.strong(PiiType::EsNie);
        }
    }
    if n == 17 && documents::is_vin(v) {
        m.strong(PiiType::Vin);
    }
    if n == 15 && national_id::is_fr_nir(v) {
        m.strong(PiiType::FrNir);
    }
    if (n == 8 || n == 11) && documents::is_bic(v) {
        m.weak(PiiType::SwiftBic);
    }
    if p.dashes == 0 && p.dots == 0 {
        if documents::is_passport_number(v) {
            m.weak(PiiType::Passport);
        }
        if documents::is_us_driver_license(v) {
            m.weak(PiiType::DriverLicense);
        }
    }
    if person::is_postal_code(v) {
        m.weak(PiiType::PostalCode);
    }
}

/// Personal data found in text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TextMatch {
    /// What was found.
    pub pii_type: PiiType,
    /// Where it starts (byte offset).
    pub start: usize,
    /// Where it ends (byte offset, exclusive).
    pub end: usize,
}

/// Finds the personal data in free text: every span that a precise
/// validator accepts (emails, phone numbers, cards, IBANs, national IDs,
/// IP and MAC addresses, URLs, secrets). A span may be reported under
/// more than one type when it is valid as each (a 10-digit number can be a
/// valid NHS number and a valid phone number).
pub fn find_in_text(text: &str) -> Vec<TextMatch> {
    let mut out = Vec::new();
    scan_text(text, &mut |pii_type, start, end| out.push(TextMatch { pii_type, start, end }));
    out
}

const TRIM: &[char] = &['"', '\'', '(', ')', '[', ']', '{', '}', '<', '>', ',', ';', '!', '?', '`'];

/// Calls `found(type, start, end)` for each span of personal data in
/// `text`, without allocating.
pub fn scan_text(text: &str, found: &mut dyn FnMut(PiiType, usize, usize)) {
    let bytes = text.as_bytes();
    // Whitespace-separated tokens.
    let mut pos = 0;
    while pos < bytes.len() {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if start < pos {
            scan_token(text, start, pos, found);
        }
    }
    scan_digit_chains(text, found);
    scan_ip_runs(bytes, found);
    if let Some(i) = text.find("PRIVATE KEY-----") {
        if let Some(s) = text[..i].rfind("-----BEGIN ") {
            found(PiiType::Secret, s, i + 16);
        }
    }
}

fn scan_token(text: &str, start: usize, end: usize, found: &mut dyn FnMut(PiiType, usize, usize)) {
    let raw = &text[start..end];
    let trimmed_start = raw.trim_start_matches(TRIM);
    let s = start + (raw.len() - trimmed_start.len());
    let tok = trimmed_start.trim_end_matches(TRIM).trim_end_matches(['.', ':']).trim_end_matches(TRIM);
    let e = s + tok.len();
    if tok.len() < 4 {
        return;
    }
    let b = tok.as_bytes();
    if b.contains(&b'@') {
        if contact::is_email(tok) {
            found(PiiType::Email, s, e);
        } else if network::is_url_with_credentials(tok) {
            found(PiiType::Secret, s, e);
        }
        return;
    }
    if tok.contains("://") {
        if network::is_url_with_credentials(tok) {
            found(PiiType::Secret, s, e);
        } else if network::is_url(tok) {
            found(PiiType::Url, s, e);
        }
        return;
    }
    if b.contains(&b'.') && b.iter().any(u8::is_ascii_alphabetic) && network::is_bare_domain(tok) {
        found(PiiType::Url, s, e);
        return;
    }
    if b.len() >= 16 && secrets::secret_kind(tok).is_some() {
        found(PiiType::Secret, s, e);
        return;
    }
    if (b.len() == 17 || b.len() == 14) && network::is_mac(tok) {
        found(PiiType::MacAddress, s, e);
        return;
    }
    let alpha = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    if (1..=2).contains(&alpha) && (8..=11).contains(&b.len()) {
        if national_id::is_es_dni(tok) {
            found(PiiType::EsDni, s, e);
        } else if national_id::is_es_nie(tok) {
            found(PiiType::EsNie, s, e);
        }
    }
    if b.len() == 17 && documents::is_vin(tok) {
        found(PiiType::Vin, s, e);
    }
    // IBAN: electronic form, or this token and the groups of four after it.
    if b.len() >= 4 && b[0].is_ascii_uppercase() && b[1].is_ascii_uppercase() && b[2].is_ascii_digit() && b[3].is_ascii_digit() {
        if let Some(len) = iban::country_length(&b[..2]) {
            if b.len() == len && iban::is_iban(tok) {
                found(PiiType::Iban, s, e);
            } else if b.len() == 4 {
                let rest = &text.as_bytes()[e..];
                let mut compact = 4;
                let mut end = e;
                let mut i = 0;
                while compact < len && i < rest.len() && rest[i] == b' ' {
                    let g = rest[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
                    if g == 0 || g > 4 {
                        break;
                    }
                    compact += g;
                    i += 1 + g;
                    end = e + i;
                }
                if compact == len && iban::is_iban(&text[s..end]) {
                    found(PiiType::Iban, s, end);
                }
            }
        }
    }
}

/// The types a chain of digit groups may be, checked in the text scan.
fn digit_types(c: &str, found: &mut dyn FnMut(PiiType)) -> bool {
    let Some(d) = Digits::of(c, b" -.:()+") else { return false };
    let mut any = false;
    let mut hit = |t| {
        any = true;
        found(t)
    };
    let plain = !c.contains(['(', ')', '+']);
    if plain {
        if card::is_card_number(c) {
            hit(PiiType::CreditCard);
        }
        match d.len() {
            9 if national_id::is_us_ssn(c) => hit(PiiType::UsSsn),
            10 if national_id::is_uk_nhs(c) => hit(PiiType::UkNhs),
            11 => {
                if national_id::is_br_cpf(c) {
                    hit(PiiType::BrCpf);
                }
                if national_id::is_de_tax_id(c) {
                    hit(PiiType::DeTaxId);
                }
            }
            12 if national_id::is_in_aadhaar(c) => hit(PiiType::InAadhaar),
            15 if national_id::is_fr_nir(c) => hit(PiiType::FrNir),
            _ => {}
        }
    }
    if !c.contains(':') && contact::phone_shape(c) == contact::PhoneShape::Strong {
        hit(PiiType::Phone);
    }
    // A bare Chinese mobile number or NANP number in text is taken as a phone.
    if plain && d.len() == c.len() && contact::phone_shape(c) == contact::PhoneShape::Weak && (d.len() == 11 || d.len() == 10) {
        hit(PiiType::Phone);
    }
    any
}

/// Finds chains of digit groups joined by single separators (`4012 8888
/// 8888 1881`, `(415) 555-0132`, `+44 (20) 7123 4567`) and reports the
/// longest valid sub-chains.
fn scan_digit_chains(text: &str, found: &mut dyn FnMut(PiiType, usize, usize)) {
    const MAX_GROUPS: usize = 12;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let prev = if i > 0 { b[i - 1] } else { b' ' };
        let opens = (c == b'+' || c == b'(') && b.get(i + 1).is_some_and(u8::is_ascii_digit) && !prev.is_ascii_alphanumeric();
        if !(c.is_ascii_digit() && !prev.is_ascii_digit() && prev != b'.' && prev != b':' || opens) {
            i += 1;
            continue;
        }
        // Collect groups: (start, end) of each digit group, with a leading `+`/`(` kept.
        let mut groups = [(0usize, 0usize); MAX_GROUPS];
        let mut n = 0;
        let mut j = i;
        loop {
            let gs = j;
            if j < b.len() && (b[j] == b'+' || b[j] == b'(') {
                j += 1;
            }
            let ds = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == ds {
                break;
            }
            if j < b.len() && b[j] == b')' && b[gs] == b'(' {
                j += 1;
            }
            groups[n] = (gs, j);
            n += 1;
            if n == MAX_GROUPS {
                break;
            }
            // A single separator, then another group.
            let sep_ok = j + 1 < b.len() && matches!(b[j], b' ' | b'-' | b'.' | b':') && (b[j + 1].is_ascii_digit() || b[j + 1] == b'(');
            let paren_join = j < b.len() && b[j - 1] == b')' && b[j].is_ascii_digit();
            if sep_ok {
                j += 1;
            } else if !paren_join {
                break;
            }
        }
        if n == 0 {
            i += 1;
            continue;
        }
        let chain_end = groups[n - 1].1;
        // The chain must not run on into letters or more digits.
        let after = b.get(chain_end).copied().unwrap_or(b' ');
        let mut g = 0;
        while g < n {
            let mut matched = None;
            for h in (g..n).rev() {
                let (s, e) = (groups[g].0, groups[h].1);
                let tail_ok = h < n - 1 || !after.is_ascii_alphanumeric() || after.is_ascii_alphabetic() && e - s > 9;
                if !tail_ok {
                    continue;
                }
                let cand = &text[s..e];
                let mut any = false;
                digit_types(cand, &mut |t| {
                    any = true;
                    found(t, s, e)
                });
                if any {
                    matched = Some(h);
                    break;
                }
            }
            g = matched.map_or(g + 1, |h| h + 1);
        }
        i = chain_end.max(i + 1);
    }
}

/// Finds IP addresses: runs of hex digits, `:` and `.` bounded by
/// non-alphanumerics, with an optional `%zone` and `/prefix`; when a whole
/// run is not an address, a dotted quad inside it can be.
fn scan_ip_runs(b: &[u8], found: &mut dyn FnMut(PiiType, usize, usize)) {
    let is_run = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
    let mut i = 0;
    while i < b.len() {
        if !is_run(b[i]) || (i > 0 && is_run(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < b.len() && is_run(b[end]) {
            end += 1;
        }
        i = end;
        let mut run_end = end;
        while run_end > start && b[run_end - 1] == b'.' {
            run_end -= 1;
        }
        let run = &b[start..run_end];
        let colons = run.iter().filter(|&&c| c == b':').count();
        let dots = run.iter().filter(|&&c| c == b'.').count();
        if colons < 2 && dots < 3 {
            continue;
        }
        let before_ok = start == 0 || !(b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_');
        // Zone and prefix.
        let mut full_end = run_end;
        if run_end == end && b.get(end) == Some(&b'%') {
            let z = b[end + 1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            if z > 0 {
                full_end = end + 1 + z;
            }
        }
        let after_ok = |e: usize| b.get(e).is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
        let mut with_prefix = full_end;
        if (full_end == end || full_end > run_end) && b.get(full_end) == Some(&b'/') {
            let p = b[full_end + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if (1..=3).contains(&p) {
                with_prefix = full_end + 1 + p;
            }
        }
        let as_str = |s: usize, e: usize| std::str::from_utf8(&b[s..e]).ok();
        if before_ok {
            if with_prefix > full_end && after_ok(with_prefix) && as_str(start, with_prefix).is_some_and(network::is_ip) {
                found(PiiType::IpAddress, start, with_prefix);
                i = with_prefix;
                continue;
            }
            if (after_ok(full_end) || b.get(full_end) == Some(&b'/') || full_end < end) && as_str(start, full_end).is_some_and(network::is_ip) {
                found(PiiType::IpAddress, start, full_end);
                continue;
            }
        }
        // A dotted quad inside the run, after `:` or at a clean start.
        if dots >= 3 {
            let mut k = start;
            while k < run_end {
                let clean = if k == start { before_ok } else { b[k - 1] == b':' };
                if b[k].is_ascii_digit() && clean {
                    if let Some(e) = dotted_quad(b, k, run_end) {
                        found(PiiType::IpAddress, k, e);
                        break;
                    }
                }
                k += 1;
            }
        }
    }
}

/// The end of a valid dotted quad starting at `k`, if there is one.
fn dotted_quad(b: &[u8], k: usize, limit: usize) -> Option<usize> {
    let mut j = k;
    for octet in 0..4 {
        let s = j;
        while j < limit && b[j].is_ascii_digit() && j - s < 3 {
            j += 1;
        }
        if j == s || (j - s > 1 && b[s] == b'0') {
            return None;
        }
        let v: u32 = b[s..j].iter().fold(0, |a, &c| a * 10 + (c - b'0') as u32);
        if v > 255 {
            return None;
        }
        if octet < 3 {
            if j >= limit || b[j] != b'.' {
                return None;
            }
            j += 1;
        }
    }
    if j < limit && b[j].is_ascii_digit() {
        return None;
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(text: &str) -> Vec<(PiiType, &str)> {
        find_in_text(text).into_iter().map(|m| (m.pii_type, &text[m.start..m.end])).collect()
    }

    #[test]
    fn text_scan_finds_each_kind() {
        assert!(types("write to ana@example.org today").contains(&(PiiType::Email, "ana@example.org")));
        assert!(types("call (415) 555-0132 now").contains(&(PiiType::Phone, "(415) 555-0132")));
        assert!(types("ip 10.1.2.3, mac 00:1a:2b:3c:4d:5e").contains(&(PiiType::IpAddress, "10.1.2.3")));
        assert!(types("ip 10.1.2.3, mac 00:1a:2b:3c:4d:5e").contains(&(PiiType::MacAddress, "00:1a:2b:3c:4d:5e")));
        assert!(types("IBAN DE89 3704 0044 0532 0130 00 please").contains(&(PiiType::Iban, "DE89 3704 0044 0532 0130 00")));
        assert!(types("card 4111 1111 1111 1111.").contains(&(PiiType::CreditCard, "4111 1111 1111 1111")));
        assert!(types("nothing here at all").is_empty());
    }

    #[test]
    fn values() {
        let y = 2025;
        assert_eq!(match_value("ana@example.org", y).strong, PiiType::Email.bit());
        assert_ne!(match_value("4111111111111111", y).strong & PiiType::CreditCard.bit(), 0);
        assert_ne!(match_value("1985-03-14", y).weak & PiiType::DateOfBirth.bit(), 0);
        assert_ne!(match_value("Maria Garcia", y).strong & PiiType::PersonName.bit(), 0);
        assert_eq!(match_value("", y), ValueMatch::default());
        assert_eq!(match_value("blue", y), ValueMatch::default());
    }
}
