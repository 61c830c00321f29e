//! Shared test support: the corpus and the local database servers.
#![allow(dead_code)]

pub mod mysql;
pub mod generate;
pub mod postgres;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// `../shared/corpus`, next to the repository.
pub fn corpus_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(dir.is_dir(), "the shared corpus is missing at {}", dir.display());
    dir
}

/// One sqldef test case (the fields this project uses).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SqldefCase {
    /// The schema as it is.
    #[serde(default)]
    pub current: Option<String>,
    /// The schema as it should be.
    #[serde(default)]
    pub desired: Option<String>,
    /// The error sqldef expects instead of a migration.
    #[serde(default)]
    pub error: Option<String>,
    /// Whether drops are allowed (sqldef's default: true).
    #[serde(default)]
    pub enable_drop: Option<bool>,
}

/// Every case of `sqldef/<dir>/*.yml`, by file name, in file order.
pub fn sqldef_cases(dir: &str) -> Vec<(String, Vec<(String, SqldefCase)>)> {
    let root = corpus_dir().join("sqldef").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let raw: BTreeMap<String, serde_yaml_ng::Value> =
                serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let cases = raw
                .into_iter()
                .filter_map(|(name, value)| serde_yaml_ng::from_value::<SqldefCase>(value).ok().map(|c| (name, c)))
                .collect();
            (path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), cases)
        })
        .collect()
}

/// Reads an exclusion file: `label  # reason` per line; blank lines and
/// lines starting with `#` are comments. Every entry must give a reason.
pub fn exclusions(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (label, reason) = line.split_once('#').unwrap_or_else(|| panic!("exclusion line {} has no `# reason`", n + 1));
        assert!(!reason.trim().is_empty(), "exclusion line {} has an empty reason", n + 1);
        out.insert(label.trim().to_string(), reason.trim().to_string());
    }
    out
}
