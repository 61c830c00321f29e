//! PII classification speed against a bare `RegexSet::is_match` pass over
//! the same values, measured in the same run.
//!
//! ```text
//! cargo bench -p astrola-benches --bench pii
//! ```
//!
//! 1M sampled values in 20 columns of 50,000 (emails, phones, cards, IBANs,
//! names, addresses, free text, numbers, dates, IPs, UUIDs ...), generated
//! deterministically. Baseline `regex_set`: `RegexSet::is_match` over every
//! value with 12 typical PII patterns. Measured: `match_values`, the
//! per-value classifier over the same values on one thread (the like-for-like
//! comparison; target within 3x of the baseline), and `classify_columns`, the
//! column verdicts over all 20 columns in parallel (rayon), as a user calls
//! it. After criterion's report it prints values/second and the ratios.

use std::time::Duration;

use astrola_benches::{criterion_home, median_ns};
use astrola_pii::validators::{iban, luhn_check_digit};
use astrola_pii::{classify_columns, match_value, ClassifyOptions, ColumnInput};
use criterion::{Criterion, SamplingMode};
use regex::RegexSet;

const GROUP: &str = "pii_1m_values";
const ROWS: usize = 50_000;

/// splitmix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

const FIRST: &[&str] = &["James", "Maria", "Jürgen", "Chloé", "João", "Aisha", "Wei", "Olivia", "Carlos", "Fatima", "Liam", "Sofia"];
const LAST: &[&str] = &["Smith", "García", "Müller", "Dubois", "Silva", "Khan", "Chen", "Rossi", "Nowak", "Jensen", "Okafor", "Tanaka"];
const WORDS: &[&str] = &["the", "order", "was", "shipped", "late", "please", "refund", "customer", "called", "about", "invoice", "delivery", "address", "changed", "thanks", "ticket"];
const STREETS: &[&str] = &["Main St", "Oak Avenue", "rue de la Paix", "Hauptstraße", "Rua Augusta", "Calle Mayor", "High Street"];
const PRODUCTS: &[&str] = &["Blue Widget", "Steel Bolt M8", "Garden Hose 25m", "USB-C Cable", "Desk Lamp", "Coffee Beans 1kg"];
const STATUS: &[&str] = &["active", "pending", "closed", "archived", "draft"];
const COUNTRIES: &[&str] = &["DE", "FR", "ES", "PT", "GB", "US", "BR", "IN"];

fn card(r: &mut Rng) -> String {
    let mut d: Vec<u8> = vec![4];
    d.extend((0..14).map(|_| r.below(10) as u8));
    d.push(luhn_check_digit(&d));
    let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    if r.below(2) == 0 {
        format!("{} {} {} {}", &s[..4], &s[4..8], &s[8..12], &s[12..])
    } else {
        s
    }
}

fn iban_value(r: &mut Rng) -> String {
    let bban = r.digits(18);
    let check = 98 - iban::mod97(format!("DE00{bban}").as_bytes());
    format!("DE{check:02}{bban}")
}

/// A column's name and how to make its `i`th value.
type Generator = (&'static str, Box<dyn Fn(&mut Rng, usize) -> String>);

/// The 20 columns: name and values.
fn columns() -> Vec<(&'static str, Vec<String>)> {
    let mut r = Rng(42);
    let gens: Vec<Generator> = vec![
        ("email", Box::new(|r, i| format!("{}.{}{i}@example{}.com", r.pick(FIRST).to_lowercase(), r.pick(LAST).to_lowercase(), r.below(9)))),
        ("phone", Box::new(|r, _| format!("+1 ({}{}) {}{}-{}", 2 + r.below(8), r.digits(2), 2 + r.below(8), r.digits(2), r.digits(4)))),
        ("card_number", Box::new(|r, _| card(r))),
        ("iban", Box::new(|r, _| iban_value(r))),
        ("full_name", Box::new(|r, _| format!("{} {}", r.pick(FIRST), r.pick(LAST)))),
        ("street", Box::new(|r, _| format!("{} {}", 1 + r.below(300), r.pick(STREETS)))),
        ("notes", Box::new(|r, _| (0..8 + r.below(8)).map(|_| r.pick(WORDS)).collect::<Vec<_>>().join(" "))),
        ("amount", Box::new(|r, _| format!("{}.{:02}", r.below(10_000), r.below(100)))),
        ("quantity", Box::new(|r, _| r.below(500).to_string())),
        ("birth_date", Box::new(|r, _| format!("{}-{:02}-{:02}", 1940 + r.below(70), 1 + r.below(12), 1 + r.below(28)))),
        ("created_at", Box::new(|r, _| format!("2024-{:02}-{:02}T{:02}:{:02}:00Z", 1 + r.below(12), 1 + r.below(28), r.below(24), r.below(60)))),
        ("ip", Box::new(|r, _| format!("{}.{}.{}.{}", 1 + r.below(223), r.below(256), r.below(256), 1 + r.below(254)))),
        ("uuid", Box::new(|r, _| format!("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", r.next() as u32, r.below(65536), r.below(4096), r.below(4096), r.next() & 0xFFFF_FFFF_FFFF))),
        ("zip", Box::new(|r, _| format!("{:05}", r.below(100_000)))),
        ("product", Box::new(|r, _| r.pick(PRODUCTS).to_string())),
        ("status", Box::new(|r, _| r.pick(STATUS).to_string())),
        ("country", Box::new(|r, _| r.pick(COUNTRIES).to_string())),
        ("ssn", Box::new(|r, _| format!("{:03}-{:02}-{:04}", 1 + r.below(665), 1 + r.below(99), 1 + r.below(9999)))),
        ("website", Box::new(|r, i| format!("https://shop{}.example.org/item/{i}", r.below(100)))),
        ("counter", Box::new(|r, _| r.digits(8))),
    ];
    gens.iter().map(|(name, g)| (*name, (0..ROWS).map(|i| g(&mut r, i)).collect())).collect()
}

fn baseline_set() -> RegexSet {
    RegexSet::new([
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
        r"\+?\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}",
        r"\b(?:\d[ -]?){13,19}\b",
        r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b",
        r"\b\d{3}-\d{2}-\d{4}\b",
        r"\b(?:\d{1,3}\.){3}\d{1,3}\b",
        r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b",
        r"\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b",
        r"https?://[^\s]+",
        r"\b\d{4}-\d{2}-\d{2}\b",
        r"\b[0-9]{8}[A-Z]\b",
        r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    ])
    .expect("patterns compile")
}

fn main() {
    let home = criterion_home();
    let mut c = Criterion::default().output_directory(&home).sample_size(10).warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(15)).configure_from_args();

    let cols = columns();
    let values: Vec<&str> = cols.iter().flat_map(|(_, v)| v.iter().map(String::as_str)).collect();
    let total = values.len();
    let set = baseline_set();
    let options = ClassifyOptions { reference_year: 2025, ..Default::default() };
    let optional: Vec<(&str, Vec<Option<&str>>)> = cols.iter().map(|(n, v)| (*n, v.iter().map(|s| Some(s.as_str())).collect())).collect();
    let inputs: Vec<ColumnInput<'_>> = optional.iter().map(|(n, v)| ColumnInput { table: "bench.samples", column: n, data_type: "text", comment: None, samples: Some(v) }).collect();
    let reports = classify_columns(&inputs, &options);
    for r in &reports {
        let found: Vec<String> = r.findings.iter().map(|f| format!("{} {:.2}", f.pii_type, f.confidence)).collect();
        println!("{:<12} {}", r.column, found.join(", "));
    }
    println!("{total} values in {} columns", cols.len());
    {
        let mut group = c.benchmark_group(GROUP);
        group.sampling_mode(SamplingMode::Flat);
        group.bench_function("regex_set", |b| b.iter(|| values.iter().filter(|v| set.is_match(std::hint::black_box(v))).count()));
        group.bench_function("match_values", |b| b.iter(|| values.iter().map(|v| match_value(std::hint::black_box(v), 2025).strong.count_ones()).sum::<u32>()));
        group.bench_function("classify_columns", |b| b.iter(|| classify_columns(std::hint::black_box(&inputs), &options)));
        group.finish();
    }
    c.final_summary();

    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list") {
        let get = |f: &str| median_ns(&home, GROUP, f);
        if let (Some(base), Some(m), Some(cl)) = (get("regex_set"), get("match_values"), get("classify_columns")) {
            let per_sec = |ns: f64| total as f64 / (ns / 1e9);
            println!(
                "median: regex_set {:.1} ms ({:.2}M values/s); match_values {:.1} ms ({:.2}M values/s, {:.2}x the regex pass, one thread); classify_columns {:.1} ms ({:.2}M values/s, {:.2}x, rayon on {} threads)",
                base / 1e6,
                per_sec(base) / 1e6,
                m / 1e6,
                per_sec(m) / 1e6,
                m / base,
                cl / 1e6,
                per_sec(cl) / 1e6,
                cl / base,
                std::thread::available_parallelism().map_or(1, |n| n.get())
            );
        }
    }
}
