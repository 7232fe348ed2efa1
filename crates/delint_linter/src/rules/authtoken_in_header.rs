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
    /// No automatic fix yet.
    pub struct AuthtokenInHeader {
        code: "DL003",
        name: "authtoken-in-header",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::None,
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
