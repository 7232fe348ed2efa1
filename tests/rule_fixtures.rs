//! The exact text users see for every rule fixture: ariadne frames, labels, help, summary.

use std::path::Path;
use std::process::Command;

#[test]
fn text_output_per_rule_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    insta::glob!("../fixtures/rules", "**/*.dg", |path| {
        let relative = path.strip_prefix(root).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_delint"))
            .args(["check", "--output-format", "text"])
            .arg(relative)
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .expect("run delint");
        let stdout = String::from_utf8_lossy(&output.stdout);
        insta::assert_snapshot!(format!("exit status: {:?}\n{stdout}", output.status.code()));
    });
}
