use super::declare_rule;
use crate::call_facts::CallFacts;
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
    /// and `invokeUrl()` are rewritten into an `invokeurl` task. The link name is the one the
    /// same function or file already uses for the service, else the one `delint.toml` names
    /// (`[connections]`), else delint's default. A call with its own credentials (an OAuth
    /// `Authorization` header, a `zapikey`) keeps them and gets no connection; a call to a
    /// retired v1 API (DL011) gets no fix at all, since no connection can make it work.
    ///
    /// It is **safe** only for an `invokeurl` task whose link name the code or
    /// `delint.toml` already knows. It is **unsafe** with delint's default name (the
    /// connection may not exist yet) or when a call is rewritten (an `invokeurl` task returns
    /// a map for JSON responses: `.toString()` is added where the result is used as text,
    /// and other uses are named). It is **display-only** when a variable it would edit is
    /// used elsewhere, when the token sits in JSON text, when the service is unknown, when the
    /// call's statement (or one it would edit) has a syntax error, and when a rewritten call
    /// would have to move out of a place that runs conditionally: an `else if` condition,
    /// the right of `&&`/`||`, a branch of `if(c, a, b)`, or after another request in the
    /// same statement. A variable that only held the token is deleted by the fix that stops
    /// reading it; one read by several calls only when all of their fixes are applied.
    pub struct AuthtokenInHeader {
        code: "DL003",
        name: "authtoken-in-header",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes,
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
