//! Reading Deluge string literals out of the source: the text between their quotes, and
//! the case-insensitive search the rules use on it.

use deluge_syntax::{TextRange, TextSize};

/// The text between a literal's quotes.
pub(crate) fn contents(source: &str, literal: TextRange) -> &str {
    let raw = &source[literal];
    let inner = raw.get(1..).unwrap_or("");
    match raw.chars().next() {
        Some(quote @ ('"' | '\'')) => inner.strip_suffix(quote).unwrap_or(inner),
        _ => raw,
    }
}

/// The literal's range without its quotes.
pub(crate) fn inner(literal: TextRange) -> TextRange {
    if literal.len() >= TextSize::new(2) {
        TextRange::new(literal.start() + TextSize::new(1), literal.end() - TextSize::new(1))
    } else {
        literal
    }
}

/// ASCII-case-insensitive substring search: candidates by the needle's first byte (either
/// case) found with memchr, so whole-file prefilters stay cheap.
pub(crate) fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else { return Some(0) };
    if needle.len() > haystack.len() {
        return None;
    }
    let last_start = haystack.len() - needle.len();
    memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &haystack[..=last_start],
    )
    .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}
