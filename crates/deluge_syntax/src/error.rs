//! Syntax errors: what the lexer and parser report alongside the tree they always produce.

use text_size::TextRange;

/// A problem in the source text, with where it is and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the problem is.
    pub range: TextRange,
    /// One sentence: what was found and what was expected.
    pub message: String,
}

impl SyntaxError {
    /// An error at `range`.
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self {
            range,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.range, self.message)
    }
}
