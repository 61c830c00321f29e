//! # astrola-pii
//!
//! Classifies columns as personal or sensitive data, from their names,
//! types and comments and from sampled values, and masks values.
//!
//! - [`classify_schema`] / [`classify_columns`] / [`classify_column`]: a
//!   verdict per column ([`ColumnReport`]) with findings ([`Finding`]: type,
//!   confidence, level, regulations, evidence).
//! - [`match_value`] / [`find_in_text`]: what one value is, and the spans of
//!   personal data in free text.
//! - [`mask`] with a [`Strategy`]; [`k_anonymity`] of quasi-identifiers.
//! - [`read_csv`] / [`read_jsonl`]: samples from bytes (the crate does no
//!   I/O; the caller reads the files).
//!
//! ```
//! use astrola_core::{parse_sql, Dialect};
//! use astrola_pii::{classify_schema, read_csv, ClassifyOptions, PiiType, SampleSet};
//!
//! let schema = parse_sql("CREATE TABLE users (id int, name text, notes text);", Dialect::Postgres)?.schema;
//! let notes = read_csv(b"id,notes\n1,ana@example.org\n2,bo@example.com\n", "users", "users.csv")?;
//! let report = classify_schema(&schema, &SampleSet { tables: vec![notes] }, &ClassifyOptions::default());
//! let found: Vec<(&str, PiiType)> = report.reports.iter().flat_map(|r| r.findings.iter().map(move |f| (r.column.as_str(), f.pii_type))).collect();
//! assert_eq!(found, [("name", PiiType::PersonName), ("notes", PiiType::Email)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod classify;
pub mod error;
pub mod kanon;
pub mod mask;
pub mod names;
pub mod samples;
pub mod tokenize;
pub mod types;
pub mod validators;
pub mod values;

pub use classify::{classify_column, classify_columns, classify_schema, Basis, ClassifyOptions, ColumnInput, ColumnReport, Finding, Report, SampleStats};
pub use error::Error;
pub use kanon::{k_anonymity, EquivalenceClass, KAnonymity};
pub use mask::{mask, mask_nullable, Masker, Strategy};
pub use samples::{read_csv, read_jsonl, read_samples, SampleColumn, SampleFormat, SampleSet, SampleTable};
pub use types::{Level, PiiType, Regulation};
pub use values::{find_in_text, match_value, scan_text, TextMatch, ValueMatch};
