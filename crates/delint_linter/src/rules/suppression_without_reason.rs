use super::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, FixAvailability};

declare_rule! {
    /// ## What it does
    /// Reports a `// delint-ignore` or `// delint-ignore-file` comment with no reason after
    /// its codes. The suppression still applies.
    ///
    /// ## Why is this bad?
    /// A silenced authtoken finding is a call that may fail in production. The next reader
    /// (or auditor) needs to know why it is safe to ignore.
    ///
    /// ## Example
    /// ```deluge
    /// // delint-ignore DL001
    /// r = invokeurl [ url: "https://www.zohoapis.com/crm/v2/Leads?authtoken=" + tok type: GET ];
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// // delint-ignore DL001: answered by the mock server in the test portal
    /// r = invokeurl [ url: "https://www.zohoapis.com/crm/v2/Leads?authtoken=" + tok type: GET ];
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the reason has to come from a person.
    pub struct SuppressionWithoutReason {
        code: "DL901",
        name: "suppression-without-reason",
        category: Category::Suppression,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A `delint-ignore` comment must say why: `// delint-ignore DL001: reason`.",
    }
}
