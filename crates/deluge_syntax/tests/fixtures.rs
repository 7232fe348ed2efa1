//! Every file under `fixtures/syntax/` is parsed and its tree and errors snapshotted.
//! Fixtures named `recovery_*` must report errors and still hold the statements after them;
//! every other fixture is valid Deluge and must parse without a single error.

use std::path::Path;

use deluge_syntax::{dump, parse};

#[test]
fn syntax_fixtures() {
    insta::glob!("../../../fixtures/syntax", "*.dg", |path| {
        let source = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let arena = deluge_syntax::Arena::new();
        let parsed = parse(&source, &arena);
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        check_error_expectation(name, path, &parsed.errors);
        insta::assert_snapshot!(dump::dump(&source, &parsed));
    });
}

fn check_error_expectation(name: &str, path: &Path, errors: &[deluge_syntax::SyntaxError]) {
    if name.starts_with("recovery_") {
        assert!(!errors.is_empty(), "{} should report syntax errors", path.display());
    } else {
        assert!(
            errors.is_empty(),
            "{} should parse cleanly, got {errors:#?}",
            path.display()
        );
    }
}
