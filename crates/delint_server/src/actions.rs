//! Code actions (a quick fix per fixable finding, a suppression comment, fix-all on save)
//! and hovers (the rule's documentation).

use std::collections::HashMap;
use std::path::Path;

use delint_container::Container;
use delint_linter::LintResult;
use delint_linter::diagnostic::{Applicability, Diagnostic};
use delint_linter::fix::apply::fix_source;
use delint_linter::rules;
use delint_linter::settings::Settings;
use delint_linter::syntax_index::{indentation_at, line_ending};
use deluge_syntax::{TextRange, TextSize};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Hover, HoverContents, MarkupContent, MarkupKind,
    Position, Range, TextEdit, Url, WorkspaceEdit,
};

use crate::FIX_ALL_KIND;
use crate::convert;
use crate::document::Document;

pub fn code_actions(
    uri: &Url,
    document: &Document,
    settings: &Settings,
    result: &LintResult,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let only = params.context.only.as_deref();
    let wants = |kind: &str| {
        only.is_none_or(|kinds| {
            kinds
                .iter()
                .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
        })
    };
    let mut actions = Vec::new();
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        let requested = document.text_range(params.range);
        for diagnostic in result.diagnostics.iter().filter(|d| touches(d.range, requested)) {
            let lsp_diagnostic = convert::diagnostic(uri, document, diagnostic);
            if let Some(action) = quick_fix(uri, document, diagnostic, &lsp_diagnostic) {
                actions.push(CodeActionOrCommand::CodeAction(action));
            }
            if diagnostic.code != rules::UNREADABLE_FILE.code {
                actions.push(CodeActionOrCommand::CodeAction(suppression(
                    uri,
                    document,
                    diagnostic,
                    lsp_diagnostic,
                )));
            }
        }
    }
    if wants(FIX_ALL_KIND)
        && let Some(action) = fix_all(uri, document, settings)
    {
        actions.push(CodeActionOrCommand::CodeAction(action));
    }
    actions
}

/// Whether a finding lies in (or, for an empty request, at) the requested range.
fn touches(range: TextRange, requested: TextRange) -> bool {
    range.intersect(requested).is_some() || range.contains_inclusive(requested.start())
}

/// Applies the finding's fix; display-only fixes are not offered.
fn quick_fix(
    uri: &Url,
    document: &Document,
    diagnostic: &Diagnostic,
    lsp: &lsp_types::Diagnostic,
) -> Option<CodeAction> {
    let fix = diagnostic.fix.as_ref()?;
    let safety = match fix.applicability {
        Applicability::Safe => "safe fix",
        Applicability::Unsafe => "unsafe fix: review it",
        Applicability::DisplayOnly => return None,
    };
    Some(CodeAction {
        title: format!("{} ({safety}): {}", diagnostic.code, first_sentence(&fix.message)),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp.clone()]),
        edit: Some(edit(uri, convert::text_edits(document, &fix.edits))),
        is_preferred: Some(fix.applicability == Applicability::Safe),
        ..CodeAction::default()
    })
}

/// `// delint-ignore CODE: <reason>` on its own line above the finding.
fn suppression(uri: &Url, document: &Document, diagnostic: &Diagnostic, lsp: lsp_types::Diagnostic) -> CodeAction {
    let line = lsp.range.start.line;
    let line_start = document.index.line_start(line as usize).unwrap_or(TextSize::new(0));
    let indent = indentation_at(&document.text, line_start);
    let comment = format!(
        "{indent}// delint-ignore {}: <reason>{}",
        diagnostic.code,
        line_ending(&document.text)
    );
    let at = Position::new(line, 0);
    CodeAction {
        title: format!("Suppress {} on this line with a comment", diagnostic.code),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp]),
        edit: Some(edit(uri, vec![TextEdit::new(Range::new(at, at), comment)])),
        ..CodeAction::default()
    }
}

/// Every safe fix, as the engine applies them (rounds, conflicts, regression check); never
/// an unsafe one, so fix-on-save cannot change what the code does.
fn fix_all(uri: &Url, document: &Document, settings: &Settings) -> Option<CodeAction> {
    let fixed = match delint_container::sniff(Path::new(uri.path()), &document.text) {
        Container::CreatorApp(scripts) => {
            delint_container::fix_app(&document.text, &scripts, settings, Applicability::Safe).fixed
        }
        _ => fix_source(&document.text, settings, Applicability::Safe),
    };
    if fixed.text == document.text || fixed.rejected.is_some() {
        return None;
    }
    let whole = Range::new(Position::new(0, 0), document.end());
    Some(CodeAction {
        title: format!("Apply delint's safe fixes ({})", fixed.fixed),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(edit(uri, vec![TextEdit::new(whole, fixed.text)])),
        ..CodeAction::default()
    })
}

fn edit(uri: &Url, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// A fix message up to its parenthesised reasons, for a menu entry.
fn first_sentence(message: &str) -> &str {
    message.split(" (").next().unwrap_or(message)
}

/// The documentation of every rule reported at `position`.
pub fn hover(document: &Document, result: &LintResult, position: Position) -> Option<Hover> {
    let offset = document.offset(position);
    let mut codes: Vec<&str> = result
        .diagnostics
        .iter()
        .filter(|d| d.range.contains_inclusive(offset))
        .map(|d| d.code)
        .collect();
    codes.dedup();
    let sections: Vec<String> = codes
        .iter()
        .filter_map(|code| rules::find(code))
        .map(|rule| format!("### {} {}\n\n{}", rule.code, rule.name, rule.markdown()))
        .collect();
    (!sections.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n---\n\n"),
        }),
        range: None,
    })
}
