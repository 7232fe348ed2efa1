//! `delint debug ast|tokens` run as a user runs them: the real binary on a fixture file.

use std::process::Command;

fn delint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_delint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run delint")
}

#[test]
fn debug_ast_prints_the_tree_and_the_errors() {
    let output = delint(&["debug", "ast", "fixtures/syntax/recovery_missing_semicolon.dg"]);
    assert!(output.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn debug_tokens_prints_positions_kinds_and_text() {
    let output = delint(&["debug", "tokens", "fixtures/syntax/task_minified.dg"]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("1:1 Ident \"r\"\n1:3 Eq \"=\"\n1:5 Ident \"invokeurl\"\n"),
        "{stdout}"
    );
}

#[test]
fn debug_reports_an_unreadable_file_with_exit_status_2() {
    let output = delint(&["debug", "ast", "fixtures/does-not-exist.dg"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("fixtures/does-not-exist.dg"));
}
