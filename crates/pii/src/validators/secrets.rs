//! Secrets with a recognisable shape: JSON Web Tokens, cloud and SaaS API
//! keys with documented prefixes, and PEM private keys.

/// Which kind of secret a value is.
pub fn secret_kind(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    if b.len() < 16 {
        return None;
    }
    if s.starts_with("-----BEGIN ") && s[11..].split("-----").next().is_some_and(|h| h.ends_with("PRIVATE KEY")) {
        return Some("PEM private key");
    }
    if b.iter().any(|c| c.is_ascii_whitespace()) {
        return None;
    }
    if is_jwt(s) {
        return Some("JSON Web Token");
    }
    let alnum = |t: &[u8]| t.iter().all(u8::is_ascii_alphanumeric);
    let upper_alnum = |t: &[u8]| t.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    // AWS access key IDs: a 4-letter type prefix and 16 upper-case base32 characters.
    if b.len() == 20 && [&b"AKIA"[..], b"ASIA", b"AGPA", b"AIDA", b"AROA", b"AIPA", b"ANPA", b"ANVA"].contains(&&b[..4]) && upper_alnum(&b[4..]) {
        return Some("AWS access key ID");
    }
    // GitHub tokens: ghp_/gho_/ghu_/ghs_/ghr_ and 36 alphanumerics; fine-grained github_pat_.
    if b.len() == 40 && b.starts_with(b"gh") && matches!(b[2], b'p' | b'o' | b'u' | b's' | b'r') && b[3] == b'_' && alnum(&b[4..]) {
        return Some("GitHub token");
    }
    if let Some(rest) = b.strip_prefix(b"github_pat_") {
        if rest.len() >= 60 && rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            return Some("GitHub token");
        }
    }
    // GitLab personal access tokens.
    if let Some(rest) = b.strip_prefix(b"glpat-") {
        if rest.len() >= 20 && rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-') {
            return Some("GitLab token");
        }
    }
    // Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxo-.
    if b.len() >= 24 && b.starts_with(b"xox") && matches!(b[3], b'a' | b'b' | b'p' | b'r' | b's' | b'o') && b[4] == b'-' && b[5..].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        return Some("Slack token");
    }
    // Stripe keys: sk_/rk_/pk_ live or test.
    for p in [&b"sk_live_"[..], b"sk_test_", b"rk_live_", b"rk_test_", b"pk_live_", b"pk_test_"] {
        if let Some(rest) = b.strip_prefix(p) {
            if rest.len() >= 16 && alnum(rest) {
                return Some("Stripe key");
            }
        }
    }
    // Google API keys: AIza and 35 URL-safe characters.
    if b.len() == 39 && b.starts_with(b"AIza") && b[4..].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-') {
        return Some("Google API key");
    }
    None
}

/// Whether `s` is a JSON Web Token: three base64url segments whose first
/// two decode to JSON objects (so both start `eyJ`, base64 of `{"`).
pub fn is_jwt(s: &str) -> bool {
    let mut parts = s.split('.');
    let (Some(h), Some(p), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else { return false };
    let b64 = |t: &str| t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
    h.starts_with("eyJ") && p.starts_with("eyJ") && h.len() >= 10 && p.len() >= 10 && b64(h) && b64(p) && b64(sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_formats() {
        let aws = format!("AKIA{}", "ABCDEFGHIJKLMNOP");
        assert_eq!(secret_kind(&aws), Some("AWS access key ID"));
        assert_eq!(secret_kind(&format!("ghp_{}", "a1".repeat(18))), Some("GitHub token"));
        assert_eq!(secret_kind(&format!("xoxb-{}", "1234-5678-abcdefghijkl")), Some("Slack token"));
        assert_eq!(secret_kind(&format!("sk_live_{}", "abc123".repeat(4))), Some("Stripe key"));
        assert_eq!(secret_kind("-----BEGIN RSA PRIVATE KEY-----\nMIIE..."), Some("PEM private key"));
        assert_eq!(secret_kind("-----BEGIN CERTIFICATE-----\nMIIE..."), None);
        // {"alg":"HS256"} . {"sub":"1"} . signature
        assert_eq!(secret_kind("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"), Some("JSON Web Token"));
        assert_eq!(secret_kind("AKIAabcdefghijklmnop"), None);
        assert_eq!(secret_kind("just a sentence of text"), None);
    }
}
