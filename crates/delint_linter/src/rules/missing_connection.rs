use super::declare_rule;
use crate::call_facts::CallFacts;
use crate::diagnostic::{Diagnostic, Severity};
use crate::literal::{contents, find_ascii_ci};
use crate::rule::{Category, FixAvailability};
use crate::semantic::CallKind;
use crate::services::Service;

declare_rule! {
    /// ## What it does
    /// Finds `invokeurl` tasks that call a Zoho API host (`www.zohoapis.<dc>`,
    /// `<service>.zoho.<dc>`, `*.zohocloud.ca`, ...) with neither a `connection:` nor an
    /// `Authorization` header — typically what is left after an authtoken was deleted by
    /// hand.
    ///
    /// Calls that authenticate another way are not reported: a `zapikey` (API-key functions
    /// and Flow webhooks), an `Authorization` header, headers delint cannot see into, and
    /// public `zohopublic` hosts.
    ///
    /// ## Why is this bad?
    /// Zoho APIs answer such a request with 401: nothing authorises it.
    ///
    /// ## Example
    /// ```deluge
    /// deal = invokeurl
    /// [
    ///     url: "https://www.zohoapis.com/crm/v2/Deals/" + dealId
    ///     type: GET
    /// ];
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// deal = invokeurl
    /// [
    ///     url: "https://www.zohoapis.com/crm/v2/Deals/" + dealId
    ///     type: GET
    ///     connection: "zohocrm"
    /// ];
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `connection: "<name>"`, named as for the authtoken fixes (the link name
    /// the function or file already uses for the service, then `delint.toml`, then the
    /// default): **safe** when the code or `delint.toml` names it, **unsafe** with delint's
    /// default name (the connection may not exist yet), **display-only** when the service
    /// cannot be told from the URL.
    pub struct MissingConnection {
        code: "DL012",
        name: "missing-connection",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes,
        summary: "An `invokeurl` to a Zoho API has no connection and no Authorization header: it gets 401.",
    }
}

pub(crate) fn check(facts: &CallFacts, source: &str) -> Option<Diagnostic> {
    let call = facts.call;
    if call.kind != CallKind::InvokeUrlTask || call.has_connection || facts.sends_authtoken() {
        return None;
    }
    let service = facts.zoho_service().filter(|s| *s != Service::Accounts)?;
    // Headers from somewhere delint cannot follow may well authorise the call.
    let opaque_headers = call.has_headers && call.headers.entries.is_empty();
    let public = call
        .url
        .fragments
        .first()
        .is_some_and(|f| find_ascii_ci(contents(source, f.range), ".zohopublic.").is_some());
    if facts.own_credentials.is_some() || opaque_headers || public {
        return None;
    }
    let message = format!(
        "`invokeurl` calls {} with neither `connection:` nor an `Authorization` header; Zoho will answer 401",
        service.display_name()
    );
    let help = format!(
        "create an OAuth connection for {} and add `connection: \"{}\"` to the task",
        service.display_name(),
        facts.link_name()
    );
    Some(Diagnostic::new(&MissingConnection::META, call.range, message).with_help(help))
}
