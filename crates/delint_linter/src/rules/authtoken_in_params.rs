use super::declare_rule;
use crate::call_facts::CallFacts;
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
    pub struct AuthtokenInParams {
        code: "DL002",
        name: "authtoken-in-params",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes,
        summary: "An HTTP call sends a retired Zoho authtoken in its parameters or body.",
    }
}

pub(crate) fn check(facts: &CallFacts) -> Option<Diagnostic> {
    facts.diagnostic(&AuthtokenInParams::META, "in its parameters", &facts.in_params)
}
