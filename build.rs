//! Sets `DELINT_VERSION` for `delint --version`: the package version, and the commit and
//! its date when delint is built from a git checkout (`0.1.0 (3f2c9e1a7b04 2026-12-03)`).
//! Built from a source archive or without git, it is the package version alone.

use std::path::Path;
use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let described = match commit() {
        Some((hash, date)) => format!("{version} ({hash} {date})"),
        None => version.to_owned(),
    };
    println!("cargo:rustc-env=DELINT_VERSION={described}");
    rerun_when_head_moves();
}

/// The short hash and date of HEAD, when the source is a git checkout.
fn commit() -> Option<(String, String)> {
    let output = git(&["log", "-1", "--format=%h %cs", "--abbrev=12"])?;
    let (hash, date) = output.split_once(' ')?;
    Some((hash.to_owned(), date.to_owned()))
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// Rebuilds the version when a commit is made or checked out. Only existing paths are
/// named: cargo treats a missing one as always changed.
fn rerun_when_head_moves() {
    let mut names = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    names.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in names {
        // `--git-path` finds a worktree's HEAD and the shared refs alike.
        if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", &name])
            && Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}
