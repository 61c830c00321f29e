//! Presidio's own recognizer test cases (shared/corpus/pii/presidio), for
//! the entity types astrola supports; see presidio_excluded.txt for the
//! others and why.
//!
//! A positive case is detected when every expected span is overlapped by a
//! match of the right type (or, for cases without spans, when there are at
//! least as many matches of the type as expected). A negative case is
//! flagged when any match of the type is found. Validator cases count as
//! one positive or negative each. The test prints a per-type table and
//! fails below 95% detection or above 5% flagged negatives overall.
//!
//! ```text
//! cargo test -p astrola-pii --test presidio -- --nocapture
//! ```

use std::collections::{BTreeMap, BTreeSet};

use astrola_pii::{find_in_text, PiiType};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pii/presidio/presidio_recognizer_cases.jsonl");
const EXCLUDED: &str = include_str!("presidio_excluded.txt");

/// The recognizers we run, and the type each one's entities are.
const SUPPORTED: &[(&str, PiiType)] = &[
    ("credit_card_recognizer", PiiType::CreditCard),
    ("email_recognizer", PiiType::Email),
    ("iban_recognizer", PiiType::Iban),
    ("ip_recognizer", PiiType::IpAddress),
    ("mac_recognizer", PiiType::MacAddress),
    ("url_recognizer", PiiType::Url),
    ("us_ssn_recognizer", PiiType::UsSsn),
    ("uk_nhs_recognizer", PiiType::UkNhs),
    ("es_nie_recognizer", PiiType::EsNie),
    ("es_nif_recognizer", PiiType::EsDni),
    ("in_aadhaar_recognizer", PiiType::InAadhaar),
    ("phone_recognizer", PiiType::Phone),
    ("de_tax_id_recognizer", PiiType::DeTaxId),
];

#[derive(Default)]
struct Tally {
    pos: usize,
    detected: usize,
    neg: usize,
    flagged: usize,
    missed: Vec<String>,
    false_flags: Vec<String>,
}

#[test]
fn presidio_cases() {
    let text = std::fs::read_to_string(CORPUS).unwrap_or_else(|e| panic!("cannot read {CORPUS}: {e}"));
    let excluded: BTreeSet<&str> = EXCLUDED.lines().filter(|l| !l.trim_start().starts_with('#')).filter_map(|l| l.split_whitespace().next()).collect();
    let supported: BTreeMap<&str, PiiType> = SUPPORTED.iter().copied().collect();
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut unknown = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("corpus lines are JSON");
        let test = case["test"].as_str().unwrap_or_default().to_string();
        let Some(&want) = supported.get(test.as_str()) else {
            if !excluded.contains(test.as_str()) {
                unknown.insert(test);
            }
            continue;
        };
        let key = SUPPORTED.iter().find(|(t, _)| *t == test).map(|(t, _)| *t).unwrap_or_default();
        let tally = tallies.entry(key).or_default();
        let (input, positive, spans, expected) = match case["kind"].as_str() {
            Some("validator") => match case["expected"].as_bool() {
                Some(e) => (case["value"].as_str().unwrap_or_default().to_string(), e, Vec::new(), usize::from(e)),
                None => continue,
            },
            _ => {
                let expected = case["expected_len"].as_u64().unwrap_or(0) as usize;
                let spans: Vec<(usize, usize)> =
                    case["spans"].as_array().map(|a| a.iter().filter_map(|s| Some((s[0].as_u64()? as usize, s[1].as_u64()? as usize))).collect()).unwrap_or_default();
                (case["text"].as_str().unwrap_or_default().to_string(), expected > 0, spans, expected)
            }
        };
        // Presidio's spans count characters; ours are bytes.
        let char_to_byte = |c: usize| input.char_indices().nth(c).map_or(input.len(), |(b, _)| b);
        let found: Vec<(usize, usize)> = find_in_text(&input).into_iter().filter(|m| m.pii_type == want).map(|m| (m.start, m.end)).collect();
        if positive {
            tally.pos += 1;
            let ok = if spans.is_empty() {
                found.len() >= expected
            } else {
                spans.iter().all(|&(s, e)| {
                    let (s, e) = (char_to_byte(s), char_to_byte(e));
                    found.iter().any(|&(fs, fe)| fs < e && s < fe)
                })
            };
            if ok {
                tally.detected += 1;
            } else {
                tally.missed.push(input);
            }
        } else {
            tally.neg += 1;
            if !found.is_empty() {
                tally.flagged += 1;
                tally.false_flags.push(input);
            }
        }
    }
    assert!(unknown.is_empty(), "recognizers neither supported nor excluded: {unknown:?}");

    let (mut pos, mut det, mut neg, mut flag) = (0, 0, 0, 0);
    println!("{:<24} {:>9} {:>9} {:>7} {:>9} {:>8} {:>7}", "recognizer", "positives", "detected", "rate", "negatives", "flagged", "rate");
    for (name, t) in &tallies {
        let rate = |a: usize, b: usize| if b == 0 { "-".to_string() } else { format!("{:.1}%", 100.0 * a as f64 / b as f64) };
        println!("{:<24} {:>9} {:>9} {:>7} {:>9} {:>8} {:>7}", name, t.pos, t.detected, rate(t.detected, t.pos), t.neg, t.flagged, rate(t.flagged, t.neg));
        pos += t.pos;
        det += t.detected;
        neg += t.neg;
        flag += t.flagged;
    }
    let detection = det as f64 / pos as f64;
    let false_rate = flag as f64 / neg as f64;
    println!("{:<24} {:>9} {:>9} {:>6.1}% {:>9} {:>8} {:>6.1}%", "TOTAL", pos, det, 100.0 * detection, neg, flag, 100.0 * false_rate);
    for (name, t) in &tallies {
        for m in &t.missed {
            println!("missed   {name}: {m:?}");
        }
        for f in &t.false_flags {
            println!("flagged  {name}: {f:?}");
        }
    }
    assert!(detection >= 0.95, "detection {:.1}% is under 95%", 100.0 * detection);
    assert!(false_rate <= 0.05, "{:.1}% of negatives flagged, over 5%", 100.0 * false_rate);
}
