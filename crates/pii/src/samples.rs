//! Reading sampled values from CSV (with a header row) and JSON Lines.
//!
//! The readers take bytes and the file's name (for messages); the caller
//! does the I/O. Every malformed input is an [`Error`] naming the file and
//! the line: wrong field counts, invalid UTF-8, bad JSON, duplicate column
//! names, an empty file, a value over [`MAX_VALUE_BYTES`].

use serde::Serialize;

use crate::error::Error;

/// The largest single value accepted (16 MiB). Larger values are an error
/// rather than a silent truncation.
pub const MAX_VALUE_BYTES: usize = 16 << 20;

/// Samples of one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleColumn {
    /// The column name (CSV header field or JSON key).
    pub name: String,
    /// The values in row order; `None` for null (an empty CSV field, a
    /// JSON `null`, a missing JSON key).
    pub values: Vec<Option<String>>,
}

/// Samples of one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleTable {
    /// The table name the samples are for.
    pub name: String,
    /// Where they came from (a file name).
    pub source: String,
    /// The columns, in header (or first-seen key) order.
    pub columns: Vec<SampleColumn>,
}

/// Samples of several tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SampleSet {
    /// The tables, in the order given.
    pub tables: Vec<SampleTable>,
}

/// The format of a sample file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object a line.
    JsonLines,
}

impl SampleFormat {
    /// The format a file name implies: `.jsonl`, `.ndjson` and `.json` are
    /// JSON Lines, anything else CSV.
    pub fn from_name(file: &str) -> Self {
        let lower = file.to_ascii_lowercase();
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || lower.ends_with(".json") {
            Self::JsonLines
        } else {
            Self::Csv
        }
    }
}

/// Reads samples of `table` from `bytes` in `format`; `file` names the
/// source in errors.
pub fn read_samples(bytes: &[u8], format: SampleFormat, table: &str, file: &str) -> Result<SampleTable, Error> {
    match format {
        SampleFormat::Csv => read_csv(bytes, table, file),
        SampleFormat::JsonLines => read_jsonl(bytes, table, file),
    }
}

fn line_error(file: &str, line: u64, message: impl Into<String>) -> Error {
    Error::Samples { file: file.to_string(), line, message: message.into() }
}

/// Reads CSV with a header row. Every record must have as many fields as
/// the header; fields must be UTF-8; an empty field is a null.
pub fn read_csv(bytes: &[u8], table: &str, file: &str) -> Result<SampleTable, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::SamplesFile { file: file.to_string(), message: "empty file: expected a header row".into() });
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(bytes);
    let headers = reader.byte_headers().map_err(|e| csv_error(file, &e))?.clone();
    let mut columns = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let name = std::str::from_utf8(h).map_err(|_| line_error(file, 1, format!("header field {} is not valid UTF-8", i + 1)))?.trim();
        if name.is_empty() {
            return Err(line_error(file, 1, format!("header field {} is empty", i + 1)));
        }
        if columns.iter().any(|c: &SampleColumn| c.name == name) {
            return Err(line_error(file, 1, format!("column `{name}` appears twice in the header")));
        }
        columns.push(SampleColumn { name: name.to_string(), values: Vec::new() });
    }
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, &e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        for (i, field) in record.iter().enumerate() {
            let name = &columns[i].name;
            if field.len() > MAX_VALUE_BYTES {
                return Err(line_error(file, line, format!("value of column `{name}` is {} bytes, over the limit of {MAX_VALUE_BYTES}", field.len())));
            }
            let value = std::str::from_utf8(field).map_err(|e| line_error(file, line, format!("value of column `{name}` is not valid UTF-8 (byte {})", e.valid_up_to())))?;
            columns[i].values.push((!value.is_empty()).then(|| value.to_string()));
        }
    }
    Ok(SampleTable { name: table.to_string(), source: file.to_string(), columns })
}

fn csv_error(file: &str, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!("record has {len} fields, the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    line_error(file, line, message)
}

/// Reads JSON Lines: one JSON object a line (blank lines are skipped). Keys
/// are columns, in first-seen order; strings are taken as they are, numbers
/// and booleans as written, nested values as compact JSON; `null` and
/// missing keys are nulls.
pub fn read_jsonl(bytes: &[u8], table: &str, file: &str) -> Result<SampleTable, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut columns: Vec<SampleColumn> = Vec::new();
    let mut rows = 0usize;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if raw.len() > MAX_VALUE_BYTES + 1024 {
            return Err(line_error(file, line, format!("line is {} bytes, over the limit of {MAX_VALUE_BYTES}", raw.len())));
        }
        let text = std::str::from_utf8(raw).map_err(|e| line_error(file, line, format!("not valid UTF-8 (byte {})", e.valid_up_to())))?;
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| line_error(file, line, format!("invalid JSON at column {}: {e}", e.column())))?;
        let serde_json::Value::Object(map) = value else {
            return Err(line_error(file, line, "expected a JSON object"));
        };
        for (key, v) in map {
            let idx = match columns.iter().position(|c| c.name == key) {
                Some(i) => i,
                None => {
                    columns.push(SampleColumn { name: key, values: vec![None; rows] });
                    columns.len() - 1
                }
            };
            let s = match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s),
                other => Some(other.to_string()),
            };
            let col = &mut columns[idx];
            if col.values.len() > rows {
                return Err(line_error(file, line, format!("key `{}` appears twice", col.name)));
            }
            col.values.push(s);
        }
        rows += 1;
        for c in &mut columns {
            c.values.resize(rows, None);
        }
    }
    if rows == 0 {
        return Err(Error::SamplesFile { file: file.to_string(), message: "empty file: expected JSON objects, one a line".into() });
    }
    Ok(SampleTable { name: table.to_string(), source: file.to_string(), columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_columns_and_nulls() {
        let t = read_csv(b"email,age\na@b.co,41\n,7\n", "users", "u.csv").expect("valid");
        assert_eq!(t.columns[0].values, [Some("a@b.co".to_string()), None]);
        assert_eq!(t.columns[1].name, "age");
    }

    #[test]
    fn csv_errors_name_file_and_line() {
        let e = read_csv(b"a,b\n1,2\n3\n", "t", "t.csv").expect_err("short record");
        assert_eq!(e.to_string(), "t.csv:3: record has 1 fields, the header has 2");
        let e = read_csv(b"a,b\n1,\xff\n", "t", "t.csv").expect_err("bad utf-8");
        assert!(e.to_string().starts_with("t.csv:2: value of column `b` is not valid UTF-8"), "{e}");
        assert!(read_csv(b"", "t", "t.csv").expect_err("empty").to_string().contains("empty file"));
        assert!(read_csv(b"a,a\n1,2\n", "t", "t.csv").expect_err("dup").to_string().contains("twice"));
    }

    #[test]
    fn jsonl_reads_and_errors() {
        let t = read_jsonl(b"{\"a\": \"x\", \"n\": 3}\n\n{\"b\": null, \"a\": [1]}\n", "t", "t.jsonl").expect("valid");
        assert_eq!(t.columns.len(), 3);
        assert_eq!(t.columns[0].values, [Some("x".to_string()), Some("[1]".to_string())]);
        assert_eq!(t.columns[1].values, [Some("3".to_string()), None]);
        assert_eq!(t.columns[2].values, [None, None]);
        let e = read_jsonl(b"{\"a\": 1}\n{oops\n", "t", "t.jsonl").expect_err("bad json");
        assert!(e.to_string().starts_with("t.jsonl:2: invalid JSON"), "{e}");
        assert!(read_jsonl(b"[1]\n", "t", "t.jsonl").expect_err("array").to_string().contains("expected a JSON object"));
        assert!(read_jsonl(b"\n\n", "t", "t.jsonl").is_err());
        assert!(read_jsonl(b"{\"a\": \"\xff\"}\n", "t", "t.jsonl").expect_err("utf8").to_string().contains("t.jsonl:1"));
    }
}
