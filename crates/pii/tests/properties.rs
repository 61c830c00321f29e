//! Property tests: pseudonymisation is deterministic under a key, differs
//! across keys and keeps the format; and classification, the text scan and
//! the CSV/JSON Lines readers never panic on arbitrary input.

use astrola_pii::validators::contact::{is_email, phone_shape, PhoneShape};
use astrola_pii::{find_in_text, mask, match_value, read_csv, read_jsonl, ClassifyOptions, ColumnInput, Strategy as Masking};
use proptest::prelude::*;

fn key() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 16..48)
}

fn email() -> impl Strategy<Value = String> {
    ("[a-z][a-z0-9._+-]{0,14}[a-z0-9]", "[a-z][a-z0-9-]{0,10}[a-z0-9]", "(com|org|co\\.uk|de|io)").prop_map(|(l, d, t)| format!("{l}@{d}.{t}")).prop_filter("valid email", |e| is_email(e))
}

fn phone() -> impl Strategy<Value = String> {
    prop_oneof![
        ("[2-9][0-9]{2}", "[2-9][0-9]{2}", "[0-9]{4}").prop_map(|(a, b, c)| format!("({a}) {b}-{c}")),
        ("[2-9][0-9]", "[1-9][0-9]{3}", "[0-9]{4}").prop_map(|(a, b, c)| format!("+44 {a} {b} {c}")),
        ("[2-9][0-9]{2}", "[2-9][0-9]{2}", "[0-9]{4}").prop_map(|(a, b, c)| format!("+1 {a}.{b}.{c}")),
    ]
}

/// The non-alphanumeric skeleton of a value: where the punctuation is.
fn skeleton(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_digit() { '9' } else if c.is_ascii_lowercase() { 'a' } else if c.is_ascii_uppercase() { 'A' } else { c }).collect()
}

proptest! {
    #[test]
    fn pseudonyms_are_deterministic_per_key(value in "\\PC{0,40}", k in key()) {
        for s in [Masking::Pseudonymize, Masking::FormatPreserving] {
            let a = mask(&[value.as_str()], s, Some(&k)).expect("keyed");
            let b = mask(&[value.as_str()], s, Some(&k)).expect("keyed");
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn different_keys_give_different_pseudonyms(value in "[a-z0-9]{8,40}", k1 in key(), k2 in key()) {
        prop_assume!(k1 != k2);
        let a = mask(&[value.as_str()], Masking::Pseudonymize, Some(&k1)).expect("keyed");
        let b = mask(&[value.as_str()], Masking::Pseudonymize, Some(&k2)).expect("keyed");
        prop_assert_ne!(a, b);
        // Format-preserving output has less room; with 8+ replaced characters a collision is negligible.
        let a = mask(&[value.as_str()], Masking::FormatPreserving, Some(&k1)).expect("keyed");
        let b = mask(&[value.as_str()], Masking::FormatPreserving, Some(&k2)).expect("keyed");
        prop_assert_ne!(a, b);
    }

    #[test]
    fn emails_stay_emails_of_the_same_shape(e in email(), k in key()) {
        let out = mask(&[e.as_str()], Masking::FormatPreserving, Some(&k)).expect("keyed").remove(0);
        prop_assert!(is_email(&out), "{} -> {}", e, out);
        prop_assert_eq!(skeleton(&out), skeleton(&e));
        prop_assert_eq!(out.rsplit('.').next(), e.rsplit('.').next(), "top-level domain kept");
    }

    #[test]
    fn phones_keep_length_punctuation_and_country_code(p in phone(), k in key()) {
        let out = mask(&[p.as_str()], Masking::FormatPreserving, Some(&k)).expect("keyed").remove(0);
        prop_assert_eq!(out.len(), p.len());
        prop_assert_eq!(skeleton(&out), skeleton(&p));
        if p.starts_with("+44") { prop_assert!(out.starts_with("+44 ")); }
        if p.starts_with("+1 ") { prop_assert!(out.starts_with("+1 ")); }
        prop_assert_ne!(phone_shape(&out), PhoneShape::No, "{} -> {}", p, out);
    }

    #[test]
    fn classification_never_panics(s in "\\PC{0,200}", bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = match_value(&s, 2025);
        let _ = find_in_text(&s);
        let lossy = String::from_utf8_lossy(&bytes);
        let _ = match_value(&lossy, 2025);
        let _ = find_in_text(&lossy);
        let samples = [Some(s.as_str()), None, Some(lossy.as_ref())];
        let _ = astrola_pii::classify_column(&ColumnInput { table: &s, column: &lossy, data_type: &s, comment: Some(&s), samples: Some(&samples) }, &ClassifyOptions::default());
    }

    #[test]
    fn readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), text in "[a-z,\"\\n\\r{}:0-9 ]{0,200}") {
        let _ = read_csv(&bytes, "t", "f.csv");
        let _ = read_jsonl(&bytes, "t", "f.jsonl");
        let _ = read_csv(text.as_bytes(), "t", "f.csv");
        let _ = read_jsonl(text.as_bytes(), "t", "f.jsonl");
    }

    #[test]
    fn every_strategy_returns_a_result(s in "\\PC{0,60}") {
        for strategy in Masking::ALL {
            let _ = mask(&[s.as_str()], strategy, Some(b"0123456789abcdef"));
        }
    }
}
