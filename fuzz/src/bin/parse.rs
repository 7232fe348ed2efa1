//! Any bytes, decoded lossily: lexing and parsing never panic and every range they return
//! lies in the text, on character boundaries.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        let parsed = deluge_syntax::parse(&text);
        for error in &parsed.errors {
            assert!(usize::from(error.range.end()) <= text.len());
            assert!(text.is_char_boundary(error.range.start().into()));
            assert!(text.is_char_boundary(error.range.end().into()));
        }
    });
}
