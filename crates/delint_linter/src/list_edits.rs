//! Edits deleting items of a separated list (map entries, query parameters), keeping the
//! separators of what stays.

use deluge_syntax::{TextRange, TextSize};

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

/// Deletions removing the `dropped` items of a comma-separated list, commas included.
pub(crate) fn remove_list_items(items: &[TextRange], dropped: &[bool]) -> Vec<TextRange> {
    let spans: Vec<(usize, usize)> = items
        .iter()
        .map(|r| (usize::from(r.start()), usize::from(r.end())))
        .collect();
    list_deletions(&spans, dropped)
        .into_iter()
        .map(|(start, end)| TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32)))
        .collect()
}
