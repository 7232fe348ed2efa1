//! Output formats. Every renderer consumes the same diagnostics; none recomputes anything.

pub mod json;
pub mod text;

use deluge_syntax::TextRange;

/// `source` with every secret range masked except a short prefix, byte for byte the same
/// length, so ranges computed on the original still point at the same places.
pub fn redact(source: &str, secrets: &[TextRange]) -> String {
    const VISIBLE_PREFIX: usize = 4;
    let mut bytes = source.as_bytes().to_vec();
    for secret in secrets {
        let (start, end) = (usize::from(secret.start()), usize::from(secret.end()));
        for (offset, ch) in source[start..end].char_indices().skip(VISIBLE_PREFIX) {
            let at = start + offset;
            bytes[at..at + ch.len_utf8()].fill(b'*');
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| source.to_owned())
}
