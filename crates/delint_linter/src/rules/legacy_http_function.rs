use super::declare_rule;
use crate::call_facts::CallFacts;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{Category, FixAvailability};
use crate::semantic::CallKind;
use crate::services::Service;

declare_rule! {
    /// ## What it does
    /// Finds the deprecated HTTP functions `getUrl(..)`, `postUrl(..)` and Creator's
    /// `invokeUrl(..)`, whatever host they call.
    ///
    /// ## Why is this bad?
    /// Zoho deprecated them in favour of the `invokeurl` task, which alone can use an OAuth
    /// connection, send any method, and return the status code and headers. Calls to Zoho
    /// APIs through them cannot be authorised any more.
    ///
    /// ## Example
    /// ```deluge
    /// rates = getUrl("https://api.exchangerate.host/latest?base=EUR");
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// rates = invokeurl
    /// [
    ///     url: "https://api.exchangerate.host/latest?base=EUR"
    ///     type: GET
    /// ];
    /// ```
    ///
    /// ## Fix safety
    /// The fix rewrites the call into an `invokeurl` task (mapping every argument form:
    /// headers, body, `false` for a detailed response), adding `connection:` for Zoho
    /// hosts. It is **unsafe**: an `invokeurl` task returns a map for JSON responses where
    /// the function returned text. When the call also sends an authtoken (DL001–DL003), this
    /// is the same single fix that removes the token. A call to a retired v1 API (DL011) gets
    /// no rewrite: it would still fail, so it is left to be migrated by hand.
    pub struct LegacyHttpFunction {
        code: "DL010",
        name: "legacy-http-function",
        category: Category::Deprecated,
        severity: Severity::Warning,
        fix: FixAvailability::Sometimes,
        summary: "`getUrl`, `postUrl` and `invokeUrl()` are deprecated; use the `invokeurl` task.",
    }
}

pub(crate) fn check(facts: &CallFacts) -> Option<Diagnostic> {
    let name = match facts.call.kind {
        CallKind::GetUrl => "getUrl",
        CallKind::PostUrl => "postUrl",
        CallKind::InvokeUrlFunction => "invokeUrl",
        CallKind::InvokeUrlTask | CallKind::InvokeApiTask => return None,
    };
    let message = format!("`{name}()` is deprecated: Zoho supports only the `invokeurl` task for new code");
    let help = match (&facts.legacy, facts.zoho_service()) {
        (None, Some(Service::Accounts)) if refreshes_a_token(facts) => {
            "this refreshes an OAuth access token by hand: delete the refresh and give the calls that send the token a `connection:` instead (Zoho refreshes a connection's token itself)".to_owned()
        }
        (None, Some(_)) if facts.own_credentials.is_some() => format!(
            "rewrite it as an `invokeurl` task; it authenticates with {}, which it keeps (no connection is added: Zoho would get two credentials)",
            facts.own_credentials.unwrap_or_default()
        ),
        (Some(endpoint), _) => format!(
            "it calls {}, which accepts no token at all: {} instead of rewriting it as is",
            endpoint.api,
            endpoint.migration_hint()
        ),
        (None, Some(_)) => "rewrite it as an `invokeurl` task with an OAuth `connection:`".to_owned(),
        (None, None) => "rewrite it as an `invokeurl` task".to_owned(),
    };
    Some(Diagnostic::new(&LegacyHttpFunction::META, facts.call.range, message).with_help(help))
}

/// A request to the OAuth server's token endpoint (`accounts.zoho.*/oauth/v2/token`).
fn refreshes_a_token(facts: &CallFacts) -> bool {
    facts
        .call
        .url
        .fragments
        .first()
        .is_some_and(|f| crate::literal::find_ascii_ci(facts.literal(f.range), "/oauth/v2/token").is_some())
}
