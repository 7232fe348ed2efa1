//! What a rule reports: a diagnostic with labels, help and an optional fix.

use deluge_syntax::TextRange;

use crate::rule::RuleMeta;
pub use crate::rule::Severity;
use crate::services::Service;

/// A secondary location with a short message: where a token enters what is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub range: TextRange,
    /// What happens there, in a few words.
    pub message: String,
}

/// How safe it is to apply a fix without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Shown, never applied automatically.
    DisplayOnly,
    /// Applied with `--unsafe-fixes`: may change behaviour.
    Unsafe,
    /// Applied with `--fix`: keeps the code's meaning.
    Safe,
}

/// Replace `range` with `content`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The replaced range of the original text (empty for an insertion).
    pub range: TextRange,
    /// The new text.
    pub content: String,
}

/// A set of non-overlapping edits, sorted by position, that resolves one diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, in one sentence.
    pub message: String,
    /// The edits, sorted by start and not overlapping.
    pub edits: Vec<Edit>,
    /// Whether it may be applied automatically.
    pub applicability: Applicability,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's code, e.g. `DL001`.
    pub code: &'static str,
    /// The rule's kebab-case name, e.g. `authtoken-in-url`.
    pub name: &'static str,
    /// How serious.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending construct.
    pub range: TextRange,
    /// Related places.
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// A fix, when one is known.
    pub fix: Option<Fix>,
    /// The Zoho service the offending call targets, when the finding is about a call.
    pub service: Option<Service>,
}

impl Diagnostic {
    /// A finding of `rule` at `range`, at the rule's severity, with no labels, help or fix.
    pub fn new(rule: &RuleMeta, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            message: message.into(),
            range,
            labels: Vec::new(),
            help: None,
            fix: None,
            service: None,
        }
    }

    /// With what to do about it.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// With related places.
    pub fn with_labels(mut self, labels: Vec<Label>) -> Diagnostic {
        self.labels = labels;
        self
    }

    /// With a fix.
    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }
}
