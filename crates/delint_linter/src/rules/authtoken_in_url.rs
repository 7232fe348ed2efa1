use super::{CallFacts, declare_rule};
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
    /// and `invokeUrl()` are rewritten into an `invokeurl` task. It is **safe** only for an
    /// `invokeurl` task whose connection is named in `delint.toml` (`[connections]`). It is
    /// **unsafe** when the connection name is delint's default (it may not exist yet), when a
    /// call is rewritten (the result becomes a map for JSON responses, not text), or when
    /// the endpoint is a v1 API that rejects OAuth too. It is **display-only** when a
    /// variable it would edit is used elsewhere, when the token sits in JSON text, or when
    /// the service is unknown.
    pub struct AuthtokenInUrl {
        code: "DL001",
        name: "authtoken-in-url",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::Always,
        summary: "An HTTP call sends a retired Zoho authtoken in its URL.",
    }
}

pub(crate) fn check(facts: &CallFacts) -> Option<Diagnostic> {
    facts.diagnostic(&AuthtokenInUrl::META, "in the URL", &facts.in_url)
}
