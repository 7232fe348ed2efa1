use deluge_syntax::TextRange;
use deluge_syntax::ast::{Expr, ExprKind, StmtKind};

use super::declare_rule;
use crate::LintResult;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::list_edits::remove_list_items;
use crate::literal::find_ascii_ci;
use crate::rule::{Category, FixAvailability};
use crate::syntax_index::{StmtEntry, SyntaxIndex, statement_deletion, unparenthesised};
use crate::token_uses::{CallRanges, holds_only_a_token, is_legacy_scope, shared_use};

declare_rule! {
    /// ## What it does
    /// Finds what is left of an authtoken after a manual migration: a map entry
    /// (`m.put("authtoken", t)`, `{"authtoken": t}`) in a map that is never sent or read,
    /// and a variable or org-variable fetch that only carried the token and is now read
    /// nowhere else.
    ///
    /// ## Why is this bad?
    /// Dead code that looks alive: the next reader thinks the token still matters, keeps
    /// the org variable holding a secret, or wires the map back into a call.
    ///
    /// ## Example
    /// ```deluge
    /// token = zoho.crm.getOrgVariable("authtoken");
    /// params = Map();
    /// params.put("authtoken", token);
    /// resp = invokeurl
    /// [
    ///     url: "https://www.zohoapis.com/crm/v2/Leads"
    ///     type: GET
    ///     connection: "zohocrm"
    /// ];
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
    /// The fix deletes the entry (with its legacy `scope` companion) or the variable's
    /// assignments, and is **safe**: nothing reads them, and fetching an org variable has
    /// no side effect. The org variable itself, in Zoho's settings, is for you to delete.
    pub struct DeadAuthtoken {
        code: "DL021",
        name: "dead-authtoken",
        category: Category::Deprecated,
        severity: Severity::Warning,
        fix: FixAvailability::Always,
        summary: "An authtoken variable or map entry that nothing sends any more.",
    }
}

/// An authtoken entry of a map that goes nowhere: what to delete and what it reads.
struct DeadEntry {
    /// The `put` statement or the map-literal entry.
    range: TextRange,
    /// The edits removing it (and its `scope` companion).
    edits: Vec<Edit>,
    map: String,
}

/// Run only when the file's code says `authtoken`: every dead entry or variable does.
pub(crate) fn check(source: &str, syntax: &SyntaxIndex, out: &mut LintResult) {
    let entries = dead_entries(source, syntax);
    for entry in &entries {
        out.diagnostics.push(diagnostic(
            entry.range,
            format!("an authtoken is put into `{}`, which is never sent or read", entry.map),
            "delete the entry; the call that used this map now authorises itself another way",
            entry.edits.clone(),
            "Delete the authtoken entry",
        ));
    }
    dead_variables(source, syntax, &entries, out);
}

fn diagnostic(range: TextRange, message: String, help: &str, edits: Vec<Edit>, fix: &str) -> Diagnostic {
    let mut edits = edits;
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    edits.dedup();
    Diagnostic::new(&DeadAuthtoken::META, range, message)
        .with_help(help)
        .with_fix(Fix {
            message: fix.to_owned(),
            edits,
            applicability: Applicability::Safe,
        })
}

/// `m.put("authtoken", ..)` statements and `m = {"authtoken": ..}` entries whose map `m` is
/// never read except to be filled.
fn dead_entries(source: &str, syntax: &SyntaxIndex) -> Vec<DeadEntry> {
    let mut dead = Vec::new();
    for stmt in &syntax.stmts {
        match &stmt.stmt.kind {
            StmtKind::Expr(expr) => {
                let Some((map, key, _)) = put_call(expr) else {
                    continue;
                };
                if !key.eq_ignore_ascii_case("authtoken") || !is_dead_map(syntax, stmt, map) {
                    continue;
                }
                let mut edits = vec![deletion(source, stmt.stmt.range)];
                edits.extend(scope_companions(source, syntax, stmt.scope, map));
                dead.push(DeadEntry {
                    range: stmt.stmt.range,
                    edits,
                    map: map.to_owned(),
                });
            }
            StmtKind::Assign { target, value, .. } => {
                let (ExprKind::Ident(map), ExprKind::Map(entries)) = (&target.kind, &unparenthesised(value).kind)
                else {
                    continue;
                };
                if !is_dead_map(syntax, stmt, map) {
                    continue;
                }
                let dropped: Vec<bool> = entries
                    .iter()
                    .map(|e| literal_key(&e.key).is_some_and(|k| is_auth_key(k, &e.value, source)))
                    .collect();
                let ranges: Vec<TextRange> = entries.iter().map(|e| e.range()).collect();
                let edits: Vec<Edit> = remove_list_items(&ranges, &dropped)
                    .into_iter()
                    .map(|range| Edit {
                        range,
                        content: String::new(),
                    })
                    .collect();
                for (entry, _) in entries
                    .iter()
                    .zip(&dropped)
                    .filter(|(e, d)| **d && literal_key(&e.key).is_some_and(|k| k.eq_ignore_ascii_case("authtoken")))
                {
                    dead.push(DeadEntry {
                        range: entry.range(),
                        edits: edits.clone(),
                        map: (*map).to_owned(),
                    });
                }
            }
            _ => {}
        }
    }
    dead
}

/// `"authtoken"`, or a `"scope"` holding a legacy value.
fn is_auth_key(key: &str, value: &Expr, source: &str) -> bool {
    key.eq_ignore_ascii_case("authtoken")
        || (key.eq_ignore_ascii_case("scope")
            && matches!(&value.kind, ExprKind::String(_))
            && is_legacy_scope(crate::literal::contents(source, value.range)))
}

/// The map's `put("scope", "<legacy>")` statements, which go with the token.
fn scope_companions(source: &str, syntax: &SyntaxIndex, scope: usize, map: &str) -> Vec<Edit> {
    syntax
        .stmts
        .iter()
        .filter(|s| s.scope == scope)
        .filter_map(|s| match &s.stmt.kind {
            StmtKind::Expr(expr) => {
                let (target, key, value) = put_call(expr)?;
                (target == map && is_auth_key(key, value, source) && !key.eq_ignore_ascii_case("authtoken"))
                    .then(|| deletion(source, s.stmt.range))
            }
            _ => None,
        })
        .collect()
}

/// `map.put("key", value)`.
fn put_call<'e, 'a>(expr: &'e Expr<'a>) -> Option<(&'a str, &'a str, &'e Expr<'a>)> {
    let ExprKind::Call { callee, args, .. } = &expr.kind else {
        return None;
    };
    let ExprKind::Member { object, name } = &callee.kind else {
        return None;
    };
    let ExprKind::Ident(map) = object.kind else { return None };
    let [key, value] = args.as_slice() else { return None };
    if !name.text.eq_ignore_ascii_case("put") {
        return None;
    }
    Some((map, literal_key(key.value)?, value.value))
}

fn literal_key<'a>(expr: &Expr<'a>) -> Option<&'a str> {
    match &expr.kind {
        ExprKind::String(s) | ExprKind::SingleQuoted(s) => Some(s.contents()),
        _ => None,
    }
}

fn is_dead_map(syntax: &SyntaxIndex, stmt: &StmtEntry, map: &str) -> bool {
    shared_use(syntax, stmt.scope, map, &CallRanges::default()).is_none()
}

fn deletion(source: &str, statement: TextRange) -> Edit {
    Edit {
        range: statement_deletion(source, statement),
        content: String::new(),
    }
}

/// Variables that only carry a token (`t = zoho.crm.getOrgVariable("authtoken")`, a
/// variable named after it) and are read only by dead entries. A hex literal under another
/// name may be anything (a hash, an ID); DL020 reports it if it is a credential.
fn dead_variables(source: &str, syntax: &SyntaxIndex, entries: &[DeadEntry], out: &mut LintResult) {
    let mut done: Vec<(usize, &str)> = Vec::new();
    for stmt in &syntax.stmts {
        let StmtKind::Assign { target, value, .. } = &stmt.stmt.kind else {
            continue;
        };
        let ExprKind::Ident(name) = target.kind else { continue };
        if done.contains(&(stmt.scope, name)) || !holds_only_a_token(&stmt.stmt.kind) {
            continue;
        }
        let fetches_token = is_token_fetch(source, value);
        let named_token = find_ascii_ci(name, "authtoken").is_some();
        if !(named_token || fetches_token) {
            continue;
        }
        done.push((stmt.scope, name));
        let in_dead_entry = |range: TextRange| entries.iter().find(|e| e.range.contains_range(range));
        let mut edits = Vec::new();
        let mut live = false;
        for read in syntax.reads(stmt.scope, name) {
            match in_dead_entry(read.expr.range) {
                Some(entry) => edits.extend(entry.edits.iter().cloned()),
                None => live = true,
            }
        }
        if live {
            continue;
        }
        let assignments: Vec<_> = syntax.assignments(stmt.scope, name).collect();
        if !assignments.iter().all(|s| holds_only_a_token(&s.kind)) {
            continue;
        }
        edits.extend(assignments.iter().map(|s| deletion(source, s.range)));
        let what = if fetches_token {
            format!("`{name}` fetches an authtoken that is no longer sent anywhere")
        } else {
            format!("`{name}` holds an authtoken that is no longer sent anywhere")
        };
        out.diagnostics.push(diagnostic(
            stmt.stmt.range,
            what,
            "delete it, and the org variable or secret it came from once no function needs it",
            edits,
            &format!("Delete `{name}`"),
        ));
    }
}

/// `zoho.crm.getOrgVariable("authtoken")` and the like.
fn is_token_fetch(source: &str, value: &Expr) -> bool {
    matches!(&value.kind, ExprKind::Call { callee, .. }
        if matches!(&callee.kind, ExprKind::Member { name, .. } if name.text.eq_ignore_ascii_case("getOrgVariable")))
        && find_ascii_ci(&source[value.range], "authtoken").is_some()
}
