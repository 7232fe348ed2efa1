//! Running the real binary the way users do, and making its output stable for snapshots.

#![allow(dead_code)] // Each test crate uses a different part.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Every `--output-format`.
pub const FORMATS: [&str; 10] = [
    "text",
    "concise",
    "grouped",
    "json",
    "json-lines",
    "sarif",
    "github",
    "junit",
    "markdown",
    "html",
];

/// Runs `delint ARGS` in `dir`, without colours.
pub fn delint(dir: &Path, args: &[&str]) -> Output {
    delint_with_stdin(dir, args, None)
}

/// Runs `delint ARGS` in `dir` with `stdin` piped in.
pub fn delint_with_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_delint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run delint");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().expect("wait for delint")
}

pub fn stdout(output: &Output) -> String {
    scrub(&String::from_utf8_lossy(&output.stdout))
}

pub fn stderr(output: &Output) -> String {
    scrub(&String::from_utf8_lossy(&output.stderr))
}

/// The run's duration in the summary (`... checked in 12 ms.`) varies; nothing else does.
pub fn scrub(text: &str) -> String {
    let mut scrubbed = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.find(" checked in ") {
            Some(at) if line.trim_end().ends_with(" ms.") || line.trim_end().ends_with(" s.") => {
                scrubbed.push_str(&line[..at]);
                scrubbed.push_str(" checked in [elapsed].");
                scrubbed.push_str(&line[line.trim_end().len()..]);
            }
            _ => scrubbed.push_str(line),
        }
    }
    scrubbed
}

/// A directory holding `files` (path, bytes).
pub fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}
