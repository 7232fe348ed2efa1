//! The fix shared by DL001–DL003: take the authtoken out of everything one call sends and
//! make the call use an OAuth connection instead.
//!
//! The plan is built in two phases. [`plan_call`] removes the token routes of one call (URL
//! parameters, map entries, `put` statements, header entries), adds `connection:` to an
//! `invokeurl`/`invokeapi` task or rewrites `getUrl`/`postUrl`/`invokeUrl()` into one, and
//! decides how safe that is. [`remove_leftover_tokens`] then deletes variables that only fed
//! the removed routes, once every route that reads them is being removed.

use std::collections::HashMap;

use deluge_syntax::TextRange;
use deluge_syntax::ast::{ExprKind, StmtKind};

use super::invokeurl;
use super::query::{self, Mode, Piece};
use crate::call_facts::CallFacts;
use crate::connections::LinkNameOrigin;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::list_edits::remove_list_items;
use crate::semantic::{CallKind, Entry, Value};
use crate::services::{Service, Target};
use crate::settings::Settings;
use crate::syntax_index::{SyntaxIndex, statement_deletion};
use crate::token_uses::holds_only_a_token;

/// What every plan needs to know about the file.
pub struct FixContext<'s, 'e, 'a> {
    /// The source text.
    pub source: &'s str,
    /// Its syntax.
    pub index: &'s SyntaxIndex<'e, 'a>,
    /// Connection names.
    pub settings: &'s Settings,
    /// Every call being migrated.
    pub offending: &'s crate::token_uses::CallRanges,
    /// Line starts, for messages naming a line.
    pub lines: &'s deluge_syntax::LineIndex,
    /// How the file indents one level (worked out once: it reads the whole file).
    pub indent_unit: &'static str,
    /// The file's line ending.
    pub eol: &'static str,
    /// The ranges of the file's syntax errors: no edit may touch a statement holding one.
    pub syntax_errors: &'s [TextRange],
}

impl FixContext<'_, '_, '_> {
    /// Whether the statement spanning `range` overlaps a syntax error.
    pub fn is_broken(&self, range: TextRange) -> bool {
        self.syntax_errors
            .iter()
            .any(|e| e.intersect(range).is_some() || range.contains_inclusive(e.start()))
    }
}

/// A fix under construction.
pub struct Plan {
    /// The fix so far.
    pub fix: Fix,
    /// Ranges of the original text that the fix deletes (for the leftover-token pass).
    pub removed: Vec<TextRange>,
    /// The function (scope) of the call.
    pub scope: usize,
    /// The call's range.
    pub call: TextRange,
    /// Places the call's diagnostics should point at too (the reads of a migrated v1
    /// call's result).
    pub labels: Vec<crate::diagnostic::Label>,
}

/// Plans the fix for one offending call; `Err` says why a call to a retired v1 API cannot
/// be migrated mechanically (it is left to be migrated by hand, DL011 says how).
pub fn plan_call(ctx: &FixContext, facts: &CallFacts) -> Result<Plan, String> {
    let Some(endpoint) = &facts.legacy else {
        return Ok(plan_current_call(ctx, facts));
    };
    let connection = facts
        .call
        .connection
        .clone()
        .filter(|name| !crate::connections::is_placeholder(name))
        .unwrap_or_else(|| facts.link_name());
    let migration = match (&endpoint.crm, &endpoint.creator) {
        (Some(crm), _) => super::v1_crm::migrate(ctx, facts, crm, &connection)?,
        (_, Some(creator)) => super::v1_creator::migrate(ctx, facts, creator, &connection)?,
        (None, None) => {
            return Err(format!(
                "{} calls differ from their v2 form in parameters and response, call by call",
                endpoint.api
            ));
        }
    };
    Ok(plan_v1_migration(ctx, facts, &connection, migration))
}

/// A task block on one line for a message: `invokeurl [ url: "…" type: GET ]`.
fn one_line(code: &str) -> String {
    code.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fix of a v1 call migrated into an integration task (`fix/v1_crm.rs`, `fix/v1_creator.rs`).
fn plan_v1_migration(
    ctx: &FixContext,
    facts: &CallFacts,
    connection: &str,
    migration: super::v1_crm::Migration,
) -> Plan {
    let known = facts.call.connection.is_some() || facts.link_name_is_known();
    let mut reasons = migration.reasons;
    if !known {
        reasons.push(format!("the connection `{connection}` may not exist yet"));
    }
    // The call and the statements the migration deletes (a parameter map's puts): reads
    // of a token variable there are gone too.
    let removed = migration
        .edits
        .iter()
        .map(|edit| edit.range)
        .filter(|range| !range.is_empty())
        .collect();
    Plan {
        fix: Fix {
            message: format!(
                "Migrate to `{}` (unsafe: {})",
                one_line(&migration.task),
                reasons.join("; ")
            ),
            edits: migration.edits,
            applicability: Applicability::Unsafe,
        },
        removed,
        scope: ctx.index.stmt_containing(facts.call.range).map_or(0, |s| s.scope),
        call: facts.call.range,
        labels: migration.labels,
    }
}

/// Plans the fix for a call to a current API: token out, connection in.
fn plan_current_call(ctx: &FixContext, facts: &CallFacts) -> Plan {
    let mut builder = Builder {
        ctx,
        call_range: facts.call.range,
        edits: Vec::new(),
        unsafe_reasons: Vec::new(),
        display_only: None,
        text_kept: Vec::new(),
    };
    let sends_token = facts.sends_authtoken();
    // Only a Zoho authtoken is dropped: a third party's `authtoken` parameter or header
    // (which `CallFacts` never reports) is that service's own key, and a rewrite of its
    // `getUrl` must send it as before.
    if sends_token {
        builder.drop_url_parameters(&facts.call.url);
        builder.drop_entries(&facts.call.body, |entry| is_legacy_auth_entry(ctx.source, entry));
        builder.drop_body_text(ctx, &facts.call.body);
        builder.drop_entries(&facts.call.headers, |entry| is_zoho_authtoken_header(ctx.source, entry));
    }
    let is_task = matches!(facts.call.kind, CallKind::InvokeUrlTask | CallKind::InvokeApiTask);
    if !is_task && facts.method_override.is_some() {
        // `postUrl` could only POST; `invokeurl` says `type: PUT` itself.
        builder.drop_entries(&facts.call.headers, |entry| &*entry.key == "x-http-method-override");
    }
    builder.check_sharing();

    // Calls to Zoho need a connection, unless they carry their own credentials (an OAuth
    // header refreshed by hand, a `zapikey`) or are the OAuth server itself; a legacy
    // function calling anyone else is only rewritten.
    let wants_connection = (sends_token || matches!(facts.target, Target::Zoho { .. }))
        && facts.own_credentials.is_none()
        && facts.zoho_service() != Some(Service::Accounts);
    if wants_connection && let Some(other) = facts.other_destination() {
        builder.refuse(format!(
            "the URL may also go to {other}, and one connection cannot serve both; split the call by hand"
        ));
    }
    let connection = wants_connection.then(|| builder.connection(facts));
    let removed = builder.removed_ranges();
    let with = connection
        .as_ref()
        .map(|name| format!(" with `connection: \"{name}\"`"))
        .unwrap_or_default();
    let without_token = if sends_token { ", without the authtoken" } else { "" };
    let message = if is_task {
        if let Some(name) = &connection {
            builder.add_connection_key(facts, name);
        }
        match (&connection, sends_token) {
            (Some(name), true) => format!("Remove the authtoken and add `connection: \"{name}\"`"),
            (Some(name), false) => format!("Add `connection: \"{name}\"`"),
            (None, _) => "Remove the authtoken".to_owned(),
        }
    } else {
        builder.rewrite_as_task(facts, connection.as_deref());
        let text = if builder.text_kept.is_empty() {
            "an `invokeurl` task returns a map for JSON responses where the call returned text".to_owned()
        } else {
            format!(
                "an `invokeurl` task returns a map for JSON responses where the call returned text: `.toString()` keeps it text where it is used as text ({}), other uses see a map",
                builder.text_kept.join(", ")
            )
        };
        builder.unsafe_reasons.insert(0, text);
        format!("Rewrite as an `invokeurl` task{with}{without_token}")
    };
    let scope = ctx.index.stmt_containing(facts.call.range).map_or(0, |s| s.scope);
    Plan {
        fix: builder.finish(message),
        removed,
        scope,
        call: facts.call.range,
        labels: Vec::new(),
    }
}

/// A variable that only held the token, read by the routes of several calls: deleted when
/// an application of fixes takes every one of those calls' fixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftoverToken {
    /// The variable.
    pub name: String,
    /// The calls whose fixes remove its reads (their ranges, as their diagnostics have).
    pub calls: Vec<TextRange>,
    /// The deletions of its assignments.
    pub deletions: Vec<Edit>,
}

/// Deletes variables that only held the token (`authtoken = "..";`) once every read of them
/// lies in text removed by fixes. One call's fix deletes a variable only its own edits stop
/// reading, so applying it alone (an editor's quick fix) never breaks another call; a
/// variable several calls read is returned as a [`LeftoverToken`], for the fix engine to
/// delete when it applies all of their fixes.
pub fn remove_leftover_tokens(ctx: &FixContext, plans: &mut [Plan]) -> Vec<LeftoverToken> {
    // What each applicable fix deletes, merged per fix and over all of them: a read is
    // covered when one interval holds it. Worked out once: files can hold thousands of calls.
    let applicable: Vec<usize> = (0..plans.len())
        .filter(|&at| plans[at].fix.applicability > Applicability::DisplayOnly)
        .collect();
    let own: Vec<Covering> = plans.iter().map(|p| Covering::new(p.removed.iter().copied())).collect();
    let mut leftovers: Vec<LeftoverToken> = Vec::new();
    let mut decided: HashMap<(usize, &str), bool> = HashMap::new();
    for &at in &applicable {
        let scope = plans[at].scope;
        for name in token_names_read(ctx, &plans[at]) {
            if decided.contains_key(&(scope, name)) {
                continue;
            }
            let assignments: Vec<_> = ctx.index.assignments(scope, name).collect();
            if assignments.is_empty()
                || !assignments.iter().all(|stmt| holds_only_a_token(&stmt.kind))
                || assignments.iter().any(|stmt| ctx.is_broken(stmt.range))
            {
                decided.insert((scope, name), false);
                continue;
            }
            // The fixes that remove each read; every read must be removed by one.
            let mut removers: Vec<usize> = Vec::new();
            let all_removed = ctx.index.reads(scope, name).all(|read| {
                match applicable.iter().find(|&&p| own[p].covers(read.expr.range)) {
                    Some(&p) => {
                        if !removers.contains(&p) {
                            removers.push(p);
                        }
                        true
                    }
                    None => false,
                }
            });
            decided.insert((scope, name), all_removed);
            if !all_removed {
                continue;
            }
            let deletions: Vec<Edit> = assignments
                .iter()
                .map(|stmt| Edit {
                    range: statement_deletion(ctx.source, stmt.range),
                    content: String::new(),
                })
                .collect();
            match removers.as_slice() {
                [only] => add_deletions(&mut plans[*only].fix, name, deletions),
                _ => leftovers.push(LeftoverToken {
                    name: name.to_owned(),
                    calls: removers.iter().map(|&p| plans[p].call).collect(),
                    deletions,
                }),
            }
        }
    }
    leftovers
}

/// The variables of the plan's scope read inside the text its fix removes.
fn token_names_read<'i>(ctx: &FixContext<'_, '_, 'i>, plan: &Plan) -> Vec<&'i str> {
    let mut names: Vec<&str> = Vec::new();
    for removed in &plan.removed {
        for entry in ctx.index.idents_within(*removed) {
            if let ExprKind::Ident(name) = entry.expr.kind
                && ctx.index.stmts[entry.stmt].scope == plan.scope
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
    }
    names
}

/// Adds the deletion of `name`'s assignments to the one fix that stops reading it.
fn add_deletions(fix: &mut Fix, name: &str, deletions: Vec<Edit>) {
    for deletion in deletions {
        if !fix.edits.iter().any(|e| super::overlaps(e.range, deletion.range)) {
            fix.edits.push(deletion);
        }
    }
    fix.edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    fix.message = format!("{}; remove `{name}`, which only held the token", fix.message);
}

/// Disjoint, sorted intervals: the union of some ranges.
struct Covering(Vec<TextRange>);

impl Covering {
    fn new(ranges: impl Iterator<Item = TextRange>) -> Covering {
        let mut ranges: Vec<TextRange> = ranges.collect();
        ranges.sort_by_key(|r| r.start());
        let mut merged: Vec<TextRange> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if range.start() <= last.end() => *last = last.cover(range),
                _ => merged.push(range),
            }
        }
        Covering(merged)
    }

    fn covers(&self, range: TextRange) -> bool {
        let after = self.0.partition_point(|r| r.start() <= range.start());
        after > 0 && self.0[after - 1].contains_range(range)
    }
}

/// The operands of the concatenation holding the literal at `literal`, and its range.
pub(super) fn concatenation_pieces(ctx: &FixContext, literal: TextRange) -> (Vec<Piece>, TextRange) {
    match ctx.index.concatenation_of(literal) {
        Some(chain) => {
            let pieces = chain
                .operands()
                .map(|operand| match operand.kind {
                    ExprKind::String(_) => Piece::Literal(operand.range),
                    ExprKind::SingleQuoted(s) if !s.is_date_time() => Piece::Literal(operand.range),
                    _ => Piece::Opaque(operand.range),
                })
                .collect();
            let end = chain.rest.last().map_or(chain.first.range, |(_, e)| e.range);
            (pieces, chain.first.range.cover(end))
        }
        None => (vec![Piece::Literal(literal)], literal),
    }
}

struct Builder<'c, 's, 'e, 'a> {
    ctx: &'c FixContext<'s, 'e, 'a>,
    call_range: TextRange,
    edits: Vec<Edit>,
    unsafe_reasons: Vec<String>,
    display_only: Option<String>,
    /// Where a rewrite keeps the result text with `.toString()`.
    text_kept: Vec<String>,
}

impl Builder<'_, '_, '_, '_> {
    fn refuse(&mut self, reason: impl Into<String>) {
        self.display_only.get_or_insert_with(|| reason.into());
    }

    fn push(&mut self, edit: Edit) {
        if self.edits.contains(&edit) {
            return;
        }
        // Routes that share text (a concatenation nested in another) could ask for
        // overlapping edits, which have no meaning together.
        if self.edits.iter().any(|e| super::overlaps(e.range, edit.range)) {
            self.refuse("the edits this call needs overlap; edit it by hand");
            return;
        }
        self.edits.push(edit);
    }

    /// `authtoken=` and the legacy `scope=` in every concatenation that builds the URL.
    fn drop_url_parameters(&mut self, url: &Value) {
        let mut done: Vec<TextRange> = Vec::new();
        for fragment in &url.fragments {
            let text = super::literal_text(self.ctx.source, fragment.range).to_ascii_lowercase();
            if !text.contains("authtoken=") && !text.contains("scope=") {
                continue;
            }
            let (pieces, whole) = self.pieces_around(fragment.range);
            if done.contains(&whole) {
                continue;
            }
            done.push(whole);
            let mode = Mode::Url {
                keep_question_mark: self.is_append(whole),
            };
            self.apply_query_edits(&pieces, mode);
        }
    }

    /// Form-encoded text bodies lose their parameters the same way; JSON text is not edited.
    fn drop_body_text(&mut self, ctx: &FixContext, body: &Value) {
        let mut done: Vec<TextRange> = Vec::new();
        for fragment in &body.fragments {
            let text = super::literal_text(ctx.source, fragment.range).to_ascii_lowercase();
            if text.contains("\"authtoken") || text.contains("\\\"authtoken") {
                self.refuse("the authtoken is inside JSON text; edit it by hand");
                continue;
            }
            if !text.contains("authtoken=") {
                continue;
            }
            let (pieces, whole) = self.pieces_around(fragment.range);
            if !done.contains(&whole) {
                done.push(whole);
                self.apply_query_edits(&pieces, Mode::Form);
            }
        }
    }

    fn apply_query_edits(&mut self, pieces: &[Piece], mode: Mode) {
        match query::drop_parameters(self.ctx.source, pieces, mode, query::is_legacy_auth_parameter) {
            Ok(edits) => edits.into_iter().for_each(|e| self.push(e)),
            Err(query::Unfixable(reason)) => self.refuse(reason),
        }
    }

    /// The operands of the concatenation holding the literal at `literal`, and its range.
    fn pieces_around(&self, literal: TextRange) -> (Vec<Piece>, TextRange) {
        concatenation_pieces(self.ctx, literal)
    }

    /// Whether the text at `range` is appended to a variable (`u = u + ..`, `u += ..`), so
    /// more of the URL may follow in later statements.
    fn is_append(&self, range: TextRange) -> bool {
        let Some(entry) = self.ctx.index.stmt_containing(range) else {
            return false;
        };
        match &entry.stmt.kind {
            StmtKind::Assign { target, op, value } => {
                let ExprKind::Ident(name) = target.kind else {
                    return false;
                };
                *op == deluge_syntax::ast::AssignOp::Add
                    || matches!(&value.kind, ExprKind::Binary(chain) if matches!(chain.first.kind, ExprKind::Ident(n) if n == name))
            }
            _ => false,
        }
    }

    /// Removes the matching entries: `put(..)` statements, or entries of map literals.
    fn drop_entries(&mut self, value: &Value, matches: impl Fn(&Entry) -> bool) {
        let mut maps_done: Vec<TextRange> = Vec::new();
        for entry in value.entries.iter().filter(|e| matches(e)) {
            if let Some(statement) = entry.statement {
                let range = statement_deletion(self.ctx.source, statement);
                self.push(Edit {
                    range,
                    content: String::new(),
                });
                continue;
            }
            let Some(entries) = self.ctx.index.map_with_entry(entry.origin) else {
                self.refuse("the map entry could not be found");
                continue;
            };
            let map_range = entries[0].range();
            if maps_done.contains(&map_range) {
                continue;
            }
            maps_done.push(map_range);
            let dropped: Vec<bool> = entries
                .iter()
                .map(|e| value.entries.iter().any(|v| v.origin == e.range() && matches(v)))
                .collect();
            let ranges: Vec<TextRange> = entries.iter().map(|e| e.range()).collect();
            for range in remove_list_items(&ranges, &dropped) {
                self.push(Edit {
                    range,
                    content: String::new(),
                });
            }
        }
    }

    /// Edits outside the call change a variable: only when nothing else uses it.
    fn check_sharing(&mut self) {
        let outside: Vec<TextRange> = self
            .edits
            .iter()
            .map(|e| e.range)
            .filter(|r| !self.call_range.contains_range(*r))
            .collect();
        for range in outside {
            let Some(entry) = self.ctx.index.stmt_containing(range) else {
                continue;
            };
            let Some(variable) = carrier(entry.stmt) else { continue };
            if let Some(use_range) =
                crate::token_uses::shared_use(self.ctx.index, entry.scope, variable, self.ctx.offending)
            {
                let line = self.ctx.lines.line_col(self.ctx.source, use_range.start()).line;
                self.refuse(format!(
                    "`{variable}` is also used on line {line}, not only by calls that send the authtoken; edit it by hand"
                ));
            }
        }
    }

    fn connection(&mut self, facts: &CallFacts) -> String {
        match (&facts.connection, facts.zoho_service()) {
            (Some(chosen), Some(service)) => {
                if chosen.origin == LinkNameOrigin::Default {
                    self.unsafe_reasons.push(format!(
                        "the connection `{}` may not exist yet: create it, or name yours in delint.toml (`[connections]` `{} = \"...\"`)",
                        chosen.name,
                        service.key()
                    ));
                }
                chosen.name.clone()
            }
            _ => {
                self.refuse("delint cannot tell which Zoho service this URL calls; pick the connection by hand");
                "<connection link name>".to_owned()
            }
        }
    }

    fn add_connection_key(&mut self, facts: &CallFacts, connection: &str) {
        if facts.call.has_connection {
            return;
        }
        let Some(task) = self
            .ctx
            .index
            .expr_at(facts.call.range)
            .and_then(|e| match &e.expr.kind {
                ExprKind::Task(task) => Some(&**task),
                _ => None,
            })
        else {
            self.refuse("the task block could not be found");
            return;
        };
        self.push(invokeurl::connection_key_edit(self.ctx, task, connection));
    }

    fn rewrite_as_task(&mut self, facts: &CallFacts, connection: Option<&str>) {
        // An edit reaching across the call's edge (its text runs on through a syntax
        // error) would be neither rewritten with the call nor clear of the rewrite.
        let straddles =
            |e: &Edit| super::overlaps(e.range, self.call_range) && !self.call_range.contains_range(e.range);
        if self.edits.iter().any(straddles) {
            self.refuse("an edit this call needs reaches past the call's end; edit it by hand");
            return;
        }
        let inner: Vec<Edit> = self
            .edits
            .iter()
            .filter(|e| self.call_range.contains_range(e.range))
            .cloned()
            .collect();
        match invokeurl::rewrite_call(self.ctx, facts, connection, &inner) {
            Ok(rewrite) => {
                self.edits.retain(|e| !self.call_range.contains_range(e.range));
                for edit in rewrite.edits {
                    self.push(edit);
                }
                self.text_kept = rewrite.text_kept;
            }
            Err(reason) => self.refuse(reason),
        }
    }

    fn removed_ranges(&self) -> Vec<TextRange> {
        self.edits
            .iter()
            .filter(|e| e.content.len() <= 1)
            .map(|e| e.range)
            .collect()
    }

    fn finish(mut self, message: String) -> Fix {
        self.edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        let (applicability, why) = match (self.display_only, self.unsafe_reasons.is_empty()) {
            (Some(reason), _) => (Applicability::DisplayOnly, format!(" (not applied: {reason})")),
            (None, false) => (
                Applicability::Unsafe,
                format!(" (unsafe: {})", self.unsafe_reasons.join("; ")),
            ),
            (None, true) => (Applicability::Safe, String::new()),
        };
        Fix {
            message: format!("{message}{why}"),
            edits: self.edits,
            applicability,
        }
    }
}

/// The variable a statement builds: `v = ..`, `v += ..`, `v.put(..)`.
fn carrier<'a>(stmt: &deluge_syntax::ast::Stmt<'a>) -> Option<&'a str> {
    match &stmt.kind {
        StmtKind::Assign { target, .. } => match target.kind {
            ExprKind::Ident(name) => Some(name),
            _ => None,
        },
        StmtKind::Expr(expr) => match &expr.kind {
            ExprKind::Call { callee, .. } => match &callee.kind {
                ExprKind::Member { object, .. } => match object.kind {
                    ExprKind::Ident(name) => Some(name),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// A body entry to remove: `authtoken`, or `scope` with a legacy value.
fn is_legacy_auth_entry(source: &str, entry: &Entry) -> bool {
    &*entry.key == "authtoken"
        || (&*entry.key == "scope"
            && matches!(entry.value.fragments.as_slice(), [only] if crate::token_uses::is_legacy_scope(super::literal_text(source, only.range))))
}

fn is_zoho_authtoken_header(source: &str, entry: &Entry) -> bool {
    entry.value.fragments.iter().any(|f| {
        super::literal_text(source, f.range)
            .to_ascii_lowercase()
            .contains("zoho-authtoken")
    })
}
