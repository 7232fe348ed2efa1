use super::{CallFacts, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{Category, FixAvailability};

declare_rule! {
    /// ## What it does
    /// Finds HTTP calls that send an `Authorization: Zoho-authtoken ...` header, from a map
    /// literal or from `put` calls on the header map that is sent.
    ///
    /// ## Why is this bad?
    /// Desk API v1, Books/Invoice v3 and Projects accepted `Zoho-authtoken` headers; Zoho has
    /// retired authtokens, so the call fails, and the token is a secret kept in the code.
    ///
    /// ## Example
    /// ```deluge
    /// h = Map();
    /// h.put("Authorization", "Zoho-authtoken " + token);
    /// h.put("orgId", deskOrgId);
    /// r = getUrl("https://desk.zoho.com/api/v1/tickets", h);
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// r = invokeurl
    /// [
    ///     url: "https://desk.zoho.com/api/v1/tickets"
    ///     type: GET
    ///     headers: {"orgId": deskOrgId}
    ///     connection: "zohodesk"
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
    pub struct AuthtokenInHeader {
        code: "DL003",
        name: "authtoken-in-header",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::Always,
        summary: "An HTTP call sends a retired Zoho authtoken in a `Zoho-authtoken` header.",
    }
}

pub(crate) fn check(facts: &CallFacts) -> Option<Diagnostic> {
    facts.diagnostic(
        &AuthtokenInHeader::META,
        "in a `Zoho-authtoken` header",
        &facts.in_header,
    )
}
