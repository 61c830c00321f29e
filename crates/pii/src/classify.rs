//! Column verdicts: name, type and comment evidence combined with the share
//! of sampled values that match.

use std::collections::BTreeMap;

use astrola_core::Schema;
use rayon::prelude::*;
use serde::Serialize;

use crate::names::{NameRule, FLAG_PREFIXES, MODIFIERS, PERSON_TABLES, RULES, VOCABULARY};
use crate::samples::SampleSet;
use crate::tokenize::{segment, singular, tokenize};
use crate::types::{types_in, Level, PiiType, Regulation, ALL_TYPES};
use crate::values::match_value;

/// Settings of a classification run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassifyOptions {
    /// Findings below this confidence are left out (default 0.5).
    pub min_confidence: f32,
    /// The share of non-null samples that must match a type for the values
    /// to support it (default 0.5).
    pub min_share: f32,
    /// With fewer non-null samples than this, values can confirm a name but
    /// not refute it (default 5).
    pub min_samples_to_refute: usize,
    /// The year that bounds plausible dates of birth (default: this year).
    pub reference_year: u16,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        Self { min_confidence: 0.5, min_share: 0.5, min_samples_to_refute: 5, reference_year: current_year() }
    }
}

/// The current year, from the system clock (2025 if the clock is before 1970).
fn current_year() -> u16 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(1_735_689_600);
    // Days since the epoch to a civil year (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    u16::try_from(year).unwrap_or(2025)
}

/// One column to classify.
#[derive(Debug, Clone, Copy)]
pub struct ColumnInput<'a> {
    /// The table, as it should be reported (`public.users`).
    pub table: &'a str,
    /// The column name.
    pub column: &'a str,
    /// The column's type, as the schema spells it (empty when unknown).
    pub data_type: &'a str,
    /// `COMMENT ON COLUMN`, if any.
    pub comment: Option<&'a str>,
    /// Sampled values (`None` for a null), if there are samples.
    pub samples: Option<&'a [Option<&'a str>]>,
}

/// What a column's verdict rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The name, type and comment only: there were no samples.
    NameOnly,
    /// The name, type and comment, and sampled values.
    NameAndSamples,
}

/// One kind of personal data found in a column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// What it is.
    pub pii_type: PiiType,
    /// How sure, 0..1 (two decimals).
    pub confidence: f32,
    /// How carefully it must be handled.
    pub level: Level,
    /// The regulations it matters for.
    pub regulations: Vec<Regulation>,
    /// Why: the name, type, comment, table and sample evidence.
    pub evidence: Vec<String>,
}

/// How the samples of a column matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleStats {
    /// Sampled values, nulls included.
    pub total: usize,
    /// Non-null, non-empty values.
    pub non_null: usize,
    /// Values matching each type (strong or weak matches).
    pub matched: BTreeMap<PiiType, usize>,
}

/// The verdict on one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnReport {
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
    /// Its type.
    pub data_type: String,
    /// What the verdict rests on.
    pub basis: Basis,
    /// How the samples matched, when there were samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<SampleStats>,
    /// What was found, most confident first.
    pub findings: Vec<Finding>,
    /// Remarks: evidence that was refuted, samples that were all null.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ColumnReport {
    /// The highest level among the findings.
    pub fn level(&self) -> Option<Level> {
        self.findings.iter().map(|f| f.level).max()
    }
}

/// Types whose values a validator can check (so samples can confirm or refute a name).
fn value_checked(t: PiiType) -> bool {
    use PiiType::*;
    matches!(
        t,
        Email | Phone | PersonName | StreetAddress | PostalCode | GeoLocation | DateOfBirth | Age | Gender | UsSsn | UkNhs | EsDni | EsNie | BrCpf | InAadhaar | FrNir | DeTaxId | NationalId
            | TaxId | Passport | DriverLicense | Iban | BankAccount | SwiftBic | IpAddress | MacAddress | Vin
    )
}

/// How far a strong value match alone can be trusted.
fn value_reliability(t: PiiType) -> f32 {
    use PiiType::*;
    match t {
        Email | Iban | IpAddress | MacAddress | Secret | CreditCard => 0.97,
        UkNhs | EsDni | EsNie | BrCpf | InAadhaar | FrNir | DeTaxId | Vin | UsSsn => 0.9,
        Phone | Gender | StreetAddress => 0.88,
        PersonName => 0.8,
        _ => 0.7,
    }
}

/// The family a column type belongs to, to rule out impossible findings
/// (`email_confirmed boolean`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeFamily {
    Text,
    Integer,
    Numeric,
    Boolean,
    Date,
    Timestamp,
    Inet,
    Mac,
    Binary,
    Json,
    Uuid,
    Geo,
    Unknown,
}

fn type_family(data_type: &str) -> TypeFamily {
    use TypeFamily::*;
    let t = data_type.to_ascii_lowercase();
    let t = t.trim_end_matches("[]");
    let base = t.split('(').next().unwrap_or("").trim();
    match base {
        "" => Unknown,
        "text" | "character varying" | "varchar" | "character" | "char" | "nvarchar" | "nchar" | "citext" | "string" | "tinytext" | "mediumtext" | "longtext" | "clob" | "bpchar"
        | "name" => Text,
        "integer" | "int" | "bigint" | "smallint" | "tinyint" | "mediumint" | "int2" | "int4" | "int8" | "serial" | "bigserial" => Integer,
        "numeric" | "decimal" | "real" | "double precision" | "double" | "float" | "money" => Numeric,
        "boolean" | "bool" | "bit" => Boolean,
        "date" => Date,
        b if b.starts_with("timestamp") || b.starts_with("datetime") || b.starts_with("time") || b == "interval" || b == "year" => Timestamp,
        "inet" | "cidr" => Inet,
        "macaddr" | "macaddr8" => Mac,
        "bytea" | "blob" | "binary" | "varbinary" | "longblob" | "mediumblob" => Binary,
        "json" | "jsonb" => Json,
        "uuid" => Uuid,
        "point" | "geometry" | "geography" | "polygon" => Geo,
        b if b.starts_with("enum") || b.starts_with("set") => Text,
        b if b.contains("int") => Integer,
        b if b.contains("char") || b.contains("text") => Text,
        _ => Unknown,
    }
}

fn type_allows(t: PiiType, f: TypeFamily) -> bool {
    use PiiType::*;
    use TypeFamily::*;
    match f {
        Unknown | Json => true,
        Boolean | Uuid => false,
        Text => true,
        Integer => matches!(t, Phone | PostalCode | Age | Gender | UsSsn | UkNhs | BrCpf | InAadhaar | FrNir | DeTaxId | NationalId | TaxId | Passport | DriverLicense | CreditCard | BankAccount | IpAddress | HealthData),
        Numeric => matches!(t, Phone | PostalCode | Age | GeoLocation | CreditCard | BankAccount | UsSsn | NationalId | TaxId),
        Date | Timestamp => t == DateOfBirth,
        Inet => t == IpAddress,
        Mac => t == MacAddress,
        // Encrypted or hashed personal data is still personal data.
        Binary => !matches!(t, DateOfBirth | Age | Gender | GeoLocation),
        Geo => t == GeoLocation,
    }
}

/// Name evidence: the rule that matched and where.
struct NameHit<'r> {
    rule: &'r NameRule,
    end: usize,
}

/// The best dictionary match in `tokens`: the one ending last (the head
/// noun of an English compound), then the longest, then the heaviest.
fn best_rule<'r>(tokens: &[String], rules: &'r [NameRule], person_table: bool) -> Option<NameHit<'r>> {
    let mut best: Option<NameHit<'r>> = None;
    for rule in rules {
        if rule.needs_person_table && !person_table {
            continue;
        }
        let k = rule.tokens.len();
        if k > tokens.len() {
            continue;
        }
        for start in 0..=tokens.len() - k {
            let hit = rule.tokens.iter().zip(&tokens[start..start + k]).all(|(r, t)| *r == t || *r == singular(t));
            if !hit {
                continue;
            }
            // A bare `name` needs the whole column to be that word.
            if rule.needs_person_table && tokens.len() != k {
                continue;
            }
            let end = start + k;
            let better = match &best {
                None => true,
                Some(b) => (end, k, rule.weight) > (b.end, b.rule.tokens.len(), b.rule.weight),
            };
            if better {
                best = Some(NameHit { rule, end });
            }
        }
    }
    let hit = best?;
    let start = hit.end - hit.rule.tokens.len();
    if tokens[hit.end..].iter().any(|t| MODIFIERS.contains(&t.as_str())) || tokens[..start].iter().any(|t| FLAG_PREFIXES.contains(&t.as_str())) {
        return None;
    }
    Some(hit)
}

/// The tokens of a column name, with run-together words split.
fn column_tokens(column: &str) -> Vec<String> {
    let known = |w: &str| VOCABULARY.contains(w) || VOCABULARY.contains(singular(w));
    tokenize(column).iter().flat_map(|t| segment(t, &known).into_iter().map(str::to_string).collect::<Vec<_>>()).collect()
}

/// Whether a table name says each row is a person.
pub fn is_person_table(table: &str) -> bool {
    let name = table.rsplit('.').next().unwrap_or(table).trim_matches('"');
    let tokens = tokenize(name);
    tokens.last().is_some_and(|t| PERSON_TABLES.contains(&t.as_str()) || PERSON_TABLES.contains(&singular(t)))
}

struct Candidate {
    pii_type: PiiType,
    confidence: f32,
    evidence: Vec<String>,
}

fn round2(x: f32) -> f32 {
    (x.clamp(0.0, 1.0) * 100.0).round() / 100.0
}

/// Classifies one column from its name, type, comment and samples.
pub fn classify_column(input: &ColumnInput<'_>, options: &ClassifyOptions) -> ColumnReport {
    let mut notes = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let family = type_family(input.data_type);
    let person_table = is_person_table(input.table);
    let tokens = column_tokens(input.column);

    // Name evidence.
    if let Some(hit) = best_rule(&tokens, &RULES, person_table) {
        let t = hit.rule.pii;
        if type_allows(t, family) {
            let mut evidence = vec![format!("name `{}` says {}", input.column, hit.rule.tokens.join(" "))];
            let mut confidence = hit.rule.weight;
            if hit.rule.needs_person_table {
                evidence.push(format!("table `{}` holds people", input.table));
            } else if person_table && t.level() >= Level::Confidential {
                confidence += 0.03;
                evidence.push(format!("table `{}` holds people", input.table));
            }
            if family != TypeFamily::Unknown && family != TypeFamily::Text {
                evidence.push(format!("type `{}` fits", input.data_type));
                confidence += 0.02;
            }
            candidates.push(Candidate { pii_type: t, confidence, evidence });
        } else if !matches!(family, TypeFamily::Boolean | TypeFamily::Date | TypeFamily::Timestamp | TypeFamily::Uuid) {
            notes.push(format!("name says {t}, but type `{}` cannot hold it", input.data_type));
        }
    }
    // Type evidence alone.
    let by_type = match family {
        TypeFamily::Inet => Some((PiiType::IpAddress, 0.8)),
        TypeFamily::Mac => Some((PiiType::MacAddress, 0.85)),
        _ => None,
    };
    if let Some((t, w)) = by_type {
        if let Some(c) = candidates.iter_mut().find(|c| c.pii_type == t) {
            c.confidence = c.confidence.max(w) + 0.03;
        } else {
            candidates.push(Candidate { pii_type: t, confidence: w, evidence: vec![format!("type `{}` holds {t}", input.data_type)] });
        }
    }
    // Comment evidence.
    if let Some(comment) = input.comment {
        let words = tokenize(comment);
        if let Some(hit) = comment_rule(&words) {
            let t = hit.rule.pii;
            let ev = format!("comment mentions {}", hit.rule.tokens.join(" "));
            let describes = tokens.iter().any(|t| MODIFIERS.contains(&t.as_str())) || words[hit.end..].iter().take(2).any(|t| MODIFIERS.contains(&t.as_str()));
            if let Some(c) = candidates.iter_mut().find(|c| c.pii_type.compatible(t)) {
                c.confidence += 0.05;
                c.evidence.push(ev);
            } else if candidates.is_empty() && !describes && type_allows(t, family) {
                candidates.push(Candidate { pii_type: t, confidence: hit.rule.weight * 0.7, evidence: vec![ev] });
            }
        }
    }

    // Sample evidence.
    let mut stats = None;
    if let Some(samples) = input.samples {
        let mut strong = [0usize; 64];
        let mut any = [0usize; 64];
        let mut non_null = 0usize;
        for v in samples.iter().flatten() {
            if v.trim().is_empty() {
                continue;
            }
            non_null += 1;
            let m = match_value(v, options.reference_year);
            let (mut s, mut a) = (m.strong, m.any());
            while a != 0 {
                let bit = a.trailing_zeros() as usize;
                any[bit] += 1;
                a &= a - 1;
            }
            while s != 0 {
                let bit = s.trailing_zeros() as usize;
                strong[bit] += 1;
                s &= s - 1;
            }
        }
        let matched: BTreeMap<PiiType, usize> = ALL_TYPES.iter().filter(|t| any[**t as usize] > 0).map(|t| (*t, any[*t as usize])).collect();
        if non_null == 0 {
            notes.push(format!("all {} sampled values are null or empty; classified by name alone", samples.len()));
        } else {
            let share = |counts: &[usize; 64], t: PiiType| counts[t as usize] as f32 / non_null as f32;
            // Confirm or refute the name and comment evidence.
            for c in &mut candidates {
                if !value_checked(c.pii_type) {
                    continue;
                }
                let (best_t, s) = ALL_TYPES.iter().filter(|v| c.pii_type.compatible(**v)).map(|v| (*v, share(&any, *v))).fold((c.pii_type, 0.0f32), |acc, x| if x.1 > acc.1 { x } else { acc });
                let count = (s * non_null as f32).round() as usize;
                if s >= options.min_share {
                    c.confidence = 1.0 - (1.0 - c.confidence) * (1.0 - 0.9 * s);
                    if best_t != c.pii_type && best_t.parent() == Some(c.pii_type) {
                        c.pii_type = best_t;
                    }
                    c.evidence.push(format!("{count} of {non_null} samples are valid {best_t} ({:.0}%)", s * 100.0));
                } else if non_null >= options.min_samples_to_refute && s < 0.2 {
                    c.confidence *= 0.3;
                    notes.push(format!("name says {}, but only {count} of {non_null} samples are valid {}", c.pii_type, c.pii_type));
                } else {
                    c.confidence *= 0.8;
                    c.evidence.push(format!("only {count} of {non_null} samples are valid {best_t} ({:.0}%)", s * 100.0));
                }
            }
            // Types the values show on their own.
            for t in types_in(strong.iter().enumerate().filter(|(_, &n)| n > 0).fold(0u64, |m, (i, _)| m | (1u64 << i))) {
                let s = share(&strong, t);
                if s < options.min_share || t == PiiType::Url || candidates.iter().any(|c| c.pii_type.compatible(t)) {
                    continue;
                }
                let count = strong[t as usize];
                let confidence = value_reliability(t) * (0.6 + 0.4 * s);
                candidates.push(Candidate { pii_type: t, confidence, evidence: vec![format!("{count} of {non_null} samples are valid {t} ({:.0}%)", s * 100.0)] });
            }
        }
        stats = Some(SampleStats { total: samples.len(), non_null, matched });
    }

    let mut findings: Vec<Finding> = candidates
        .into_iter()
        .filter(|c| c.confidence >= options.min_confidence)
        .map(|c| Finding { pii_type: c.pii_type, confidence: round2(c.confidence), level: c.pii_type.level(), regulations: c.pii_type.regulations().to_vec(), evidence: c.evidence })
        .collect();
    findings.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.pii_type.cmp(&b.pii_type)));
    findings.dedup_by_key(|f| f.pii_type);
    ColumnReport {
        table: input.table.to_string(),
        column: input.column.to_string(),
        data_type: input.data_type.to_string(),
        basis: if input.samples.is_some() { Basis::NameAndSamples } else { Basis::NameOnly },
        samples: stats,
        findings,
        notes,
    }
}

/// Comments are sentences: the strongest dictionary phrase anywhere in
/// them, among the precise ones (weight 0.85 or more, no table context).
fn comment_rule(words: &[String]) -> Option<NameHit<'static>> {
    let mut best: Option<NameHit<'static>> = None;
    for rule in RULES.iter().filter(|r| r.weight >= 0.85 && !r.needs_person_table) {
        let k = rule.tokens.len();
        if k > words.len() {
            continue;
        }
        let found = (0..=words.len() - k).find(|&s| rule.tokens.iter().zip(&words[s..s + k]).all(|(r, t)| *r == t || *r == singular(t)));
        if let Some(s) = found {
            if best.as_ref().is_none_or(|b| (k, rule.weight) > (b.rule.tokens.len(), b.rule.weight)) {
                best = Some(NameHit { rule, end: s + k });
            }
        }
    }
    best
}

/// Classifies many columns in parallel (rayon); the reports come back in
/// input order.
pub fn classify_columns(inputs: &[ColumnInput<'_>], options: &ClassifyOptions) -> Vec<ColumnReport> {
    inputs.par_iter().map(|c| classify_column(c, options)).collect()
}

/// The findings over a whole schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Columns looked at.
    pub columns: usize,
    /// Of those, columns that had samples.
    pub sampled_columns: usize,
    /// Of those, columns classified by name, type and comment alone.
    pub name_only_columns: usize,
    /// Sample columns that match no column of the schema (classified by
    /// their values, with an empty type).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmatched_samples: Vec<String>,
    /// The columns with findings or notes, in schema order.
    pub reports: Vec<ColumnReport>,
}

impl Report {
    /// Whether anything at or above `min_confidence` was found.
    pub fn has_findings(&self) -> bool {
        self.reports.iter().any(|r| !r.findings.is_empty())
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report for people: one line a finding, grouped by table.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut table = "";
        for r in &self.reports {
            if r.table != table {
                table = &r.table;
                out.push_str(&format!("{table}\n"));
            }
            let basis = match r.basis {
                Basis::NameOnly => "name only",
                Basis::NameAndSamples => "name and samples",
            };
            if r.findings.is_empty() {
                out.push_str(&format!("  {}: no finding ({basis})\n", r.column));
            }
            for f in &r.findings {
                let regs: Vec<&str> = f.regulations.iter().map(|r| r.as_str()).collect();
                out.push_str(&format!(
                    "  {}: {} {:.2} {:?} [{}] ({basis}): {}\n",
                    r.column,
                    f.pii_type,
                    f.confidence,
                    f.level,
                    regs.join(", "),
                    f.evidence.join("; ")
                ));
            }
            for n in &r.notes {
                out.push_str(&format!("  {}: note: {n}\n", r.column));
            }
        }
        out.push_str(&format!(
            "{} columns, {} with findings; {} classified with samples, {} by name, type and comment alone\n",
            self.columns,
            self.reports.iter().filter(|r| !r.findings.is_empty()).count(),
            self.sampled_columns,
            self.name_only_columns
        ));
        out
    }
}

/// Classifies every column of every table of `schema`, using the samples
/// of the tables `samples` has (matched by table name, qualified or not,
/// and column name, ignoring case). Sample columns that the schema lacks
/// are classified too and listed in [`Report::unmatched_samples`].
pub fn classify_schema(schema: &Schema, samples: &SampleSet, options: &ClassifyOptions) -> Report {
    // Non-null views of the sample columns, built once per column.
    struct Owned<'a> {
        table: String,
        column: &'a str,
        data_type: &'a str,
        comment: Option<&'a str>,
        values: Option<Vec<Option<&'a str>>>,
    }
    let mut owned: Vec<Owned<'_>> = Vec::new();
    let mut used: Vec<(usize, usize)> = Vec::new();
    for (qname, table) in &schema.tables {
        let display = if qname.schema.is_empty() { qname.name.clone() } else { format!("{}.{}", qname.schema, qname.name) };
        let sample_table = samples.tables.iter().position(|t| t.name.eq_ignore_ascii_case(&qname.name) || t.name.eq_ignore_ascii_case(&display));
        for col in &table.columns {
            let values = sample_table.and_then(|ti| {
                let t = &samples.tables[ti];
                let ci = t.columns.iter().position(|c| c.name.eq_ignore_ascii_case(&col.name))?;
                used.push((ti, ci));
                Some(t.columns[ci].values.iter().map(|v| v.as_deref()).collect())
            });
            owned.push(Owned { table: display.clone(), column: &col.name, data_type: &col.data_type, comment: col.comment.as_deref(), values });
        }
    }
    let mut unmatched = Vec::new();
    for (ti, t) in samples.tables.iter().enumerate() {
        for (ci, c) in t.columns.iter().enumerate() {
            if !used.contains(&(ti, ci)) {
                unmatched.push(format!("{}.{} ({})", t.name, c.name, t.source));
                owned.push(Owned { table: t.name.clone(), column: &c.name, data_type: "", comment: None, values: Some(c.values.iter().map(|v| v.as_deref()).collect()) });
            }
        }
    }
    let inputs: Vec<ColumnInput<'_>> =
        owned.iter().map(|o| ColumnInput { table: &o.table, column: o.column, data_type: o.data_type, comment: o.comment, samples: o.values.as_deref() }).collect();
    let reports = classify_columns(&inputs, options);
    let sampled_columns = inputs.iter().filter(|i| i.samples.is_some()).count();
    Report {
        columns: inputs.len(),
        sampled_columns,
        name_only_columns: inputs.len() - sampled_columns,
        unmatched_samples: unmatched,
        reports: reports.into_iter().filter(|r| !r.findings.is_empty() || !r.notes.is_empty() || r.basis == Basis::NameAndSamples).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col<'a>(table: &'a str, column: &'a str, data_type: &'a str, samples: Option<&'a [Option<&'a str>]>) -> ColumnReport {
        classify_column(&ColumnInput { table, column, data_type, comment: None, samples }, &ClassifyOptions { reference_year: 2025, ..Default::default() })
    }

    fn top(r: &ColumnReport) -> Option<PiiType> {
        r.findings.first().map(|f| f.pii_type)
    }

    #[test]
    fn table_context_decides_bare_name() {
        assert_eq!(top(&col("public.users", "name", "text", None)), Some(PiiType::PersonName));
        assert_eq!(top(&col("public.products", "name", "text", None)), None);
        assert_eq!(top(&col("public.clientes", "nombre", "text", None)), Some(PiiType::PersonName));
    }

    #[test]
    fn names_in_five_languages_and_abbreviations() {
        for (c, t) in [
            ("dob", PiiType::DateOfBirth),
            ("fecha_nacimiento", PiiType::DateOfBirth),
            ("Geburtsdatum", PiiType::DateOfBirth),
            ("telefone", PiiType::Phone),
            ("numero_de_telephone", PiiType::Phone),
            ("fname", PiiType::PersonName),
            ("customerEmailAddress", PiiType::Email),
            ("home_addr", PiiType::StreetAddress),
            ("ssn", PiiType::UsSsn),
            ("last_sign_in_ip", PiiType::IpAddress),
        ] {
            assert_eq!(top(&col("t", c, "", None)), Some(t), "{c}");
        }
    }

    #[test]
    fn flags_and_metadata_are_not_pii() {
        assert_eq!(top(&col("users", "email_confirmed_at", "timestamp", None)), None);
        assert_eq!(top(&col("users", "is_email_public", "boolean", None)), None);
        assert_eq!(top(&col("users", "email", "boolean", None)), None);
        assert_eq!(top(&col("users", "phone_type", "text", None)), None);
    }

    #[test]
    fn samples_refute_and_reveal() {
        let random: Vec<String> = (0..40u64).map(|i| (i * 7_919 + 13).to_string()).collect();
        let random: Vec<Option<&str>> = random.iter().map(|s| Some(s.as_str())).collect();
        let ssn = col("people", "ssn", "text", Some(&random));
        assert_eq!(top(&ssn), None, "{ssn:?}");
        assert!(!ssn.notes.is_empty());
        let emails: Vec<String> = (0..30).map(|i| format!("user{i}@example.com")).collect();
        let emails: Vec<Option<&str>> = emails.iter().map(|s| Some(s.as_str())).chain([None, None]).collect();
        let notes = col("tickets", "notes", "text", Some(&emails));
        assert_eq!(top(&notes), Some(PiiType::Email));
        assert_eq!(notes.samples.as_ref().map(|s| s.non_null), Some(30));
    }
}
