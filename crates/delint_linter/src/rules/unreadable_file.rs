use super::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, FixAvailability};

declare_rule! {
    /// ## What it does
    /// Reports a file delint could not read as Deluge text: not valid UTF-8 (with the line
    /// and column of the first bad byte), binary (a NUL byte), larger than the size limit
    /// (`--max-file-size`, 10 MB by default), or unreadable (permissions, vanished). The
    /// other files are still checked, and the run exits with status 2.
    ///
    /// This is a tool error rather than a lint: it cannot be ignored or suppressed, because
    /// a file that was not read may hide any finding.
    ///
    /// ## Why is this bad?
    /// An audit that silently skips a file is not complete. Deluge editors save UTF-8;
    /// a file in another encoding was usually re-saved by a desktop editor (Latin-1,
    /// UTF-16) and should be converted back.
    ///
    /// ## Example
    /// ```text
    /// A function saved as Latin-1: `info "Ol\xe1";`
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// info "Olá";
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: converting an encoding needs to know which encoding it was
    /// (`iconv -f latin1 -t utf-8`).
    pub struct UnreadableFile {
        code: "DL900",
        name: "unreadable-file",
        category: Category::Io,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "The file could not be read as Deluge text (encoding, binary, size or I/O error).",
    }
}
