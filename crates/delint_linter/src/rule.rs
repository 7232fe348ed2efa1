//! Rule metadata: what `delint rules` lists and `delint rule CODE` explains.

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth a look.
    Warning,
    /// Will fail at run time, or leaks a secret.
    Error,
}

impl Severity {
    /// `warning` / `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Broad families of rules, selectable as a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// Code that will fail at run time.
    Correctness,
    /// Secrets and credentials.
    Security,
    /// Deprecated APIs.
    Deprecated,
    /// The source does not parse.
    Syntax,
    /// Suppression comments themselves.
    Suppression,
    /// The file could not be read as Deluge text.
    Io,
}

impl Category {
    /// Every category, for listings and selectors.
    pub const ALL: [Category; 6] = [
        Category::Correctness,
        Category::Security,
        Category::Deprecated,
        Category::Syntax,
        Category::Suppression,
        Category::Io,
    ];

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Deprecated => "deprecated",
            Category::Syntax => "syntax",
            Category::Suppression => "suppression",
            Category::Io => "io",
        }
    }
}

/// Whether a rule offers fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    /// Never.
    None,
    /// For some findings.
    Sometimes,
    /// For every finding.
    Always,
}

/// Everything known about a rule except how it checks.
#[derive(Clone, Copy, Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `DL001`.
    pub code: &'static str,
    /// Kebab-case name describing the problem.
    pub name: &'static str,
    /// Its family.
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// Whether it offers fixes.
    pub fix: FixAvailability,
    /// One line for listings.
    pub summary: &'static str,
    /// The full documentation in Markdown (the rule file's doc comment).
    pub doc: &'static str,
}

impl RuleMeta {
    /// The documentation as Markdown, without the doc comment's leading spaces.
    pub fn markdown(&self) -> String {
        let lines: Vec<&str> = self
            .doc
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect();
        lines.join("\n").trim().to_owned() + "\n"
    }
}
