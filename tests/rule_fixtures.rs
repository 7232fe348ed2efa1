//! The exact text users see for every rule fixture: ariadne frames, labels, help, summary.

mod support;

use std::path::Path;

#[test]
fn text_output_per_rule_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    insta::glob!("../fixtures/rules", "**/*.dg", |path| {
        let relative = path.strip_prefix(root).unwrap();
        let relative = relative.to_str().unwrap();
        let output = support::delint(root, &["check", "--output-format", "text", relative]);
        let stdout = support::stdout(&output);
        insta::assert_snapshot!(format!("exit status: {:?}\n{stdout}", output.status.code()));
    });
}
