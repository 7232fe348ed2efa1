//! Fixes: building them (per rule) and applying them (the engine).

pub mod apply;
pub mod authtoken;
mod invokeurl;
mod placement;
pub mod query;
mod v1_creator;
mod v1_crm;
mod v1_response;
mod v1_xml;

use deluge_syntax::TextRange;

/// The text between a literal's quotes.
fn literal_text(source: &str, literal: TextRange) -> &str {
    crate::literal::contents(source, literal)
}

/// Whether two edits' ranges conflict: they overlap, or insert at the same point.
pub(crate) fn overlaps(a: TextRange, b: TextRange) -> bool {
    (a.start() < b.end() && b.start() < a.end()) || a == b
}
