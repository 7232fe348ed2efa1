//! The rules, one per file, and the table that maps codes to them.

mod authtoken;
mod authtoken_in_header;
mod authtoken_in_params;
mod authtoken_in_url;

pub use authtoken::CallFacts;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{Category, FixAvailability, RuleMeta};

/// Declares a rule: a unit struct whose doc comment becomes [`RuleMeta::doc`].
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            category: $category:expr,
            severity: $severity:expr,
            fix: $fix:expr,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// The rule's metadata.
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                code: $code,
                name: $kebab,
                category: $category,
                severity: $severity,
                fix: $fix,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

pub use authtoken_in_header::AuthtokenInHeader;
pub use authtoken_in_params::AuthtokenInParams;
pub use authtoken_in_url::AuthtokenInUrl;

/// Syntax errors are reported as diagnostics of their own code.
pub const SYNTAX_ERROR: RuleMeta = RuleMeta {
    code: "DL000",
    name: "syntax-error",
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The source does not parse; delint still checks what it could read.",
    doc: " The file has a syntax error. delint recovers and checks the rest of the file, but the\n Deluge editor will reject it.\n",
};

/// A suppression comment without a reason.
pub const SUPPRESSION_WITHOUT_REASON: RuleMeta = RuleMeta {
    code: "DL901",
    name: "suppression-without-reason",
    category: Category::Suppression,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "A `delint-ignore` comment must say why: `// delint-ignore DL001: reason`.",
    doc: " A suppression comment has no reason after the codes. Write one, so the next reader\n knows why the finding does not apply: `// delint-ignore DL001: calls a sandbox mock`.\n",
};

/// A suppression that suppresses nothing.
pub const UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    code: "DL902",
    name: "unused-suppression",
    category: Category::Suppression,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "A `delint-ignore` comment suppresses nothing.",
    doc: " A suppression comment names a code that reports nothing on its line (or, for\n `delint-ignore-file`, in the file). Remove it, so it cannot hide a future finding.\n",
};

/// Every rule, in code order.
pub const ALL: &[RuleMeta] = &[
    SYNTAX_ERROR,
    AuthtokenInUrl::META,
    AuthtokenInParams::META,
    AuthtokenInHeader::META,
    SUPPRESSION_WITHOUT_REASON,
    UNUSED_SUPPRESSION,
];

/// The rule with `code` (case-insensitive) or kebab `name`.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    ALL.iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// Runs the authtoken rules over one call.
pub(crate) fn check_call(facts: &CallFacts, out: &mut Vec<Diagnostic>) {
    out.extend(authtoken_in_url::check(facts));
    out.extend(authtoken_in_params::check(facts));
    out.extend(authtoken_in_header::check(facts));
}
