use super::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, FixAvailability};

declare_rule! {
    /// ## What it does
    /// Reports source that does not parse: a missing `;`, `}` or `]`, a stray character, an
    /// unterminated string. delint recovers from the error and still checks the rest of the
    /// file, including the statements after it.
    ///
    /// ## Why is this bad?
    /// The Deluge editor rejects the script on save, so whatever it was meant to do, it does
    /// not. Findings next to a syntax error may also be less precise.
    ///
    /// ## Example
    /// ```deluge
    /// if (status == "open"
    /// {
    ///     info "open";
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// if (status == "open")
    /// {
    ///     info "open";
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: only the author knows what the code was meant to say.
    pub struct SyntaxError {
        code: "DL000",
        name: "syntax-error",
        category: Category::Syntax,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "The source does not parse; delint still checks what it could read.",
    }
}
