//! Rules, diagnostics and the semantic model for Deluge.
//!
//! [`lint`] turns a parsed file into diagnostics. This crate knows nothing of files,
//! threads or output formats: the binary owns those.

pub mod diagnostic;
pub mod rule;
pub mod rules;
pub mod secrets;
pub mod semantic;
pub mod services;
mod suppression;

use deluge_syntax::{LineIndex, Parsed, TextRange};

use diagnostic::Diagnostic;
use rules::CallFacts;
use semantic::SemanticModel;

/// The result of linting one source text.
#[derive(Debug, Default)]
pub struct LintResult {
    /// Findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Ranges holding secret values (token literals) that no output may print in full.
    pub secrets: Vec<TextRange>,
}

/// Lints `source`, which `parsed` was parsed from.
pub fn lint(source: &str, parsed: &Parsed<'_>) -> LintResult {
    let index = LineIndex::new(source);
    let mut result = LintResult::default();
    for error in &parsed.errors {
        result.diagnostics.push(Diagnostic {
            code: rules::SYNTAX_ERROR.code,
            name: rules::SYNTAX_ERROR.name,
            severity: rules::SYNTAX_ERROR.severity,
            message: error.message.clone(),
            range: error.range,
            labels: Vec::new(),
            help: None,
            fix: None,
        });
    }
    let model = SemanticModel::build(source, &parsed.file);
    for call in &model.calls {
        if let Some(facts) = CallFacts::new(source, call) {
            rules::check_call(&facts, &mut result.diagnostics);
            result.secrets.extend(facts.secrets.iter().filter(|r| !r.is_empty()));
        }
    }
    result.secrets.extend(secrets::token_shaped(source));
    result.secrets.sort_by_key(|range| (range.start(), range.end()));
    result.secrets.dedup();
    suppression::apply(source, &index, &parsed.comments, &mut result.diagnostics);
    result
        .diagnostics
        .sort_by(|a, b| (a.range.start(), a.code).cmp(&(b.range.start(), b.code)));
    result
}
