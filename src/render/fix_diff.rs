//! A fix shown as unified-diff hunks, computed on the few lines the fix touches, not on the
//! whole file: a file with thousands of findings would otherwise diff the file thousands of
//! times.

use delint_linter::diagnostic::Edit;
use delint_linter::fix::apply::apply_edits;
use deluge_syntax::{LineIndex, TextRange, TextSize};

/// Lines of context around each change, as `diff -U1`.
const CONTEXT: usize = 1;

/// The hunks of applying `edits` (sorted, non-overlapping) to `text`, one line per entry.
pub fn hunk_lines(text: &str, index: &LineIndex, edits: &[Edit]) -> Vec<String> {
    let mut lines = Vec::new();
    // Lines earlier hunks added (or removed): the new side's numbering moves by as much.
    let mut delta: isize = 0;
    for cluster in clusters(text, index, edits) {
        let (first, last) = cluster.lines;
        let start = index.line_start(first).unwrap_or_default();
        let end = index.line_start(last + 1).unwrap_or(TextSize::of(text));
        let window = &text[TextRange::new(start, end)];
        let shifted: Vec<Edit> = cluster
            .edits
            .iter()
            .map(|edit| Edit {
                range: edit.range - start,
                content: edit.content.clone(),
            })
            .collect();
        let after = apply_edits(window, &shifted);
        let diff = similar::TextDiff::from_lines(window, &after);
        for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
            let text = hunk.to_string();
            let mut hunk_lines = text.lines();
            if let Some(header) = hunk_lines.next() {
                lines.push(shift_header(header, first, first.saturating_add_signed(delta)));
            }
            lines.extend(hunk_lines.map(str::to_owned));
        }
        delta += after.lines().count() as isize - window.lines().count() as isize;
    }
    lines
}

struct Cluster<'e> {
    /// First and last line (0-based) of the window, context included.
    lines: (usize, usize),
    edits: Vec<&'e Edit>,
}

/// Edits grouped so that each group's window (its lines plus context) does not meet the
/// next group's: the hunks `diff` would print.
fn clusters<'e>(text: &str, index: &LineIndex, edits: &'e [Edit]) -> Vec<Cluster<'e>> {
    let last_line = index.line_count().saturating_sub(1);
    let line_of = |offset: TextSize| index.line_col(text, offset).line as usize - 1;
    let mut groups: Vec<Cluster<'e>> = Vec::new();
    for edit in edits {
        let first = line_of(edit.range.start()).saturating_sub(CONTEXT);
        let last = (line_of(edit.range.end()) + CONTEXT).min(last_line);
        match groups.last_mut() {
            Some(group) if first <= group.lines.1 + 1 => {
                group.lines.1 = group.lines.1.max(last);
                group.edits.push(edit);
            }
            _ => groups.push(Cluster {
                lines: (first, last),
                edits: vec![edit],
            }),
        }
    }
    groups
}

/// `@@ -a,b +c,d @@` with the offsets added to the old and new starts.
fn shift_header(header: &str, old_offset: usize, new_offset: usize) -> String {
    let shift = |part: &str, sign: char, offset: usize| -> String {
        let number = part.trim_start_matches(sign);
        let (start, len) = number.split_once(',').map_or((number, None), |(s, l)| (s, Some(l)));
        let start: usize = start.parse().unwrap_or(0) + offset;
        match len {
            Some(len) => format!("{sign}{start},{len}"),
            None => format!("{sign}{start}"),
        }
    };
    let parts: Vec<&str> = header.split(' ').collect();
    match parts.as_slice() {
        ["@@", old, new, "@@", rest @ ..] => {
            let mut shifted = format!("@@ {} {} @@", shift(old, '-', old_offset), shift(new, '+', new_offset));
            for part in rest {
                shifted.push(' ');
                shifted.push_str(part);
            }
            shifted
        }
        _ => header.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole_file_diff(text: &str, edits: &[Edit]) -> Vec<String> {
        let after = apply_edits(text, edits);
        let diff = similar::TextDiff::from_lines(text, &after);
        diff.unified_diff()
            .context_radius(CONTEXT)
            .iter_hunks()
            .flat_map(|h| h.to_string().lines().map(str::to_owned).collect::<Vec<_>>())
            .collect()
    }

    #[test]
    fn windows_give_the_same_hunks_as_diffing_the_whole_file() {
        let text: String = (1..=30).map(|i| format!("line {i};\n")).collect();
        let at = |line: usize| TextSize::new(text.lines().take(line - 1).map(|l| l.len() + 1).sum::<usize>() as u32);
        let cases = [
            vec![Edit {
                range: TextRange::new(at(5), at(6)),
                content: String::new(),
            }],
            vec![
                Edit {
                    range: TextRange::empty(at(1)),
                    content: "first;\n".into(),
                },
                Edit {
                    range: TextRange::new(at(3), at(4)),
                    content: "three;\n".into(),
                },
                Edit {
                    range: TextRange::new(at(20), at(21)),
                    content: "a;\nb;\n".into(),
                },
                Edit {
                    range: TextRange::empty(TextSize::of(&text)),
                    content: "end;\n".into(),
                },
            ],
        ];
        let index = LineIndex::new(&text);
        for edits in cases {
            assert_eq!(
                hunk_lines(&text, &index, &edits),
                whole_file_diff(&text, &edits),
                "{edits:?}"
            );
        }
    }
}
