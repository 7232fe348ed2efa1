//! Inputs the fuzzers (`fuzz/`, cargo-afl) found failing, kept as regression tests with the
//! fuzz targets' own checks: no panic, a fix never adds syntax errors, fixing twice changes
//! nothing, a fix's edits never overlap. Found so far: overlapping edits from nested
//! concatenations (a panic), an edit reaching past a call's end through an unclosed `/*` (a
//! panic when the fix was shown), and a `connection:` inserted after an unterminated string
//! again every round.

use std::path::Path;

use delint_linter::diagnostic::Applicability;
use delint_linter::fix::apply::fix_source;
use delint_linter::settings::Settings;

#[test]
fn every_saved_crash_now_passes_the_fuzz_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fuzz");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let arena = deluge_syntax::Arena::new();
        let parsed = deluge_syntax::parse(&text, &arena);
        for error in &parsed.errors {
            assert!(
                text.is_char_boundary(error.range.start().into()) && text.is_char_boundary(error.range.end().into())
            );
        }
        let settings = Settings::default();
        for diagnostic in delint_linter::lint(&text, &parsed, &settings).diagnostics {
            let edits = diagnostic.fix.map(|fix| fix.edits).unwrap_or_default();
            for pair in edits.windows(2) {
                assert!(
                    pair[0].range.end() <= pair[1].range.start(),
                    "{}: a {} fix has overlapping edits",
                    path.display(),
                    diagnostic.code
                );
            }
        }
        let fixed = fix_source(&text, &settings, Applicability::Unsafe);
        let before = parsed.errors.len();
        let after = deluge_syntax::parse(&fixed.text, &arena).errors.len();
        assert!(after <= before, "{}: a fix added syntax errors", path.display());
        let again = fix_source(&fixed.text, &settings, Applicability::Unsafe);
        assert_eq!(again.text, fixed.text, "{}: fixes are not idempotent", path.display());
        checked += 1;
    }
    assert!(checked >= 5, "the saved crashes are under fixtures/fuzz");
}
