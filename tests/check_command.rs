//! `delint check` on the rule fixtures, run as a user runs it.

mod support;

use std::process::Command;

fn check(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_delint"))
        .arg("check")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run delint")
}

#[test]
fn json_output_lists_every_authtoken_call_with_positions() {
    let output = check(&["--output-format", "json", "fixtures/rules/DL003"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn negatives_report_nothing_and_exit_zero() {
    for args in [
        &["fixtures/rules/clean"][..],
        &["--select", "DL00,DL9", "fixtures/rules/negative"],
    ] {
        let output = check(args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn token_values_never_appear_in_full() {
    for format in support::FORMATS {
        for fix in [&[][..], &["--diff", "--unsafe-fixes"]] {
            let mut args = vec!["--output-format", format, "fixtures/rules", "fixtures/containers"];
            args.extend_from_slice(fix);
            let output = check(&args);
            let stdout = String::from_utf8_lossy(&output.stdout);
            for token in [
                "3b3c0f6d1e2a4b5c6d7e8f9012345678",
                "1a2b3c4d5e6f70819203a4b5c6d7e8f9",
                "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "aa11bb22cc33dd44ee55ff6677889900",
                "8f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5",
                "s3cr3t-value-from-the-console",
                "f00dbabe1234",
                "1000.abcdef",
                "4b0e1c2d3a4f5e6d7c8b9a0f1e2d3c4b",
            ] {
                assert!(!stdout.contains(token), "{format} {fix:?} output leaks {token}");
            }
        }
    }
}

#[test]
fn a_missing_path_is_a_tool_error() {
    let output = check(&["fixtures/nope"]);
    assert_eq!(output.status.code(), Some(2));
}
