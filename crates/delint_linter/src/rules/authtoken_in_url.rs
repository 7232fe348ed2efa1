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
    /// No automatic fix yet. Removing the parameter and adding `connection:` keeps the
    /// request's meaning only when a connection with the right scopes exists.
    pub struct AuthtokenInUrl {
        code: "DL001",
        name: "authtoken-in-url",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "An HTTP call sends a retired Zoho authtoken in its URL.",
    }
}

pub(crate) fn check(facts: &CallFacts) -> Option<Diagnostic> {
    facts.diagnostic(&AuthtokenInUrl::META, "in the URL", &facts.in_url)
}
