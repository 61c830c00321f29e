//! SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the
//! format GitHub code scanning uploads, built on the typed structs of the
//! `serde-sarif` crate.
//!
//! One run: the tool with every rule the linter knows (whether it fired or
//! not), and one result per diagnostic. Columns count Unicode code points
//! (`columnKind: unicodeCodePoints`), as the text output does.

use serde_sarif::sarif::{
    ArtifactContent, ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool,
    ToolComponent,
};
use serde_json::json;

use super::{EndPositions, Linted};
use crate::{rules, Severity};

/// The URI of the SARIF 2.1.0 JSON schema, given as the log's `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF level of a severity: `error`, `warning`, or `note` for info.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result_level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// The SARIF log of the diagnostics of `files`, pretty-printed.
pub fn to_sarif(files: &[Linted<'_>]) -> String {
    serde_json::to_string_pretty(&sarif_log(files)).unwrap_or_default()
}

/// The SARIF log of the diagnostics of `files`.
pub fn sarif_log(files: &[Linted<'_>]) -> Sarif {
    let all = rules();
    let descriptors: Vec<ReportingDescriptor> = all.iter().map(descriptor).collect();
    let driver = ToolComponent::builder()
        .name("astrola")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(descriptors)
        .build();
    let mut results = Vec::new();
    for file in files {
        let ends = EndPositions::new(file.source);
        for d in file.diagnostics {
            let start = d.span.start.min(file.source.len());
            let (end_line, end_column) = ends.at(d.span.end.max(start));
            let snippet = file.source.get(start..d.span.end.max(start)).map(|text| ArtifactContent { text: Some(text.to_string()), ..Default::default() });
            let region = Region {
                start_line: Some(to_i64(d.span.line)),
                start_column: Some(to_i64(d.span.column)),
                end_line: Some(to_i64(end_line)),
                end_column: Some(to_i64(end_column)),
                snippet,
                ..Default::default()
            };
            let physical = PhysicalLocation {
                artifact_location: Some(ArtifactLocation { uri: Some(file_uri(&d.span.file)), ..Default::default() }),
                region: Some(region),
                ..Default::default()
            };
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let result = SarifResult::builder()
                .rule_id(d.rule)
                .level(result_level(d.severity))
                .message(Message { text: Some(text), ..Default::default() })
                .locations(vec![Location { physical_location: Some(physical), ..Default::default() }]);
            results.push(match all.iter().position(|r| r.id == d.rule) {
                Some(index) => result.rule_index(to_i64(index)).build(),
                None => result.build(),
            });
        }
    }
    let run = Run::builder().tool(Tool::builder().driver(driver).build()).results(results).column_kind(json!("unicodeCodePoints")).build();
    Sarif::builder().schema(SCHEMA_URI).version(json!("2.1.0")).runs(vec![run]).build()
}

/// A rule's descriptor: id, the first sentence of "What it does" as the
/// short description, the whole documentation as help, and its severity.
fn descriptor(rule: &crate::RuleInfo) -> ReportingDescriptor {
    let doc = rule.documentation();
    let summary = summary(&doc).unwrap_or_else(|| rule.id.to_string());
    ReportingDescriptor::builder()
        .id(rule.id)
        .name(rule.id)
        .short_description(MultiformatMessageString::builder().text(summary.clone()).build())
        .full_description(MultiformatMessageString::builder().text(summary).build())
        .help(MultiformatMessageString::builder().text(doc.clone()).markdown(doc).build())
        .default_configuration(ReportingConfiguration { level: Some(json!(level(rule.severity))), ..Default::default() })
        .build()
}

/// The first paragraph under `## What it does`, on one line.
fn summary(doc: &str) -> Option<String> {
    let after = doc.split_once("## What it does")?.1;
    let paragraph: Vec<&str> = after.lines().map(str::trim).skip_while(|l| l.is_empty()).take_while(|l| !l.is_empty() && !l.starts_with('#')).collect();
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The file name as a URI reference: relative paths stay relative with
/// forward slashes, absolute paths become `file://` URIs, and characters
/// outside the URI grammar are percent-encoded (`<stdin>` → `%3Cstdin%3E`).
pub fn file_uri(path: &str) -> String {
    let path = if path.is_empty() { "<input>" } else { path };
    let slashed = path.replace('\\', "/");
    let bytes = slashed.as_bytes();
    let (prefix, rest) = if slashed.starts_with('/') {
        ("file://", slashed.as_str())
    } else if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        ("file:///", slashed.as_str())
    } else {
        ("", slashed.as_str())
    };
    let mut out = String::from(prefix);
    for (i, b) in rest.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) || (b == b':' && !prefix.is_empty() && i == 1);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
