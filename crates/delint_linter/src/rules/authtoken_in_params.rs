use super::{CallFacts, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{Category, FixAvailability};

declare_rule! {
    /// ## What it does
    /// Finds HTTP calls whose parameters or body carry an `authtoken`: a map with an
    /// `"authtoken"` key (a map literal, or `put("authtoken", ..)` on the map sent), or form
    /// text containing `authtoken=`.
    ///
    /// ## Why is this bad?
    /// Zoho no longer accepts authtokens, so the call fails; the token is a long-lived secret
    /// kept in the code.
    ///
    /// ## Example
    /// ```deluge
    /// m = Map();
    /// m.put("authtoken", token);
    /// m.put("scope", "creatorapi");
    /// r = postUrl("https://creator.zoho.com/api/xml/write", m);
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// r = invokeurl
    /// [
    ///     url: "https://creator.zoho.com/api/v2/acme/app/form/Orders"
    ///     type: POST
    ///     parameters: data
    ///     connection: "zohocreator"
    /// ];
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the token (and the legacy `scope=`/`"scope"` companion) from what
    /// the call sends, where it is built, and adds `connection: "<name>"`; `getUrl`, `postUrl`
    /// and `invokeUrl()` are rewritten into an `invokeurl` task. It is **safe** only for an
    /// `invokeurl` task whose connection is named in `delint.toml` (`[connections]`). It is
    /// **unsafe** when the connection name is delint's default (it may not exist yet), when a
    /// call is rewritten (the result becomes a map for JSON responses, not text), or when
    /// the endpoint is a v1 API that rejects OAuth too. It is **display-only** when a
    /// variable it would edit is used elsewhere, when the token sits in JSON text, or when
    /// the service is unknown.
    pub struct AuthtokenInParams {
        code: "DL002",
        name: "authtoken-in-params",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::Always,
        summary: "An HTTP call sends a retired Zoho authtoken in its parameters or body.",
    }
}

pub(crate) fn check(facts: &CallFacts) -> Option<Diagnostic> {
    facts.diagnostic(&AuthtokenInParams::META, "in its parameters", &facts.in_params)
}
