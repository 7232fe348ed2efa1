//! The fix engine: apply fixes round by round until nothing changes, then check the result.

use std::collections::{BTreeMap, HashMap, HashSet};

use deluge_syntax::{Arena, LineIndex, Parsed, TextSize, parse};

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::settings::Settings;
use crate::{LintResult, lint};

/// More rounds than any real file needs: each round applies every non-conflicting fix.
const MAX_ROUNDS: usize = 8;

/// The outcome of fixing one source text.
#[derive(Debug)]
pub struct FixedSource {
    /// The fixed text (the original when nothing was applied or the result was rejected).
    pub text: String,
    /// How many diagnostics the fixes resolved.
    pub fixed: usize,
    /// Why the fixes were thrown away, when they were.
    pub rejected: Option<String>,
    /// The findings left in `text`.
    pub remaining: LintResult,
    /// The secrets of the original text, to redact a diff against it.
    pub original_secrets: Vec<deluge_syntax::TextRange>,
}

/// Applies every fix at least as safe as `level` to `source`.
pub fn fix_source(source: &str, settings: &Settings, level: Applicability) -> FixedSource {
    fix_parsed(source, &parse(source, &Arena::new()), settings, level)
}

/// [`fix_source`] for a caller that has parsed `source` already.
pub fn fix_parsed(source: &str, parsed: &Parsed<'_>, settings: &Settings, level: Applicability) -> FixedSource {
    let original = lint(source, parsed, settings);
    let original_errors = error_messages(parsed);
    let mut text = source.to_owned();
    let mut edits = non_conflicting_edits(&original, level);
    let mut current = None;
    for _ in 0..MAX_ROUNDS {
        if edits.is_empty() {
            break;
        }
        text = apply_edits(&text, &edits);
        let (result, errors) = lint_text(&text, settings);
        edits = non_conflicting_edits(&result, level);
        current = Some((result, errors));
    }
    let Some((current, errors)) = current.filter(|_| text != source) else {
        return unchanged(source, original, None);
    };
    let reason = changed_syntax_errors(&original_errors, &errors).or_else(|| regression(&text, &original, &current));
    if let Some(reason) = reason {
        return unchanged(source, original, Some(reason));
    }
    // The connections as the original needs them: a link name a fix wrote is still one to
    // create, though the fixed text now names it.
    let mut current = current;
    current.connections = original.connections.clone();
    FixedSource {
        fixed: original.diagnostics.len().saturating_sub(current.diagnostics.len()),
        text,
        rejected: None,
        original_secrets: original.secrets,
        remaining: current,
    }
}

/// The original text and findings, with why fixes were dropped if they were.
fn unchanged(source: &str, original: LintResult, rejected: Option<String>) -> FixedSource {
    FixedSource {
        text: source.to_owned(),
        fixed: 0,
        rejected,
        original_secrets: original.secrets.clone(),
        remaining: original,
    }
}

/// The findings of `text` and its syntax errors' messages.
fn lint_text(text: &str, settings: &Settings) -> (LintResult, Vec<String>) {
    let arena = Arena::new();
    let parsed = parse(text, &arena);
    (lint(text, &parsed, settings), error_messages(&parsed))
}

/// The messages of a parse's syntax errors, sorted: what must be the same before and
/// after fixing, wherever the errors moved to.
fn error_messages(parsed: &Parsed<'_>) -> Vec<String> {
    let mut messages: Vec<String> = parsed.errors.iter().map(|e| e.message.clone()).collect();
    messages.sort();
    messages
}

/// Why the fixed text is refused on syntax alone: a file is written only with exactly the
/// syntax errors it had. Fixes never edit a broken statement, so a change here means an
/// edit reached one anyway (or made a new error); either way the file is left as it was.
/// Checked on the parse itself, so it holds when DL000 is not selected.
fn changed_syntax_errors(before: &[String], after: &[String]) -> Option<String> {
    if before == after {
        return None;
    }
    let new = after.iter().find(|m| !before.contains(m));
    Some(match new {
        Some(message) => format!("the fixed text would have a new syntax error: {message}"),
        None => format!(
            "the fixed text would have {} syntax errors where the original has {}; fixes must not touch broken code",
            after.len(),
            before.len()
        ),
    })
}

/// The edits of every applicable fix that does not conflict with one taken before it, and
/// the deletions of token variables whose every reading call's fix was taken.
fn non_conflicting_edits(result: &LintResult, level: Applicability) -> Vec<Edit> {
    // Taken edits by (start, end): they never overlap, so a new edit can only conflict with
    // its neighbours. Linear-logarithmic in the number of fixes, whatever the file.
    let mut taken = TakenEdits::default();
    let mut applied_fixes: HashMap<&Fix, bool> = HashMap::new();
    let mut fixed_calls: HashSet<deluge_syntax::TextRange> = HashSet::new();
    for diagnostic in &result.diagnostics {
        let Some(fix) = diagnostic.fix.as_ref() else { continue };
        if fix.applicability < level || fix.applicability == Applicability::DisplayOnly {
            continue;
        }
        // One migration fix is shared by a call's findings: decided once, for all of them.
        let applied = match applied_fixes.get(fix) {
            Some(&applied) => applied,
            None => {
                let applied = taken.take_all(&fix.edits);
                applied_fixes.insert(fix, applied);
                applied
            }
        };
        if applied {
            fixed_calls.insert(diagnostic.range);
        }
    }
    for leftover in &result.leftover_tokens {
        if leftover.calls.iter().all(|call| fixed_calls.contains(call)) {
            taken.take_all(&leftover.deletions);
        }
    }
    taken.0.into_values().collect()
}

/// Edits chosen so far, by (start, end).
#[derive(Default)]
struct TakenEdits(BTreeMap<(TextSize, TextSize), Edit>);

impl TakenEdits {
    /// Takes all of `edits`, or none when one conflicts with an edit taken before (an edit
    /// already taken, a shared `put` removed by two fixes, is no conflict).
    fn take_all(&mut self, edits: &[Edit]) -> bool {
        let key = |edit: &Edit| (edit.range.start(), edit.range.end());
        let fresh: Vec<&Edit> = edits
            .iter()
            .filter(|edit| self.0.get(&key(edit)) != Some(*edit))
            .collect();
        let conflicts = fresh.iter().any(|edit| {
            self.0
                .range(..(edit.range.end(), TextSize::new(u32::MAX)))
                .rev()
                .take_while(|(_, t)| t.range.end() >= edit.range.start())
                .any(|(_, t)| super::overlaps(t.range, edit.range))
        });
        if conflicts {
            return false;
        }
        for edit in fresh {
            self.0.insert(key(edit), edit.clone());
        }
        true
    }
}

/// `text` with `edits` (sorted, not overlapping) applied. An edit that overlaps the one
/// before it breaks that contract and is left out rather than corrupting the text.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for edit in edits {
        let (start, end) = (usize::from(edit.range.start()), usize::from(edit.range.end()));
        if start < last || end > text.len() {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(&edit.content);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Why the fixed text is worse than the original: a new syntax error or a new finding.
fn regression(text: &str, original: &LintResult, fixed: &LintResult) -> Option<String> {
    let count = |result: &LintResult| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for diagnostic in &result.diagnostics {
            *counts.entry(diagnostic.code).or_default() += 1;
        }
        counts
    };
    let before = count(original);
    let index = LineIndex::new(text);
    for (code, after) in count(fixed) {
        if after > before.get(code).copied().unwrap_or(0) {
            let new = fixed.diagnostics.iter().find(|d| d.code == code)?;
            let at = index.line_col(text, new.range.start());
            return Some(format!(
                "the fixed text would have a new {code} finding at {}:{}: {}",
                at.line, at.column, new.message
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use deluge_syntax::TextRange;

    use super::*;

    #[test]
    fn a_new_syntax_error_or_finding_is_a_regression() {
        let settings = Settings::default();
        let (clean, _) = lint_text("x = 1;\n", &settings);
        let broken_text = "x = = 1;\n";
        let (broken, _) = lint_text(broken_text, &settings);
        let reason = regression(broken_text, &clean, &broken).expect("a regression");
        assert!(
            reason.starts_with("the fixed text would have a new DL000 finding at 1:"),
            "{reason}"
        );
        assert_eq!(regression("x = 1;\n", &broken, &clean), None);
    }

    #[test]
    fn edits_are_applied_in_order_around_untouched_text() {
        let edits = [edit(0, 1, "y"), edit(5, 5, " + 2")];
        assert_eq!(apply_edits("x = 1;", &edits), "y = 1 + 2;");
    }

    #[test]
    fn an_edit_overlapping_the_one_before_is_left_out_not_a_panic() {
        let edits = [edit(0, 4, "y"), edit(2, 3, "z")];
        assert_eq!(apply_edits("x = 1;", &edits), "y1;");
    }

    fn edit(start: u32, end: u32, content: &str) -> Edit {
        Edit {
            range: TextRange::new(start.into(), end.into()),
            content: content.into(),
        }
    }
}
