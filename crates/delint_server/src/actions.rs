//! Code actions (a quick fix per fixable finding, a suppression comment, fix-all on save)
//! and hovers (the rule's documentation).

use std::collections::HashMap;
use std::path::Path;

use delint_container::Container;
use delint_linter::LintResult;
use delint_linter::diagnostic::{Applicability, Diagnostic, Fix};
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
    let container = delint_container::sniff(Path::new(uri.path()), &document.text);
    // A JSON export and a Markdown document are never rewritten (their findings' fixes are
    // shown only), and a comment in a JSON export would break the JSON.
    let pasted_with_fences = matches!(container, Container::Deluge)
        && deluge_syntax::with_thread_arena(|arena| {
            let parsed = deluge_syntax::parse(&document.text, arena);
            delint_container::fenced_deluge(&document.text, &parsed).is_some()
        });
    if pasted_with_fences || !matches!(container, Container::Deluge | Container::CreatorApp(_)) {
        return Vec::new();
    }
    let mut actions = Vec::new();
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        let requested = document.text_range(params.range);
        let here: Vec<(&Diagnostic, lsp_types::Diagnostic)> = result
            .diagnostics
            .iter()
            .filter(|d| touches(d.range, requested))
            .map(|d| (d, convert::diagnostic(uri, document, d)))
            .collect();
        actions.extend(quick_fixes(uri, document, &here));
        for (diagnostic, lsp_diagnostic) in here {
            if diagnostic.code != rules::UNREADABLE_FILE.code {
                actions.push(suppression(uri, document, diagnostic, lsp_diagnostic));
            }
        }
    }
    if wants(FIX_ALL_KIND)
        && let Some(action) = fix_all(uri, document, settings, container)
    {
        actions.push(action);
    }
    actions.into_iter().map(CodeActionOrCommand::CodeAction).collect()
}

/// One action per distinct fix: rules that fire on one call share its fix (DL001 and
/// DL010 both rewrite a `getUrl`), which is offered once, for all of their diagnostics.
fn quick_fixes(uri: &Url, document: &Document, here: &[(&Diagnostic, lsp_types::Diagnostic)]) -> Vec<CodeAction> {
    let mut actions: Vec<(&Fix, CodeAction)> = Vec::new();
    for (diagnostic, lsp_diagnostic) in here {
        let Some(fix) = diagnostic.fix.as_ref() else { continue };
        if let Some((_, action)) = actions.iter_mut().find(|(seen, _)| seen.edits == fix.edits) {
            action
                .diagnostics
                .get_or_insert_with(Vec::new)
                .push(lsp_diagnostic.clone());
        } else if let Some(action) = quick_fix(uri, document, fix, lsp_diagnostic.clone()) {
            actions.push((fix, action));
        }
    }
    actions.into_iter().map(|(_, action)| action).collect()
}

/// Whether a finding lies in (or, for an empty request, at) the requested range.
fn touches(range: TextRange, requested: TextRange) -> bool {
    range.intersect(requested).is_some() || range.contains_inclusive(requested.start())
}

/// Applies a fix, titled by what it does; display-only fixes are not offered.
fn quick_fix(uri: &Url, document: &Document, fix: &Fix, lsp: lsp_types::Diagnostic) -> Option<CodeAction> {
    let safety = match fix.applicability {
        Applicability::Safe => "safe fix",
        Applicability::Unsafe => "unsafe fix: review it",
        Applicability::DisplayOnly => return None,
    };
    Some(CodeAction {
        title: format!("{} ({safety})", first_sentence(&fix.message)),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp]),
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
/// an unsafe one, so fix-on-save cannot change what the code does. The edits are the
/// changed lines only, so the cursor and marks elsewhere stay where they were.
fn fix_all(uri: &Url, document: &Document, settings: &Settings, container: Container) -> Option<CodeAction> {
    let fixed = match container {
        Container::CreatorApp(scripts) => {
            delint_container::fix_app(&document.text, &scripts, settings, Applicability::Safe).fixed
        }
        _ => fix_source(&document.text, settings, Applicability::Safe),
    };
    if fixed.text == document.text || fixed.rejected.is_some() {
        return None;
    }
    Some(CodeAction {
        title: format!("Apply delint's safe fixes ({})", fixed.fixed),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(edit(uri, minimal_edits(document, &fixed.text))),
        ..CodeAction::default()
    })
}

/// The edits that turn the document into `fixed`: one per changed run of lines.
pub fn minimal_edits(document: &Document, fixed: &str) -> Vec<TextEdit> {
    let diff = similar::TextDiff::from_lines(document.text.as_str(), fixed);
    let old_lines: Vec<usize> = line_starts(&document.text);
    let new_lines: Vec<usize> = line_starts(fixed);
    diff.grouped_ops(0)
        .into_iter()
        .flatten()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .map(|op| {
            let (old, new) = (op.old_range(), op.new_range());
            let start = TextSize::new(old_lines[old.start] as u32);
            let end = TextSize::new(old_lines[old.end] as u32);
            let text = &fixed[new_lines[new.start]..new_lines[new.end]];
            TextEdit::new(document.range(TextRange::new(start, end)), text.to_owned())
        })
        .collect()
}

/// The offset each line starts at, and the text's end: `starts[n]..starts[n + 1]` is
/// line `n` with its line ending, as `similar` splits lines.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < text.len()));
    starts.push(text.len());
    starts
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
