//! Any bytes, decoded lossily: lexing and parsing never panic, every range they return
//! lies in the text, on character boundaries, and `parse` gives what the resilient parser
//! alone gives (and so does the bare fast path wherever it parses).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        let arena = deluge_syntax::Arena::new();
        let parsed = deluge_syntax::parse(&text, &arena);
        for error in &parsed.errors {
            assert!(usize::from(error.range.end()) <= text.len());
            assert!(text.is_char_boundary(error.range.start().into()));
            assert!(text.is_char_boundary(error.range.end().into()));
        }
        let resilient = deluge_syntax::parse_resilient_only(&text, &arena);
        assert_eq!(parsed.errors, resilient.errors);
        assert_eq!(parsed.file, resilient.file);
        if let Some(fast) = deluge_syntax::parse_fast_path_only(&text, &deluge_syntax::Arena::new()) {
            assert_eq!(fast.errors, resilient.errors);
            assert_eq!(fast.file, resilient.file);
        }
    });
}
