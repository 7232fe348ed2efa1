use super::declare_rule;
use crate::call_facts::CallFacts;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{Category, FixAvailability};

declare_rule! {
    /// ## What it does
    /// Finds HTTP calls (`invokeurl`, `getUrl`, `postUrl`, Creator's `invokeUrl()`) whose URL
    /// carries an `authtoken` query parameter, however the URL is built: a literal, a
    /// concatenation, or a variable assembled over several statements.
    ///
    /// ## Why is this bad?
    /// Zoho retired authtokens: Desk from November 2020, CRM functions from May 2021, and
    /// Books, Invoice, Subscriptions and Inventory from August 2021. The call fails, and the
    /// token itself is a long-lived secret sitting in the code.
    ///
    /// ## Example
    /// ```deluge
    /// token = zoho.crm.getOrgVariable("authtoken");
    /// resp = getUrl("https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=" + token + "&scope=crmapi");
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// resp = invokeurl
    /// [
    ///     url: "https://www.zohoapis.com/crm/v2/Leads"
    ///     type: GET
    ///     connection: "zohocrm"
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
    pub struct AuthtokenInUrl {
        code: "DL001",
        name: "authtoken-in-url",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes,
        summary: "An HTTP call sends a retired Zoho authtoken in its URL.",
    }
}

pub(crate) fn check(facts: &CallFacts) -> Option<Diagnostic> {
    facts.diagnostic(&AuthtokenInUrl::META, "in the URL", &facts.in_url)
}
