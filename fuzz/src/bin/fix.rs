//! Any text: linting and fixing never panic, a fixed text never has more syntax errors
//! than the input, and fixing it again changes nothing.

use delint_linter::diagnostic::Applicability;
use delint_linter::fix::apply::fix_source;
use delint_linter::settings::Settings;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else { return };
        let settings = Settings::default();
        let fixed = fix_source(text, &settings, Applicability::Unsafe);
        let arena = deluge_syntax::Arena::new();
        let before = deluge_syntax::parse(text, &arena).errors.len();
        let after = deluge_syntax::parse(&fixed.text, &arena).errors.len();
        assert!(after <= before, "a fix added syntax errors");
        let again = fix_source(&fixed.text, &settings, Applicability::Unsafe);
        assert_eq!(again.text, fixed.text, "fixes are not idempotent");
    });
}
