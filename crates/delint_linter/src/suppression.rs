//! `// delint-ignore DL001: reason` (on the line before, or at the end of, the offending
//! line) and `// delint-ignore-file DL001: reason` (anywhere). A reason is required; a
//! suppression that suppresses nothing is reported.

use deluge_syntax::lexer::Comment;
use std::cell::OnceCell;

use deluge_syntax::{LineIndex, TextRange};

use crate::diagnostic::Diagnostic;
use crate::rule_selection::RuleSet;
use crate::rules::{SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION};

/// One suppression comment.
#[derive(Debug)]
struct Suppression {
    range: TextRange,
    codes: Vec<String>,
    /// The 0-based line it applies to; `None` for the whole file.
    line: Option<u32>,
    has_reason: bool,
    used: Vec<bool>,
}

/// Drops suppressed diagnostics and adds findings about the suppressions themselves.
/// A code whose rule is not enabled cannot be known to be unused, so it is not reported.
/// Returns the suppressed diagnostics.
pub fn apply(
    source: &str,
    index: &OnceCell<LineIndex>,
    comments: &[Comment],
    enabled: RuleSet,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut suppressions: Vec<Suppression> = comments
        .iter()
        .filter(|c| !c.is_block)
        .filter_map(|c| parse(source, index, c.range))
        .collect();
    if suppressions.is_empty() {
        return Vec::new();
    }
    let index = index.get_or_init(|| LineIndex::new(source));
    let mut suppressed_diagnostics = Vec::new();
    diagnostics.retain(|diagnostic| {
        let line = index.line_col(source, diagnostic.range.start()).line - 1;
        let mut suppressed = false;
        for suppression in suppressions.iter_mut() {
            if suppression.line.is_some_and(|l| l != line) {
                continue;
            }
            for (code, used) in suppression.codes.iter().zip(suppression.used.iter_mut()) {
                if code.eq_ignore_ascii_case(diagnostic.code) {
                    *used = true;
                    suppressed = true;
                }
            }
        }
        if suppressed {
            suppressed_diagnostics.push(diagnostic.clone());
        }
        !suppressed
    });
    for suppression in &suppressions {
        if !suppression.has_reason {
            diagnostics.push(meta_diagnostic(
                &SUPPRESSION_WITHOUT_REASON,
                suppression.range,
                "this suppression gives no reason".to_owned(),
                "write why the finding does not apply after a colon: `// delint-ignore DL001: reason`",
            ));
        }
        for (code, used) in suppression.codes.iter().zip(&suppression.used) {
            if !used && is_enabled(enabled, code) {
                diagnostics.push(meta_diagnostic(
                    &UNUSED_SUPPRESSION,
                    suppression.range,
                    format!("`{code}` is suppressed here but reports nothing"),
                    "remove the code from the comment",
                ));
            }
        }
    }
    suppressed_diagnostics
}

/// A suppression comment; the line index is built for the first one (most files have none).
fn parse(source: &str, index: &OnceCell<LineIndex>, range: TextRange) -> Option<Suppression> {
    let text = source[range].trim_start_matches('/').trim();
    let (whole_file, rest) = if let Some(rest) = text.strip_prefix("delint-ignore-file") {
        (true, rest)
    } else {
        (false, text.strip_prefix("delint-ignore")?)
    };
    let (codes, reason) = rest.split_once(':').unwrap_or((rest, ""));
    let codes: Vec<String> = codes
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    let line = if whole_file {
        None
    } else {
        let index = index.get_or_init(|| LineIndex::new(source));
        let comment_line = index.line_col(source, range.start()).line - 1;
        let line_start = index.line_start(comment_line as usize).unwrap_or_default();
        let code_before = !source[TextRange::new(line_start, range.start())].trim().is_empty();
        Some(if code_before { comment_line } else { comment_line + 1 })
    };
    Some(Suppression {
        range,
        used: vec![false; codes.len()],
        codes,
        line,
        has_reason: !reason.trim().is_empty(),
    })
}

/// Whether `code` names an enabled rule; unknown codes are reported as unused.
fn is_enabled(enabled: RuleSet, code: &str) -> bool {
    match crate::rules::find(code) {
        Some(rule) => enabled.contains(rule.code),
        None => true,
    }
}

fn meta_diagnostic(rule: &crate::rule::RuleMeta, range: TextRange, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(rule, range, message).with_help(help)
}
