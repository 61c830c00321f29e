//! Splitting identifiers and comments into lower-case word tokens.
//!
//! `customerEmailAddress`, `customer_email_address` and
//! `CUSTOMER-EMAIL-ADDRESS` all become `customer email address`. Letters
//! with diacritics are folded to their base letter (`teléfono` ->
//! `telefono`, `straße` -> `strasse`), so the dictionary needs one spelling.

/// Splits an identifier at non-alphanumerics, lower-to-upper case changes
/// (`firstName`), the end of an upper-case run (`SSNNumber` -> `ssn
/// number`) and letter/digit boundaries (`address1` -> `address 1`).
pub fn tokenize(ident: &str) -> Vec<String> {
    let chars: Vec<char> = ident.chars().collect();
    let mut tokens = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush(&mut cur, &mut tokens);
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase))
                || (prev.is_alphabetic() && c.is_ascii_digit())
                || (prev.is_ascii_digit() && c.is_alphabetic());
            if boundary {
                flush(&mut cur, &mut tokens);
            }
        }
        fold_into(c, &mut cur);
    }
    flush(&mut cur, &mut tokens);
    tokens
}

fn flush(cur: &mut String, tokens: &mut Vec<String>) {
    if !cur.is_empty() {
        tokens.push(std::mem::take(cur));
    }
}

/// Appends the lower-case, diacritic-free form of `c` to `out`.
fn fold_into(c: char, out: &mut String) {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ß' => "ss",
        _ => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push_str(s);
}

/// Splits a run-together lower-case word into known words when it is not a
/// known word itself (`passwordhash` -> `password hash`,
/// `phonenumbertypeid` -> `phone number type id`), taking the split with
/// the fewest pieces; words of fewer than 6 letters and words that cannot
/// be split wholly into known words are kept as they are.
pub fn segment<'a>(token: &'a str, known: &dyn Fn(&str) -> bool) -> Vec<&'a str> {
    let n = token.len();
    if n < 6 || known(token) || !token.is_ascii() {
        return vec![token];
    }
    // best[i]: fewest pieces covering token[..i], and where the last piece starts.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for start in 0..end {
            let Some((pieces, _)) = best[start] else { continue };
            let piece = &token[start..end];
            let ok = (piece.len() >= 2 && known(piece)) || piece.bytes().all(|b| b.is_ascii_digit());
            if ok && best[end].is_none_or(|(p, _)| pieces + 1 < p) {
                best[end] = Some((pieces + 1, start));
            }
        }
    }
    if best[n].is_none() {
        return vec![token];
    }
    let mut out = Vec::new();
    let mut end = n;
    while end > 0 {
        let Some((_, start)) = best[end] else { break };
        out.push(&token[start..end]);
        end = start;
    }
    out.reverse();
    out
}

/// The singular of an English, Spanish, French, Portuguese or German
/// plural token, by the usual suffix rules (`addresses` -> `address`,
/// `companies` -> `company`, `users` -> `user`); other tokens unchanged.
pub fn singular(token: &str) -> &str {
    if token.len() <= 3 {
        return token;
    }
    if let Some(stem) = token.strip_suffix("sses") {
        return &token[..stem.len() + 2];
    }
    if token.ends_with("ies") || token.ends_with("ss") || token.ends_with("us") || token.ends_with("is") {
        return token;
    }
    for suffix in ["xes", "ches", "shes"] {
        if let Some(stem) = token.strip_suffix(suffix) {
            return &token[..stem.len() + suffix.len() - 2];
        }
    }
    token.strip_suffix('s').unwrap_or(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_convention() {
        assert_eq!(tokenize("customerEmailAddress"), ["customer", "email", "address"]);
        assert_eq!(tokenize("customer_email_address"), ["customer", "email", "address"]);
        assert_eq!(tokenize("CUSTOMER-EMAIL"), ["customer", "email"]);
        assert_eq!(tokenize("SSNNumber"), ["ssn", "number"]);
        assert_eq!(tokenize("address1"), ["address", "1"]);
        assert_eq!(tokenize("Teléfono_Móvil"), ["telefono", "movil"]);
        assert_eq!(tokenize("Straße"), ["strasse"]);
        assert_eq!(tokenize("FirstName"), ["first", "name"]);
        assert_eq!(tokenize(""), Vec::<String>::new());
    }

    #[test]
    fn segments_compounds() {
        let known = |w: &str| ["password", "hash", "phone", "number", "type", "id", "email", "address"].contains(&w);
        assert_eq!(segment("passwordhash", &known), ["password", "hash"]);
        assert_eq!(segment("phonenumbertypeid", &known), ["phone", "number", "type", "id"]);
        assert_eq!(segment("emailaddress", &known), ["email", "address"]);
        assert_eq!(segment("modifieddate", &known), ["modifieddate"]);
        assert_eq!(segment("email", &known), ["email"]);
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("users"), "user");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("companies"), "companies");
    }
}
