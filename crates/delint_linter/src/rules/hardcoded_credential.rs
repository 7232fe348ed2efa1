use deluge_syntax::ast::{ExprKind, StmtKind};
use deluge_syntax::lexer::{Token, TokenKind};
use deluge_syntax::{TextRange, TextSize};

use super::declare_rule;
use crate::LintResult;
use crate::diagnostic::{Diagnostic, Severity};
use crate::literal::{contents, find_ascii_ci, inner};
use crate::mentions::{Mentions, Word};
use crate::rule::{Category, FixAvailability};
use crate::semantic::SemanticModel;
use crate::services::{Service, Target, classify_url};
use crate::syntax_index::{LazySyntaxIndex, SyntaxIndex};

declare_rule! {
    /// ## What it does
    /// Finds credentials written into the code:
    /// - OAuth tokens (`1000.<hex>.<hex>`), e.g. a literal `Zoho-oauthtoken 1000.…` header;
    /// - OAuth `client_secret` and `refresh_token` values, and authorization `code` grants,
    ///   in URLs, form text, maps and variables named after them;
    /// - 32-hex-digit authtokens assigned to variables, put under an `authtoken` key, or
    ///   stored in org variables;
    /// - a hand-rolled token refresh: a request to `accounts.zoho.<dc>/oauth/v2/token`.
    ///
    /// Values are masked in every output. A 32-hex literal that only a third-party call
    /// uses (Twilio's `auth_token`, say) is not reported.
    ///
    /// ## Why is this bad?
    /// Anyone who can read the function (every admin, every export, every repository it
    /// is copied to) can act as its owner. A refresh token or client secret never expires
    /// on its own. An OAuth connection keeps the credential in Zoho's vault and refreshes
    /// it for you.
    ///
    /// ## Example
    /// ```deluge
    /// headers = Map();
    /// headers.put("Authorization", "Zoho-oauthtoken 1000.0000aaaa1111bbbb2222cccc3333dddd.4444eeee5555ffff6666aaaa7777bbbb");
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// r = invokeurl
    /// [
    ///     url: "https://www.zohoapis.com/crm/v2/Leads"
    ///     type: GET
    ///     connection: "zohocrm"
    /// ];
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a leaked credential must be revoked by a person, and the code
    /// that used it moved to a connection.
    pub struct HardcodedCredential {
        code: "DL020",
        name: "hardcoded-credential",
        category: Category::Security,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A token, client secret or refresh token is written into the code.",
    }
}

const REVOKE: &str = "revoke it now (it is exposed to everyone who can read this code), then use an OAuth connection (`connection: \"<link name>\"`) instead of storing credentials";

/// One credential found: where to report it, what it is, and the secret text to mask.
struct Found {
    at: TextRange,
    what: &'static str,
    secret: TextRange,
}

/// `targets`: where each of `model.calls` goes, worked out once per file by the caller;
/// `tokens`: the file's, to look for an authtoken literal before walking the tree.
pub(crate) fn check(
    source: &str,
    tokens: &[Token],
    syntax: &LazySyntaxIndex,
    model: &SemanticModel,
    targets: &[Target],
    mentions: Mentions,
    out: &mut LintResult,
) {
    let mut found: Vec<Found> = Vec::new();
    if might_hold_credentials(mentions) || quotes_an_authtoken(source, tokens) {
        let syntax = syntax.get();
        literal_credentials(source, syntax, &mut found);
        keyed_credentials(source, syntax, model, targets, &mut found);
    }
    found.sort_by_key(|f| (f.secret.start(), f.at.start()));
    found.dedup_by(|later, earlier| later.secret.intersect(earlier.secret).is_some());
    // One finding per place, naming everything found there.
    found.sort_by_key(|f| (f.at.start(), f.secret.start()));
    for group in found.chunk_by(|a, b| a.at == b.at) {
        out.secrets.extend(group.iter().map(|f| f.secret));
        let mut whats: Vec<&str> = group.iter().map(|f| f.what).collect();
        whats.dedup();
        let message = match whats.as_slice() {
            [one] => format!("{one} is written into the code"),
            [init @ .., last] => format!("{} and {last} are written into the code", init.join(", ")),
            [] => continue,
        };
        out.diagnostics.push(diagnostic(group[0].at, message, REVOKE));
    }
    for call in &model.calls {
        if is_token_refresh(source, call.url.fragments.first().map(|f| f.range)) {
            out.diagnostics.push(diagnostic(
                call.range,
                "this function refreshes an OAuth access token by hand (`accounts.zoho…/oauth/v2/token`)".to_owned(),
                "use an OAuth connection on the calls that need the token (Zoho refreshes it); then delete the self client and revoke its refresh token",
            ));
        }
    }
}

fn diagnostic(range: TextRange, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(&HardcodedCredential::META, range, message).with_help(help)
}

/// Whether the code says a word a credential comes with, before any walk of the tree.
/// Authtokens need no word: each path that reports one needs an [`authtoken_literal`],
/// which [`quotes_an_authtoken`] looks for among the tokens.
fn might_hold_credentials(mentions: Mentions) -> bool {
    mentions.any(&[
        Word::OauthTokenPrefix,
        Word::Secret,
        Word::Refresh,
        Word::AuthorizationCode,
    ])
}

/// OAuth tokens anywhere in a literal, and secrets in query or form text.
fn literal_credentials(source: &str, syntax: &SyntaxIndex, found: &mut Vec<Found>) {
    for entry in &syntax.exprs {
        let ExprKind::String(_) = entry.expr.kind else { continue };
        let literal = entry.expr.range;
        let text = contents(source, literal);
        let base = inner(literal).start();
        let at =
            |start: usize, len: usize| TextRange::at(base + TextSize::new(start as u32), TextSize::new(len as u32));
        for start in oauth_tokens(text) {
            let what = if find_ascii_ci(text, "zoho-oauthtoken").is_some() {
                "a `Zoho-oauthtoken` header with a literal access token"
            } else {
                "an OAuth token (`1000.…`)"
            };
            found.push(Found {
                at: literal,
                what,
                secret: at(start, OAUTH_TOKEN_LEN),
            });
        }
        // Query and form secrets are `name=value`: most literals have no `=` at all.
        if memchr::memchr(b'=', text.as_bytes()).is_none() {
            continue;
        }
        let authorization_code = find_ascii_ci(text, "grant_type=authorization_code").is_some();
        for (parameter, what) in QUERY_SECRETS {
            if *parameter == "code=" && !authorization_code {
                continue;
            }
            if let Some((start, len)) = query_value(text, parameter) {
                found.push(Found {
                    at: literal,
                    what,
                    secret: at(start, len),
                });
            }
        }
    }
}

/// Query parameters (with their `=`) that carry secrets.
const QUERY_SECRETS: &[(&str, &str)] = &[
    ("client_secret=", "an OAuth `client_secret`"),
    ("refresh_token=", "an OAuth `refresh_token`"),
    ("code=", "an OAuth authorization `code`"),
];

/// Secrets under a telling name: map keys, variables, org variables.
fn keyed_credentials(
    source: &str,
    syntax: &SyntaxIndex,
    model: &SemanticModel,
    targets: &[Target],
    found: &mut Vec<Found>,
) {
    // Each call with where it goes and which function it is in.
    let calls: Vec<(TextRange, Target, Option<usize>)> = model
        .calls
        .iter()
        .zip(targets)
        .map(|(call, target)| (call.range, *target, syntax.stmt_containing(call.range).map(|s| s.scope)))
        .collect();
    for entry in &syntax.exprs {
        match &entry.expr.kind {
            ExprKind::Call { callee, args, .. } => {
                let ExprKind::Member { name, .. } = &callee.kind else {
                    continue;
                };
                if name.is("put")
                    && let [key, value] = args.as_slice()
                {
                    keyed_value(source, &key.value.kind, value.value.range, found);
                } else if ends_with_ascii_ci(name.text, "orgvariable") {
                    for arg in args {
                        if let Some(secret) = authtoken_literal(source, arg.value.range) {
                            found.push(Found {
                                at: arg.value.range,
                                what: "an authtoken stored in an org variable",
                                secret,
                            });
                        }
                    }
                }
            }
            ExprKind::Map(entries) => {
                for map_entry in entries {
                    keyed_value(source, &map_entry.key.kind, map_entry.value.range, found);
                }
            }
            _ => {}
        }
    }
    let mut normal = String::new();
    for stmt in &syntax.stmts {
        let StmtKind::Assign { target, value, .. } = &stmt.stmt.kind else {
            continue;
        };
        let ExprKind::Ident(name) = target.kind else { continue };
        normal.clear();
        normal.extend(name.chars().filter(|c| *c != '_').map(|c| c.to_ascii_lowercase()));
        if let Some(what) = secret_named(&normal)
            && let Some(secret) = non_empty_literal(source, value.range)
        {
            found.push(Found {
                at: value.range,
                what,
                secret,
            });
        } else if let Some(secret) = authtoken_literal(source, value.range)
            && !is_hash_name(&normal)
            && !only_third_parties_use(syntax, &calls, stmt.scope, name)
        {
            found.push(Found {
                at: value.range,
                what: "an authtoken",
                secret,
            });
        }
    }
}

/// `put("client_secret", "..")`, `{"refresh_token": ".."}`, `put("authtoken", "<hex>")`.
fn keyed_value(source: &str, key: &ExprKind, value: TextRange, found: &mut Vec<Found>) {
    let (ExprKind::String(key) | ExprKind::SingleQuoted(key)) = key else {
        return;
    };
    let key: String = key
        .contents()
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(what) = secret_named(&key)
        && let Some(secret) = non_empty_literal(source, value)
    {
        found.push(Found {
            at: value,
            what,
            secret,
        });
    } else if key == "authtoken"
        && let Some(secret) = authtoken_literal(source, value)
    {
        found.push(Found {
            at: value,
            what: "an authtoken",
            secret,
        });
    }
}

/// What a name (lower case, without `_`) says a value is.
fn secret_named(normal: &str) -> Option<&'static str> {
    match normal {
        "clientsecret" => Some("an OAuth `client_secret`"),
        "refreshtoken" => Some("an OAuth `refresh_token`"),
        _ => None,
    }
}

fn ends_with_ascii_ci(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len() && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

fn is_hash_name(normal: &str) -> bool {
    ["md5", "hash", "checksum", "etag", "digest", "uuid", "guid"]
        .iter()
        .any(|word| normal.contains(word))
}

/// The inside of a double-quoted literal at `range` with some text in it.
fn non_empty_literal(source: &str, range: TextRange) -> Option<TextRange> {
    let raw = &source[range];
    (raw.len() > 2 && raw.starts_with('"') && raw.ends_with('"') && !raw[1..raw.len() - 1].trim().is_empty())
        .then(|| inner(range))
}

/// Whether one of `tokens` is an [`authtoken_literal`]: a pass over the tokens, cheaper
/// than the walk of the tree that finds where one is used.
fn quotes_an_authtoken(source: &str, tokens: &[Token]) -> bool {
    tokens
        .iter()
        .any(|token| token.kind == TokenKind::String && authtoken_literal(source, token.range).is_some())
}

/// A literal that is exactly a 32-hex-digit token.
fn authtoken_literal(source: &str, range: TextRange) -> Option<TextRange> {
    // `"` and 32 digits and `"`: the length rules out nearly every literal at once.
    if usize::from(range.len()) != 34 {
        return None;
    }
    let secret = non_empty_literal(source, range)?;
    let text = &source[secret];
    (text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()) && text.bytes().any(|b| b.is_ascii_digit()))
        .then_some(secret)
}

/// Whether the variable's function makes third-party calls and no Zoho call, or the
/// variable is read inside a third-party call: then the hex string is someone else's key.
fn only_third_parties_use(
    syntax: &SyntaxIndex,
    calls: &[(TextRange, Target, Option<usize>)],
    scope: usize,
    name: &str,
) -> bool {
    let in_scope = || calls.iter().filter(|(_, _, s)| *s == Some(scope));
    let read_by_third_party = syntax.reads(scope, name).any(|read| {
        in_scope().any(|(range, target, _)| *target == Target::ThirdParty && range.contains_range(read.expr.range))
    });
    let any_zoho = in_scope().any(|(_, t, _)| matches!(t, Target::Zoho { .. }));
    let any_third = in_scope().any(|(_, t, _)| *t == Target::ThirdParty);
    read_by_third_party || (any_third && !any_zoho)
}

/// `1000.` + 32 hex + `.` + 32 hex.
const OAUTH_TOKEN_LEN: usize = 5 + 32 + 1 + 32;

/// Where OAuth tokens start in `text`.
fn oauth_tokens(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let hex = |from: usize| {
        bytes
            .get(from..from + 32)
            .is_some_and(|run| run.iter().all(u8::is_ascii_hexdigit))
    };
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("1000.") {
        let start = from + found;
        let boundary = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        if boundary && hex(start + 5) && bytes.get(start + 37) == Some(&b'.') && hex(start + 38) {
            starts.push(start);
        }
        from = start + 5;
    }
    starts
}

/// The value of query parameter `needle` (`name=`) in `text`, when it is written there (not
/// appended from a variable): its start and length.
fn query_value(text: &str, needle: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = find_ascii_ci(&text[from..], needle) {
        let at = from + found;
        let starts_parameter = at == 0 || matches!(text.as_bytes()[at - 1], b'?' | b'&');
        if starts_parameter {
            let start = at + needle.len();
            let len = text[start..].find('&').unwrap_or(text.len() - start);
            return (len > 0).then_some((start, len));
        }
        from = at + 1;
    }
    None
}

/// A request to Zoho's OAuth token endpoint.
fn is_token_refresh(source: &str, url: Option<TextRange>) -> bool {
    let Some(url) = url else { return false };
    let text = contents(source, url);
    // The path first: it rules out almost every call without lower-casing the URL.
    find_ascii_ci(text, "/oauth/v2/token").is_some()
        && matches!(
            classify_url(text),
            Target::Zoho {
                service: Service::Accounts,
                ..
            }
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_tokens_need_both_halves() {
        let token = format!("1000.{}.{}", "a1".repeat(16), "b2".repeat(16));
        assert_eq!(oauth_tokens(&format!("Zoho-oauthtoken {token}")), [16]);
        assert!(oauth_tokens("1000.abc.def").is_empty());
        assert!(oauth_tokens(&format!("x1000.{}.{}", "a1".repeat(16), "b2".repeat(16))).is_empty());
    }

    #[test]
    fn a_quoted_authtoken_is_seen_among_the_tokens_and_other_literals_are_not() {
        let quotes = |source: &str| quotes_an_authtoken(source, &deluge_syntax::lexer::lex(source).tokens);
        let token = "3b3c0f6d1e2a4b5c6d7e8f9012345678";
        assert!(quotes(&format!("t = \"{token}\";")));
        assert!(quotes(&format!("m.put(\"authtoken\",\"{}\")", token.to_uppercase())));
        for source in [
            format!("t = \"{token}x\";"),
            format!("t = \"x{token}\";"),
            format!("t = \"{}\";", &token[1..]),
            format!("t = \"{}g\";", &token[1..]),
            format!("t = \"{}\";", &"abcdef".repeat(6)[..32]),
            format!("t = '{token}';"),
            format!("// \"{token}\""),
            format!("/* \"{token}\" */"),
            format!("t = {token};"),
            "\"".to_owned(),
            String::new(),
        ] {
            assert!(!quotes(&source), "{source}");
        }
    }

    #[test]
    fn query_values_written_in_the_literal() {
        assert_eq!(query_value("?client_secret=abc&x=1", "client_secret="), Some((15, 3)));
        assert_eq!(
            query_value("&client_secret=", "client_secret="),
            None,
            "appended from a variable"
        );
        assert_eq!(query_value("?my_client_secret=abc", "client_secret="), None);
    }
}
