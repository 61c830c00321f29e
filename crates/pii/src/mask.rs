//! Masking: redaction, partial masks, hashing, keyed pseudonymisation,
//! format-preserving pseudonyms for emails and phone numbers, and
//! generalisation (year of birth, 3-digit ZIP prefix).
//!
//! Keyed strategies use HMAC-SHA256 (RFC 2104), so the same key and value
//! give the same output in every table and run: joins on pseudonymised
//! columns still work, and without the key the values cannot be recomputed
//! from a dictionary of likely inputs (which plain hashing allows).

use std::str::FromStr;

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::types::PiiType;
use crate::validators::date::parse_date;

type HmacSha256 = Hmac<Sha256>;

/// The shortest key accepted for keyed strategies (16 bytes, 128 bits).
pub const MIN_KEY_BYTES: usize = 16;

/// How to mask values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Replace the whole value by `[REDACTED]`.
    Redact,
    /// Keep the last four letters or digits, replace the others by `*`
    /// (separators stay): `4111-1111-1111-1234` -> `****-****-****-1234`.
    /// Emails keep the first character of the local part and the domain.
    Partial,
    /// SHA-256 of the value, hex. Unkeyed: a low-entropy value (a phone
    /// number) can be found again by hashing candidates; prefer
    /// [`Strategy::Pseudonymize`].
    Hash,
    /// HMAC-SHA256 of the value under the key, as 32 hex characters.
    Pseudonymize,
    /// A pseudonym of the same shape, derived from HMAC-SHA256 under the
    /// key: letters stay letters (same case), digits stay digits, other
    /// characters stay put. An email stays an email with the same top-level
    /// domain; a phone number keeps its `+` and country code, length and
    /// punctuation. Deterministic, not reversible.
    FormatPreserving,
    /// A date of birth generalised to its year.
    YearOfBirth,
    /// A postal code generalised to its first three characters, the rest `*`.
    Zip3,
}

impl Strategy {
    /// Every strategy.
    pub const ALL: [Strategy; 7] = [Self::Redact, Self::Partial, Self::Hash, Self::Pseudonymize, Self::FormatPreserving, Self::YearOfBirth, Self::Zip3];

    /// The strategy's name (`format_preserving`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Redact => "redact",
            Self::Partial => "partial",
            Self::Hash => "hash",
            Self::Pseudonymize => "pseudonymize",
            Self::FormatPreserving => "format_preserving",
            Self::YearOfBirth => "year_of_birth",
            Self::Zip3 => "zip3",
        }
    }

    /// Whether the strategy needs a key.
    pub fn needs_key(self) -> bool {
        matches!(self, Self::Pseudonymize | Self::FormatPreserving)
    }

    /// The strategy that suits a type by default: generalisation for dates
    /// of birth and postal codes, partial masks for cards and accounts,
    /// format-preserving pseudonyms for emails and phones, keyed
    /// pseudonyms for identifiers, redaction for secrets and special
    /// categories.
    pub fn default_for(t: PiiType) -> Self {
        use PiiType::*;
        match t {
            DateOfBirth => Self::YearOfBirth,
            PostalCode => Self::Zip3,
            CreditCard | Iban | BankAccount => Self::Partial,
            Email | Phone => Self::FormatPreserving,
            Password | Secret | HealthData | Biometric | SpecialCategory => Self::Redact,
            _ => Self::Pseudonymize,
        }
    }
}

impl FromStr for Strategy {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        let norm = match norm.as_str() {
            "pseudonymise" | "hmac" => "pseudonymize",
            "fpe" => "format_preserving",
            "year" => "year_of_birth",
            "zip" => "zip3",
            other => other,
        };
        Self::ALL.into_iter().find(|x| x.as_str() == norm).ok_or_else(|| Error::UnknownStrategy(s.to_string()))
    }
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A masker: a strategy with its key checked once.
#[derive(Clone)]
pub struct Masker {
    strategy: Strategy,
    mac: Option<HmacSha256>,
}

impl std::fmt::Debug for Masker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Masker").field("strategy", &self.strategy).field("keyed", &self.mac.is_some()).finish()
    }
}

impl Masker {
    /// A masker for `strategy`; keyed strategies need a key of at least
    /// [`MIN_KEY_BYTES`] bytes.
    pub fn new(strategy: Strategy, key: Option<&[u8]>) -> Result<Self, Error> {
        let mac = match (strategy.needs_key(), key) {
            (true, None) => return Err(Error::Key(format!("{strategy} needs a key"))),
            (true, Some(k)) if k.len() < MIN_KEY_BYTES => return Err(Error::Key(format!("the key is {} bytes; {strategy} needs at least {MIN_KEY_BYTES}", k.len()))),
            (_, Some(k)) => Some(HmacSha256::new_from_slice(k).map_err(|e| Error::Key(e.to_string()))?),
            (false, None) => None,
        };
        Ok(Self { strategy, mac })
    }

    /// Masks one value; `index` is its position, for error messages.
    pub fn mask_one(&self, value: &str, index: usize) -> Result<String, Error> {
        let err = |message: &str| Error::Mask { index, strategy: self.strategy.to_string(), message: message.to_string() };
        Ok(match self.strategy {
            Strategy::Redact => "[REDACTED]".to_string(),
            Strategy::Partial => partial(value),
            Strategy::Hash => hex(&Sha256::digest(value.as_bytes())),
            Strategy::Pseudonymize => hex(&self.hmac(b"p", value.as_bytes(), 0)[..16]),
            Strategy::FormatPreserving => self.format_preserving(value),
            Strategy::YearOfBirth => parse_date(value.trim()).map(|d| d.year.to_string()).ok_or_else(|| err("not a date"))?,
            Strategy::Zip3 => {
                let v = value.trim();
                if v.chars().count() < 3 {
                    return Err(err("shorter than three characters"));
                }
                v.chars().enumerate().map(|(i, c)| if i < 3 || !c.is_alphanumeric() { c } else { '*' }).collect()
            }
        })
    }

    fn hmac(&self, domain: &[u8], value: &[u8], block: u32) -> [u8; 32] {
        let Some(mac) = &self.mac else { return [0; 32] };
        let mut mac = mac.clone();
        mac.update(domain);
        mac.update(&block.to_be_bytes());
        mac.update(value);
        mac.finalize().into_bytes().into()
    }

    /// Replaces letters and digits position by position from an HMAC
    /// keystream over the whole value.
    fn format_preserving(&self, value: &str) -> String {
        let keep: usize = if let Some((local, domain)) = value.split_once('@').filter(|_| crate::validators::contact::is_email(value)) {
            // Keep `@` and the top-level domain.
            let tld = domain.rsplit_once('.').map_or(0, |(_, t)| t.len() + 1);
            return self.replace_classes(value, |i| i == local.len() || i >= value.len() - tld);
        } else if value.trim_start().starts_with('+') {
            // Keep the country code.
            let digits: Vec<u8> = value.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
            crate::validators::contact::country_code_len(&digits).unwrap_or(0)
        } else {
            0
        };
        let mut seen = 0;
        let positions: Vec<bool> = value
            .char_indices()
            .map(|(_, c)| {
                if c.is_ascii_digit() {
                    seen += 1;
                    seen <= keep
                } else {
                    false
                }
            })
            .collect();
        let byte_keep: Vec<usize> = value.char_indices().zip(positions).filter(|(_, k)| *k).map(|((i, _), _)| i).collect();
        self.replace_classes(value, |i| byte_keep.contains(&i))
    }

    fn replace_classes(&self, value: &str, keep: impl Fn(usize) -> bool) -> String {
        let mut out = String::with_capacity(value.len());
        let mut stream = self.hmac(b"f", value.as_bytes(), 0);
        let mut used = 0usize;
        let mut block = 0u32;
        let mut next = |modulus: u8| -> u8 {
            loop {
                if used == stream.len() {
                    block += 1;
                    stream = self.hmac(b"f", value.as_bytes(), block);
                    used = 0;
                }
                let b = stream[used];
                used += 1;
                // Rejection sampling keeps the choice uniform.
                if b < 256u16.saturating_sub(256 % modulus as u16) as u8 || 256 % modulus as u16 == 0 {
                    return b % modulus;
                }
            }
        };
        let mut prev_digit = false;
        for (i, c) in value.char_indices() {
            let group_start = !prev_digit;
            prev_digit = c.is_ascii_digit();
            if keep(i) {
                out.push(c);
            } else if c.is_ascii_digit() {
                // The first digit of each group keeps its class: 0 stays 0 (a
                // trunk prefix), 1 becomes 1-9, 2-9 stay 2-9 (numbering plans
                // such as NANP forbid 0 and 1 there).
                let d = match (group_start, c) {
                    (true, '0') => 0,
                    (true, '1') => 1 + next(9),
                    (true, _) => 2 + next(8),
                    _ => next(10),
                };
                out.push(char::from(b'0' + d));
            } else if c.is_ascii_lowercase() {
                out.push(char::from(b'a' + next(26)));
            } else if c.is_ascii_uppercase() {
                out.push(char::from(b'A' + next(26)));
            } else {
                out.push(c);
            }
        }
        out
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(HEX[(b >> 4) as usize]));
        s.push(char::from(HEX[(b & 15) as usize]));
    }
    s
}

fn partial(value: &str) -> String {
    if let Some((local, domain)) = value.split_once('@') {
        let mut chars = local.chars();
        let first = chars.next().map(String::from).unwrap_or_default();
        return format!("{first}{}@{domain}", "*".repeat(chars.count()));
    }
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let keep_from = total.saturating_sub(4).max(usize::from(total <= 4) * total);
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                seen += 1;
                if seen > keep_from {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// Masks `values` with `strategy` (and `key` for the keyed strategies).
/// Fails on the first value the strategy cannot handle, naming its index.
pub fn mask(values: &[&str], strategy: Strategy, key: Option<&[u8]>) -> Result<Vec<String>, Error> {
    let m = Masker::new(strategy, key)?;
    values.iter().enumerate().map(|(i, v)| m.mask_one(v, i)).collect()
}

/// Like [`mask`], keeping nulls as nulls.
pub fn mask_nullable(values: &[Option<&str>], strategy: Strategy, key: Option<&[u8]>) -> Result<Vec<Option<String>>, Error> {
    let m = Masker::new(strategy, key)?;
    values.iter().enumerate().map(|(i, v)| v.map(|v| m.mask_one(v, i)).transpose()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef-test-key";

    #[test]
    fn each_strategy() {
        assert_eq!(mask(&["4111-1111-1111-1234"], Strategy::Partial, None).expect("ok"), ["****-****-****-1234"]);
        assert_eq!(mask(&["41111234"], Strategy::Partial, None).expect("ok"), ["****1234"]);
        assert_eq!(mask(&["jane@example.com"], Strategy::Partial, None).expect("ok"), ["j***@example.com"]);
        assert_eq!(mask(&["x"], Strategy::Redact, None).expect("ok"), ["[REDACTED]"]);
        assert_eq!(mask(&["abc"], Strategy::Hash, None).expect("ok"), ["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]);
        assert_eq!(mask(&["1985-03-14", "14/03/1985"], Strategy::YearOfBirth, None).expect("ok"), ["1985", "1985"]);
        assert_eq!(mask(&["94103", "94103-1234"], Strategy::Zip3, None).expect("ok"), ["941**", "941**-****"]);
        let p = mask(&["a", "a", "b"], Strategy::Pseudonymize, Some(KEY)).expect("ok");
        assert_eq!(p[0], p[1]);
        assert_ne!(p[0], p[2]);
        assert_eq!(p[0].len(), 32);
    }

    #[test]
    fn errors() {
        assert!(matches!(mask(&["a"], Strategy::Pseudonymize, None), Err(Error::Key(_))));
        assert!(matches!(mask(&["a"], Strategy::Pseudonymize, Some(b"short")), Err(Error::Key(_))));
        let e = mask(&["1985-03-14", "soon"], Strategy::YearOfBirth, None).expect_err("not a date");
        assert_eq!(e.to_string(), "value 1: cannot apply year_of_birth: not a date");
        assert!("nope".parse::<Strategy>().is_err());
        assert_eq!("FPE".parse::<Strategy>().ok(), Some(Strategy::FormatPreserving));
    }

    #[test]
    fn format_preserving_keeps_shape() {
        let out = mask(&["Jane.Doe@example.co.uk", "+44 (20) 7123-4567"], Strategy::FormatPreserving, Some(KEY)).expect("ok");
        assert!(crate::validators::contact::is_email(&out[0]), "{}", out[0]);
        assert!(out[0].ends_with(".uk") && out[0].len() == 22);
        assert!(out[1].starts_with("+44 (") && out[1].len() == 18, "{}", out[1]);
    }
}
