//! What is known about one HTTP call: where a token enters what it sends, what it targets,
//! how else it authenticates, the connection a fix would give it, and the words the
//! authtoken rules say about it. Shared by the rules and the fixes.

use deluge_syntax::{TextRange, TextSize};

use crate::connections::{ChosenConnection, LinkNameOrigin};
use crate::diagnostic::{Diagnostic, Label};
use crate::legacy::{LegacyEndpoint, legacy_endpoint};
use crate::literal::{contents, find_ascii_ci, inner};
use crate::rule::RuleMeta;
use crate::semantic::{CallKind, Entry, HttpCall, Value};
use crate::services::{Service, Target, classify_url, service_from_link_name};

/// One HTTP call, with every place where an authtoken enters what it sends.
pub struct CallFacts<'s> {
    /// The source text the call is in.
    source: &'s str,
    /// The call.
    pub call: &'s HttpCall,
    /// Where it goes.
    pub target: Target,
    /// URL literals carrying an `authtoken=` query parameter.
    pub in_url: Vec<Label>,
    /// `authtoken` keys (or `authtoken=` text) in the parameters or body.
    pub in_params: Vec<Label>,
    /// `Zoho-authtoken` header values.
    pub in_header: Vec<Label>,
    /// Source ranges holding token values, to be redacted in any output.
    pub secrets: Vec<TextRange>,
    /// The v1 endpoint the call targets, which rejects OAuth as well.
    pub legacy: Option<LegacyEndpoint>,
    /// How a Zoho call without a connection already authenticates besides an authtoken
    /// (`an \`Authorization\` header`, `a \`zapikey\``): such a call gets no connection.
    /// `None` for a call that has a connection or does not go to Zoho.
    pub own_credentials: Option<&'static str>,
    /// An `X-HTTP-Method-Override` header entry: the method it names and where it is set.
    pub method_override: Option<(String, Entry)>,
    /// The link name a fix would give the call, chosen over the whole file
    /// ([`crate::connections::LinkNamesInUse`]); `None` until chosen, or when the call goes
    /// to no Zoho service a connection can serve.
    pub connection: Option<ChosenConnection>,
}

impl<'s> CallFacts<'s> {
    /// Inspects `call`. Calls that provably go to a third party are not scanned for Zoho
    /// authtokens: their `authtoken` means something else.
    pub fn new(source: &'s str, call: &'s HttpCall) -> Self {
        let target = target_of(source, call);
        let mut facts = CallFacts {
            source,
            call,
            target,
            in_url: Vec::new(),
            in_params: Vec::new(),
            in_header: Vec::new(),
            secrets: Vec::new(),
            legacy: match target {
                Target::Zoho { dc, .. } => call
                    .url
                    .fragments
                    .first()
                    .and_then(|f| legacy_endpoint(contents(source, f.range), dc)),
                _ => None,
            },
            // Asked only of a Zoho call without a connection: whether it may be given one.
            own_credentials: match target {
                Target::Zoho { .. } if !call.has_connection => own_credentials(source, call),
                _ => None,
            },
            method_override: method_override(source, &call.headers),
            connection: None,
        };
        if target == Target::ThirdParty {
            return facts;
        }
        let fragments = &call.url.fragments;
        for (i, fragment) in fragments.iter().enumerate() {
            if let Some(value) = query_authtoken(source, fragment.range) {
                facts
                    .in_url
                    .push(label(fragment.range, "the authtoken is added to the URL here"));
                facts.secrets.push(value);
                // `"..&authtoken=" + "<token>" + ..` (or `+ token` holding it): the value is
                // the next literal, up to its first `&` — unless that literal is the next of
                // the URLs a list or the branches of an `if` join, which a token never looks
                // like.
                let next_operand = fragments.get(i + 1).filter(|next| {
                    value.is_empty()
                        && (only_a_plus_between(source, fragment.range, next.range)
                            || !contents(source, next.range).contains(['/', '?']))
                });
                if let Some(next) = next_operand {
                    facts.secrets.push(query_value_prefix(source, next.range));
                }
            }
        }
        facts.scan_body(source, &call.body);
        facts.scan_headers(source, &call.headers);
        facts
    }

    /// Whether an authtoken enters the call by any route.
    pub fn sends_authtoken(&self) -> bool {
        !(self.in_url.is_empty() && self.in_params.is_empty() && self.in_header.is_empty())
    }

    /// The text between the quotes of the literal at `range`.
    pub fn literal(&self, range: TextRange) -> &'s str {
        contents(self.source, range)
    }

    /// The request method, as an `X-HTTP-Method-Override` header makes it.
    pub fn effective_method(&self) -> Option<&str> {
        self.method_override
            .as_ref()
            .map(|(method, _)| method.as_str())
            .or(self.call.method.as_deref())
    }

    /// The scopes the call's endpoint needs, for the connections list.
    pub fn scopes(&self, service: Service) -> Vec<String> {
        // A v1 call needs the scopes of the endpoint that replaces it.
        let (url, whole, method) = match &self.legacy {
            Some(endpoint) => (
                endpoint.replacement_url(),
                true,
                endpoint.replacement.split_once(' ').map(|(method, _)| method),
            ),
            None => (
                self.call
                    .url
                    .fragments
                    .first()
                    .map_or("", |f| contents(self.source, f.range)),
                self.call.url.fragments.len() == 1,
                self.effective_method(),
            ),
        };
        crate::scopes::scopes_for(service, url, whole, method)
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect()
    }

    /// The link name the fix writes, or the service's default in words of help.
    pub fn link_name(&self) -> String {
        match (&self.connection, self.zoho_service()) {
            (Some(chosen), _) => chosen.name.clone(),
            (None, Some(service)) => service.default_connection(),
            (None, None) => "<link name>".to_owned(),
        }
    }

    /// Whether the link name is one the code or `delint.toml` already knows.
    pub fn link_name_is_known(&self) -> bool {
        self.connection
            .as_ref()
            .is_some_and(|c| c.origin != LinkNameOrigin::Default)
    }

    /// Where else the URL may go, when its value joins URLs of more than one destination
    /// (`if` branches, a list walked by a loop): another Zoho service than the one the call
    /// is taken to target, or a third party. One connection cannot serve both. Asked only of
    /// calls with a finding (its message, its fix): computed for every call, it cost 0.8%
    /// of a run.
    pub fn other_destination(&self) -> Option<&'static str> {
        let Target::Zoho { service, .. } = self.target else {
            return None;
        };
        self.call
            .url
            .fragments
            .iter()
            .find_map(|fragment| match classify_url(contents(self.source, fragment.range)) {
                Target::Zoho { service: other, .. } if other != service => Some(other.display_name()),
                Target::ThirdParty => Some("a service outside Zoho"),
                _ => None,
            })
    }

    /// The Zoho service the call targets, when known.
    pub fn zoho_service(&self) -> Option<Service> {
        match self.target {
            Target::Zoho { service, .. } if service != Service::OtherZoho => Some(service),
            _ => None,
        }
    }

    fn scan_body(&mut self, source: &str, body: &Value) {
        for entry in body.entries.iter().filter(|e| &*e.key == "authtoken") {
            self.in_params
                .push(label(entry.origin, "the authtoken is put into the parameters here"));
            self.secrets
                .extend(entry.value.fragments.iter().map(|f| inner(f.range)));
        }
        for fragment in &body.fragments {
            if let Some(value) = query_authtoken(source, fragment.range) {
                self.in_params
                    .push(label(fragment.range, "the authtoken is written into the body here"));
                self.secrets.push(value);
            } else if has_json_authtoken_key(contents(source, fragment.range)) {
                self.in_params
                    .push(label(fragment.range, "the authtoken is written into the body here"));
            }
        }
    }

    fn scan_headers(&mut self, source: &str, headers: &Value) {
        for entry in &headers.entries {
            if let Some(secret) = zoho_authtoken_value(source, entry) {
                self.in_header
                    .push(label(entry.origin, "the `Zoho-authtoken` header is set here"));
                self.secrets.extend(secret);
            }
        }
    }

    /// The finding of `rule` for this call, labelled where the token enters by `route`;
    /// `None` when it does not enter that way.
    pub fn diagnostic(&self, rule: &RuleMeta, route: &str, labels: &[Label]) -> Option<Diagnostic> {
        if labels.is_empty() {
            return None;
        }
        Some(
            Diagnostic::new(rule, self.call.range, self.message(route))
                .with_labels(labels.to_vec())
                .with_help(self.help()),
        )
    }

    /// "`getUrl` sends an authtoken {route} to Zoho CRM (US); ..."
    pub fn message(&self, route: &str) -> String {
        let or_other = self
            .other_destination()
            .map(|other| format!(", or to {other}"))
            .unwrap_or_default();
        format!(
            "{} sends an authtoken {route} to {}{or_other}; Zoho no longer accepts authtokens",
            self.call.kind.describe(),
            describe_target(self.target)
        )
    }

    /// What to do: create a connection (with its scopes), use it, revoke the token; or,
    /// for a v1 endpoint, which no connection can help, migrate the call.
    pub fn help(&self) -> String {
        match &self.legacy {
            Some(endpoint) => format!(
                "the {} endpoint accepts no token at all, OAuth included: {}; then revoke the old authtoken",
                endpoint.api,
                endpoint.migration_hint()
            ),
            None => self.connection_help(),
        }
    }

    fn connection_help(&self) -> String {
        let rewrite = match self.call.kind {
            CallKind::InvokeUrlTask | CallKind::InvokeApiTask => "pass",
            _ => "rewrite the call as an `invokeurl` task with",
        };
        match self.target {
            Target::Zoho { service, .. } if service != Service::OtherZoho => {
                let scopes = self.scopes_for_help(service);
                format!(
                    "create an OAuth connection for {}{scopes}, {rewrite} `connection: \"{}\"` instead of the authtoken, then revoke the old authtoken",
                    service.display_name(),
                    self.link_name()
                )
            }
            _ => format!(
                "create an OAuth connection for the Zoho service this URL belongs to, {rewrite} `connection: \"<link name>\"` instead of the authtoken, then revoke the old authtoken"
            ),
        }
    }

    /// ` (scopes: A, B)` from the call's endpoint, or nothing.
    fn scopes_for_help(&self, service: Service) -> String {
        let scopes = self.scopes(service);
        if scopes.is_empty() {
            String::new()
        } else {
            format!(" (scopes: {})", scopes.join(", "))
        }
    }
}

fn label(range: TextRange, message: &str) -> Label {
    Label {
        range,
        message: message.to_owned(),
    }
}

fn describe_target(target: Target) -> String {
    match target {
        Target::Zoho { service, dc: Some(dc) } => format!("{} ({} data centre)", service.display_name(), dc.as_str()),
        Target::Zoho { service, dc: None } => service.display_name().to_owned(),
        Target::ThirdParty | Target::Unknown => "a host delint cannot determine".to_owned(),
    }
}

/// Where the call goes: a literal URL start decides; `invokeapi` names its service.
fn target_of(source: &str, call: &HttpCall) -> Target {
    if let Some(service) = &call.api_service {
        // `invokeapi` names the service, never the data centre.
        return Target::Zoho {
            service: service_from_link_name(service),
            dc: None,
        };
    }
    let mut third_party = false;
    for fragment in &call.url.fragments {
        match classify_url(contents(source, fragment.range)) {
            zoho @ Target::Zoho { .. } => return zoho,
            Target::ThirdParty => third_party = true,
            Target::Unknown => {}
        }
    }
    if third_party {
        Target::ThirdParty
    } else {
        Target::Unknown
    }
}

/// If the literal holds an `authtoken=` query parameter, the range of its value (possibly
/// empty, when the value is concatenated after the literal).
pub(crate) fn query_authtoken(source: &str, literal: TextRange) -> Option<TextRange> {
    let text = contents(source, literal);
    let mut from = 0;
    while let Some(found) = find_ascii_ci(&text[from..], "authtoken=") {
        let at = from + found;
        let starts_parameter = at == 0 || matches!(text.as_bytes()[at - 1], b'?' | b'&');
        if starts_parameter {
            let value_start = at + "authtoken=".len();
            let value_end = text[value_start..].find('&').map_or(text.len(), |i| value_start + i);
            let base = inner(literal).start();
            return Some(TextRange::new(
                base + TextSize::new(value_start as u32),
                base + TextSize::new(value_end as u32),
            ));
        }
        from = at + 1;
    }
    None
}

/// Whether JSON text (possibly with escaped quotes, `{\"authtoken\":..`) has an `authtoken` key.
fn has_json_authtoken_key(text: &str) -> bool {
    let unescaped = text.replace('\\', "");
    let mut rest = unescaped.as_str();
    while let Some(at) = find_ascii_ci(rest, "\"authtoken\"") {
        let after = &rest[at + "\"authtoken\"".len()..];
        if after.trim_start().starts_with(':') || after.trim_start().is_empty() {
            return true;
        }
        rest = after;
    }
    false
}

/// Whether only a `+` (and blanks) stands between the literals `a` and `b`: the next operand
/// of the same concatenation.
fn only_a_plus_between(source: &str, a: TextRange, b: TextRange) -> bool {
    a.end() <= b.start() && source[TextRange::new(a.end(), b.start())].trim() == "+"
}

/// The part of a literal before its first `&`, without quotes.
fn query_value_prefix(source: &str, literal: TextRange) -> TextRange {
    let text = contents(source, literal);
    let end = text.find('&').unwrap_or(text.len());
    TextRange::at(inner(literal).start(), TextSize::new(end as u32))
}

/// If a header entry's value holds `Zoho-authtoken`, the ranges of the token text after it.
fn zoho_authtoken_value(source: &str, entry: &Entry) -> Option<Vec<TextRange>> {
    let mut hit = false;
    let mut secrets = Vec::new();
    for fragment in &entry.value.fragments {
        let text = contents(source, fragment.range);
        if let Some(at) = find_ascii_ci(text, "zoho-authtoken") {
            hit = true;
            let value_start = at + "zoho-authtoken".len();
            let token = text[value_start..].trim_start();
            if !token.is_empty() {
                let start = inner(fragment.range).start() + TextSize::new((text.len() - token.len()) as u32);
                secrets.push(TextRange::at(start, TextSize::of(token)));
            }
        }
    }
    hit.then_some(secrets)
}

/// How a Zoho call authenticates without an authtoken: an `Authorization` header that is
/// not `Zoho-authtoken` (`Zoho-oauthtoken`, `Bearer`, `Basic`), a `zapikey`, an
/// `access_token` parameter or a Creator custom API's `publickey`. Adding a connection to
/// such a call would send two credentials; it keeps its own.
fn own_credentials(source: &str, call: &HttpCall) -> Option<&'static str> {
    let header = call.headers.entries.iter().any(|e| {
        &*e.key == "authorization"
            && !e
                .value
                .fragments
                .iter()
                .any(|f| find_ascii_ci(contents(source, f.range), "zoho-authtoken").is_some())
    });
    if header {
        return Some("its own `Authorization` header");
    }
    let in_text = |marker: &str| {
        call.url
            .fragments
            .iter()
            .chain(&call.body.fragments)
            .any(|f| find_ascii_ci(contents(source, f.range), marker).is_some())
    };
    let in_entries = |key: &str| call.body.entries.iter().any(|e| &*e.key == key);
    if in_text("zapikey=") || in_entries("zapikey") || in_text("auth_type=apikey") {
        return Some("a `zapikey`");
    }
    if in_text("access_token=") || in_entries("access_token") {
        return Some("an `access_token` parameter");
    }
    // A Creator custom API set to public-key authentication takes its key in the URL.
    if in_text("publickey=") || in_entries("publickey") {
        return Some("the custom API's `publickey`");
    }
    None
}

/// `X-HTTP-Method-Override: PUT` (or `DELETE`, `PATCH`) as a literal header entry.
fn method_override(source: &str, headers: &Value) -> Option<(String, Entry)> {
    let entry = headers.entries.iter().find(|e| &*e.key == "x-http-method-override")?;
    let [only] = entry.value.fragments.as_slice() else {
        return None;
    };
    let method = contents(source, only.range).trim().to_ascii_uppercase();
    ["PUT", "PATCH", "DELETE", "GET", "POST"]
        .contains(&method.as_str())
        .then(|| (method, entry.clone()))
}
