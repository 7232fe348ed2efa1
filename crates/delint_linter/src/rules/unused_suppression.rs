use super::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, FixAvailability};

declare_rule! {
    /// ## What it does
    /// Reports a code in a suppression comment that suppresses nothing: no finding of that
    /// code starts on the line it covers (or, for `delint-ignore-file`, anywhere in the file).
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next finding that lands on its line, which is how a
    /// reintroduced authtoken slips through review.
    ///
    /// ## Example
    /// ```deluge
    /// // delint-ignore DL002: the parameters were migrated
    /// r = invokeurl [ url: "https://www.zohoapis.com/crm/v2/Leads" type: GET connection: "zohocrm" ];
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// r = invokeurl [ url: "https://www.zohoapis.com/crm/v2/Leads" type: GET connection: "zohocrm" ];
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix yet; removing the comment would be safe.
    pub struct UnusedSuppression {
        code: "DL902",
        name: "unused-suppression",
        category: Category::Suppression,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A `delint-ignore` comment suppresses nothing.",
    }
}
