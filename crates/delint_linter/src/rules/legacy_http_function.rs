use super::{CallFacts, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{Category, FixAvailability};
use crate::semantic::CallKind;

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
    /// is the same single fix that removes the token.
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
    let help = match facts.zoho_service() {
        Some(_) => "rewrite it as an `invokeurl` task with an OAuth `connection:`",
        None => "rewrite it as an `invokeurl` task",
    };
    Some(Diagnostic::new(&LegacyHttpFunction::META, facts.call.range, message).with_help(help))
}
