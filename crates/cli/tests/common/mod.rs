//! What the CLI's end-to-end tests share: running the binary, reading its
//! output, writing input files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs `astrola` with `args`, feeding `stdin` when given.
pub fn astrola(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_astrola"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("astrola starts");
    if let Some(text) = stdin {
        let _ = child.stdin.take().expect("piped").write_all(text.as_bytes());
    }
    child.wait_with_output().expect("astrola runs")
}

/// An output stream as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// Writes `contents` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("writes");
    path
}
