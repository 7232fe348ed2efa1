//! delint's diagnostics and fixes in LSP's terms.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use delint_linter::diagnostic::{Diagnostic, Edit, Severity};
use delint_linter::{rules, secrets};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, NumberOrString,
    TextEdit, Url,
};

use crate::document::Document;

/// Where a rule's documentation lives: under `DELINT_DOCS_URL` when delint was built with
/// it set (a published copy of `docs/rules/`), else the generated page in the source tree
/// delint was built from, when it is still there; else nowhere (the hover shows the rule's
/// documentation either way).
pub fn rule_url(code: &str) -> Option<Url> {
    if let Some(base) = option_env!("DELINT_DOCS_URL") {
        return Url::parse(&format!("{}/{code}.md", base.trim_end_matches('/'))).ok();
    }
    static DOCS: OnceLock<Option<PathBuf>> = OnceLock::new();
    let docs = DOCS.get_or_init(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/rules")
            .canonicalize()
            .ok()
    });
    // Every rule has its page there (`tests/rule_pages.rs` keeps them generated).
    Url::from_file_path(docs.as_ref()?.join(format!("{code}.md"))).ok()
}

pub fn diagnostic(uri: &Url, document: &Document, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    // A message may quote code; no token goes out in full, even to the editor.
    let message = secrets::mask_secret_texts(&message, "", &[]);
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), document.range(label.range)),
            message: label.message.clone(),
        })
        .collect();
    let tags = match rules::find(diagnostic.code).map(|rule| rule.name) {
        Some("dead-authtoken") => Some(vec![DiagnosticTag::UNNECESSARY]),
        Some("legacy-http-function") => Some(vec![DiagnosticTag::DEPRECATED]),
        _ => None,
    };
    lsp_types::Diagnostic {
        range: document.range(diagnostic.range),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: rule_url(diagnostic.code).map(|href| CodeDescription { href }),
        source: Some("delint".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags,
        data: None,
    }
}

pub fn text_edits(document: &Document, edits: &[Edit]) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|edit| TextEdit::new(document.range(edit.range), edit.content.clone()))
        .collect()
}
