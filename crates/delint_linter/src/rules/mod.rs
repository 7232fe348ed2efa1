//! The rules, one per file, and the table that maps codes to them.

mod authtoken_in_header;
mod authtoken_in_params;
mod authtoken_in_url;
mod dead_authtoken;
mod hardcoded_credential;
mod legacy_api_endpoint;
mod legacy_http_function;
mod missing_connection;
mod suppression_without_reason;
mod syntax_error;
mod unreadable_file;
mod unused_suppression;

use crate::LintResult;
use crate::call_facts::CallFacts;
use crate::diagnostic::Diagnostic;
use crate::rule::RuleMeta;
use crate::semantic::SemanticModel;
use crate::syntax_index::LazySyntaxIndex;

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
pub use dead_authtoken::DeadAuthtoken;
pub use hardcoded_credential::HardcodedCredential;
pub use legacy_api_endpoint::LegacyApiEndpoint;
pub use legacy_http_function::LegacyHttpFunction;
pub use missing_connection::MissingConnection;
pub use suppression_without_reason::SuppressionWithoutReason;
pub use syntax_error::SyntaxError;
pub use unreadable_file::UnreadableFile;
pub use unused_suppression::UnusedSuppression;

/// Syntax errors are reported as diagnostics of their own code.
pub const SYNTAX_ERROR: RuleMeta = SyntaxError::META;
/// A suppression comment without a reason.
pub const SUPPRESSION_WITHOUT_REASON: RuleMeta = SuppressionWithoutReason::META;
/// A suppression that suppresses nothing.
pub const UNUSED_SUPPRESSION: RuleMeta = UnusedSuppression::META;
/// A file that could not be read; reported by whoever reads files, never by [`crate::lint`].
pub const UNREADABLE_FILE: RuleMeta = UnreadableFile::META;

/// Every rule, in code order.
pub const ALL: &[RuleMeta] = &[
    SYNTAX_ERROR,
    AuthtokenInUrl::META,
    AuthtokenInParams::META,
    AuthtokenInHeader::META,
    LegacyHttpFunction::META,
    LegacyApiEndpoint::META,
    MissingConnection::META,
    HardcodedCredential::META,
    DeadAuthtoken::META,
    UNREADABLE_FILE,
    SUPPRESSION_WITHOUT_REASON,
    UNUSED_SUPPRESSION,
];

/// The rule with `code` (case-insensitive) or kebab `name`.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    ALL.iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// Runs the rules that look at one HTTP call.
pub(crate) fn check_call(facts: &CallFacts, source: &str, out: &mut Vec<Diagnostic>) {
    out.extend(authtoken_in_url::check(facts));
    out.extend(authtoken_in_params::check(facts));
    out.extend(authtoken_in_header::check(facts));
    out.extend(legacy_http_function::check(facts));
    out.extend(legacy_api_endpoint::check(facts, source));
    out.extend(missing_connection::check(facts, source));
}

/// Runs the rules that look at the whole file.
pub(crate) fn check_file(
    source: &str,
    syntax: &LazySyntaxIndex,
    model: &SemanticModel,
    targets: &[crate::services::Target],
    tokens: &[deluge_syntax::lexer::Token],
    mentions: crate::mentions::Mentions,
    out: &mut LintResult,
) {
    hardcoded_credential::check(source, tokens, syntax, model, targets, mentions, out);
    if mentions.contains(crate::mentions::Word::Authtoken) {
        dead_authtoken::check(source, syntax.get(), out);
    }
}

/// The findings one call's migration fix resolves: the token removed, a connection added,
/// a legacy function rewritten, a CRM v1 call migrated into its task (DL011). One fix per
/// call, so they never conflict.
pub(crate) fn takes_migration_fix(code: &str) -> bool {
    matches!(code, "DL001" | "DL002" | "DL003" | "DL010" | "DL011" | "DL012")
}
