//! Fixes: building them (per rule) and applying them (the engine).

pub mod apply;
pub mod authtoken;
mod invokeurl;
mod placement;
pub mod query;
pub(crate) mod uses;

use deluge_syntax::TextRange;

/// The text between a literal's quotes.
fn literal_text(source: &str, literal: TextRange) -> &str {
    crate::rules::literal_contents(source, literal)
}

/// Whether two edits' ranges conflict: they overlap, or insert at the same point.
pub(crate) fn overlaps(a: TextRange, b: TextRange) -> bool {
    (a.start() < b.end() && b.start() < a.end()) || a == b
}

/// Deletions removing the `dropped` items of a separated list (`[start, end)` each, in order):
/// a run of dropped items goes with the separator after it when a kept item follows, else
/// with the separator before it; a run spanning the whole list goes alone.
pub(crate) fn list_deletions(items: &[(usize, usize)], dropped: &[bool]) -> Vec<(usize, usize)> {
    let mut deletions = Vec::new();
    let mut i = 0;
    while i < items.len() {
        if !dropped[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < items.len() && dropped[j + 1] {
            j += 1;
        }
        deletions.push(if j + 1 < items.len() {
            (items[i].0, items[j + 1].0)
        } else if i > 0 {
            (items[i - 1].1, items[j].1)
        } else {
            (items[i].0, items[j].1)
        });
        i = j + 1;
    }
    deletions
}
