//! Rules, diagnostics and the semantic model for Deluge.
//!
//! [`lint`] turns a parsed file into diagnostics. This crate knows nothing of files,
//! threads or output formats: the binary owns those.

mod call_facts;
pub mod connections;
pub mod diagnostic;
pub mod fix;
pub mod legacy;
mod list_edits;
mod literal;
pub mod mentions;
pub mod rule;
pub mod rule_selection;
pub mod rules;
pub mod scopes;
pub mod secrets;
pub mod semantic;
pub mod services;
pub mod settings;
mod suppression;
pub mod syntax_index;
mod token_uses;

use std::cell::OnceCell;

use deluge_syntax::{LineIndex, Parsed, TextRange, TextSize};
use rustc_hash::FxHashMap;

use call_facts::CallFacts;
pub use connections::NeededConnection;
use connections::{ConnectionStatus, LinkNameOrigin, LinkNamesInUse};
use diagnostic::{Applicability, Diagnostic, Fix};
use fix::authtoken::FixContext;
use mentions::Mentions;
use rule_selection::RuleSet;
use semantic::SemanticModel;
use services::Service;
use settings::Settings;
use syntax_index::LazySyntaxIndex;

/// The result of linting one source text.
#[derive(Debug, Default)]
pub struct LintResult {
    /// Findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Ranges holding secret values (token literals) that no output may print in full.
    /// Outputs also mask every token-shaped run of the text ([`secrets::redact`]), which
    /// is not listed here.
    pub secrets: Vec<TextRange>,
    /// The OAuth connections this code needs: those its calls name, and those the fixes of
    /// its authtoken findings would add. Sorted, without duplicates.
    pub connections: Vec<NeededConnection>,
    /// Variables that only held a token read by several calls: deleted only by an
    /// application of fixes that removes every read ([`fix::apply`]), never by one call's
    /// fix (an editor's quick fix for one call leaves the others' token in place).
    pub leftover_tokens: Vec<fix::authtoken::LeftoverToken>,
    /// Where the name (`automation.sync`) of each function defined with a header
    /// (`void automation.sync(int id) {..}`) is, in source order: reports name a file's
    /// function by it.
    pub functions: Vec<TextRange>,
}

impl LintResult {
    /// Moves every range by `offset`: for text linted out of a container file, whose
    /// findings must point into the container.
    pub fn shift(&mut self, offset: TextSize) {
        self.map_ranges(|range| range + offset);
    }

    /// Replaces every range (findings, labels, fix edits, secrets, calls, function names,
    /// leftover tokens) by `place(range)`: for text whose positions map into another text
    /// ([`Self::shift`], or a script decoded out of a JSON string).
    pub fn map_ranges(&mut self, place: impl Fn(TextRange) -> TextRange) {
        for diagnostic in &mut self.diagnostics {
            diagnostic.range = place(diagnostic.range);
            for label in &mut diagnostic.labels {
                label.range = place(label.range);
            }
            for edit in diagnostic.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
                edit.range = place(edit.range);
            }
        }
        let ranges = self
            .secrets
            .iter_mut()
            .chain(self.connections.iter_mut().flat_map(|c| &mut c.calls))
            .chain(&mut self.functions)
            .chain(self.leftover_tokens.iter_mut().flat_map(|l| &mut l.calls));
        for range in ranges {
            *range = place(*range);
        }
        for edit in self.leftover_tokens.iter_mut().flat_map(|l| &mut l.deletions) {
            edit.range = place(edit.range);
        }
    }
}

/// Lints `source`, which `parsed` was parsed from, and plans a fix for every finding
/// that has one.
pub fn lint(source: &str, parsed: &Parsed<'_>, settings: &Settings) -> LintResult {
    lint_with(source, parsed, settings, Fixes::Planned)
}

/// Whether [`lint_with`] plans the migration fixes (the costly part of linting a file
/// full of findings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fixes {
    /// Every fixable finding carries its fix.
    Planned,
    /// Findings only, for callers that show diagnostics first and ask for fixes later
    /// (the language server on each keystroke).
    Skipped,
}

/// [`lint`], choosing whether to plan fixes. The diagnostics are the same either way.
pub fn lint_with(source: &str, parsed: &Parsed<'_>, settings: &Settings, fixes: Fixes) -> LintResult {
    let (mentions, call_words) = Mentions::scan_noting_calls(source, &parsed.comments);
    lint_knowing(source, parsed, settings, fixes, mentions, Some(&call_words))
}

/// How many syntax errors one script reports before the rest are summed up in one: a
/// compiler's habit. One missing quote or brace can cause thousands, which help nobody and
/// flood an editor.
pub const MAX_SYNTAX_ERRORS: usize = 20;

/// DL000 for each syntax error, the first [`MAX_SYNTAX_ERRORS`] of them, then one that
/// counts the rest, where the first of those is.
fn report_syntax_errors(errors: &[deluge_syntax::SyntaxError], out: &mut Vec<Diagnostic>) {
    for error in errors.iter().take(MAX_SYNTAX_ERRORS) {
        out.push(Diagnostic::new(
            &rules::SYNTAX_ERROR,
            error.range,
            error.message.clone(),
        ));
    }
    if let Some(first_unshown) = errors.get(MAX_SYNTAX_ERRORS) {
        let more = errors.len() - MAX_SYNTAX_ERRORS;
        let noun = if more == 1 { "error" } else { "errors" };
        out.push(Diagnostic::new(
            &rules::SYNTAX_ERROR,
            first_unshown.range,
            format!(
                "{more} more syntax {noun} from here on are not shown; fix the first ones, which often cause the rest"
            ),
        ));
    }
}

/// [`lint_with`], told which words the code says and where it names calls
/// ([`Mentions::ALL`] and `None` skip nothing).
fn lint_knowing(
    source: &str,
    parsed: &Parsed<'_>,
    settings: &Settings,
    fixes: Fixes,
    mentions: Mentions,
    call_words: Option<&[TextSize]>,
) -> LintResult {
    // Built when a suppression or a fix needs it: most files need neither.
    let index = OnceCell::new();
    let mut result = LintResult {
        functions: defined_functions(&parsed.file),
        ..LintResult::default()
    };
    let enabled = settings.rules;
    if enabled.contains(rules::SYNTAX_ERROR.code) {
        report_syntax_errors(&parsed.errors, &mut result.diagnostics);
    }
    let syntax = LazySyntaxIndex::new(&parsed.file);
    // The data flow is only for HTTP calls, and every call form is named in the code.
    let model = match call_words {
        _ if !mentions.any_http_call() => SemanticModel::default(),
        Some(sites) => SemanticModel::build_with_call_sites(source, &parsed.file, sites),
        None => SemanticModel::build(source, &parsed.file),
    };
    let mut migrating = Vec::new();
    // Where each call goes, in `model.calls` order, for the rules that look at the file.
    let mut targets = Vec::with_capacity(model.calls.len());
    for facts in call_facts(source, parsed, settings, &model) {
        targets.push(facts.target);
        if let Some(service) = facts.zoho_service()
            && let Some(name) = &facts.call.connection
        {
            let status = if connections::is_placeholder(name) {
                ConnectionStatus::Placeholder
            } else {
                ConnectionStatus::Referenced
            };
            result.connections.push(NeededConnection {
                name: name.clone(),
                service,
                status,
                scopes: facts.scopes(service),
                calls: vec![facts.call.range],
            });
        }
        let before = result.diagnostics.len();
        rules::check_call(&facts, source, &mut result.diagnostics);
        drop_disabled(&mut result.diagnostics, before, enabled);
        let service = facts.zoho_service();
        result.diagnostics[before..]
            .iter_mut()
            .for_each(|d| d.service = service);
        result.secrets.extend(facts.secrets.iter().filter(|r| !r.is_empty()));
        // A call to a retired v1 API gets no token-and-connection fix: it would look
        // migrated and still fail. It is planned as a migration into a task
        // (`fix/v1_crm.rs`, `fix/v1_creator.rs`) or refused with the reason, which its
        // DL011 help gives.
        if result.diagnostics[before..]
            .iter()
            .any(|d| rules::takes_migration_fix(d.code))
        {
            migrating.push(facts);
        }
    }
    for facts in &migrating {
        // A v1 call no task replaces is migrated by hand, to a call whose scopes are unknown.
        let migrates_to_a_task = facts.legacy.as_ref().is_none_or(|e| e.has_task_migration());
        if let (Some(service), Some(chosen)) = (facts.zoho_service(), &facts.connection)
            && migrates_to_a_task
            && facts.own_credentials.is_none()
            && !facts.call.has_connection
        {
            let status = match chosen.origin {
                LinkNameOrigin::SameFunction | LinkNameOrigin::SameFile => ConnectionStatus::Referenced,
                LinkNameOrigin::Configured | LinkNameOrigin::Default => ConnectionStatus::ToCreate,
            };
            result.connections.push(NeededConnection {
                name: chosen.name.clone(),
                service,
                status,
                scopes: facts.scopes(service),
                calls: vec![facts.call.range],
            });
        }
    }
    let before = result.diagnostics.len();
    rules::check_file(source, &syntax, &model, &targets, &parsed.tokens, mentions, &mut result);
    drop_disabled(&mut result.diagnostics, before, enabled);
    connections::merge(&mut result.connections);
    // Suppressions first: a suppressed call keeps its token, so its fix must be held
    // before any other fix counts on it to remove a shared token variable's reads.
    let suppressed = suppression::apply(source, &index, &parsed.comments, enabled, &mut result.diagnostics);
    if fixes == Fixes::Planned && !migrating.is_empty() {
        let errors: Vec<TextRange> = parsed.errors.iter().map(|e| e.range).collect();
        let held: Vec<(TextRange, &str)> = suppressed
            .iter()
            .filter(|d| rules::takes_migration_fix(d.code))
            .map(|d| (d.range, d.code))
            .collect();
        let calls: Vec<TextRange> = migrating.iter().map(|facts| facts.call.range).collect();
        let context = FixContext {
            source,
            index: syntax.get(),
            settings,
            offending: &token_uses::CallRanges::new(&calls),
            lines: index.get_or_init(|| LineIndex::new(source)),
            indent_unit: syntax_index::indent_unit(source),
            eol: syntax_index::line_ending(source),
            syntax_errors: &errors,
        };
        result.leftover_tokens = attach_fixes(&context, &migrating, &held, &mut result.diagnostics);
    }
    result.secrets.sort_by_key(|range| (range.start(), range.end()));
    result.secrets.dedup();
    drop_disabled(&mut result.diagnostics, 0, enabled);
    result
        .diagnostics
        .sort_by(|a, b| (a.range.start(), a.code).cmp(&(b.range.start(), b.code)));
    result
}

/// The facts of every call, each with the link name a fix would give it: the one its
/// function or file already uses for the service, else the configured one, else the
/// default.
fn call_facts<'s>(
    source: &'s str,
    parsed: &Parsed<'_>,
    settings: &Settings,
    model: &'s SemanticModel,
) -> Vec<CallFacts<'s>> {
    let mut all: Vec<CallFacts> = model.calls.iter().map(|call| CallFacts::new(source, call)).collect();
    let functions: Vec<TextRange> = parsed
        .file
        .items
        .iter()
        .filter_map(|item| match item {
            deluge_syntax::ast::Item::Function(function) => Some(function.range),
            deluge_syntax::ast::Item::Statement(_) => None,
        })
        .collect();
    let function_of = |call: TextRange| {
        let after = functions.partition_point(|f| f.start() <= call.start());
        after
            .checked_sub(1)
            .map(|at| functions[at])
            .filter(|f| f.contains_range(call))
            .unwrap_or(parsed.file.range)
    };
    let mut in_use = LinkNamesInUse::default();
    for facts in &all {
        if let (Some(service), Some(name)) = (facts.zoho_service(), &facts.call.connection) {
            in_use.record(service, name, function_of(facts.call.range));
        }
    }
    // A call that names its connection and sends no token needs no link name chosen.
    for facts in all.iter_mut().filter(|f| !f.call.has_connection || f.sends_authtoken()) {
        facts.connection = facts
            .zoho_service()
            .filter(|s| *s != Service::Accounts)
            .map(|service| in_use.choose(service, function_of(facts.call.range), |s| settings.connection_for(s)));
    }
    all
}

/// Drops the findings from `from` on whose rule is not enabled (only the tail is visited:
/// this runs once per call).
fn drop_disabled(diagnostics: &mut Vec<Diagnostic>, from: usize, enabled: RuleSet) {
    if diagnostics[from..].iter().all(|d| enabled.contains(d.code)) {
        return;
    }
    let kept: Vec<Diagnostic> = diagnostics.drain(from..).filter(|d| enabled.contains(d.code)).collect();
    diagnostics.extend(kept);
}

/// A fix that would touch a statement overlapping a syntax error is only shown: the tree
/// there is the parser's guess, and an edit placed by it can cut a broken statement in half
/// (`m.put("authtoken",YOUR ZOHO CRM AUTHTOKEN);` losing its start). The call's own statement
/// and the statement around every edit are checked.
fn hold_if_broken(context: &FixContext, call: TextRange, fix: &mut Fix) {
    if context.syntax_errors.is_empty() || fix.applicability == Applicability::DisplayOnly {
        return;
    }
    let statement_of = |range: TextRange| context.index.stmt_containing(range).map_or(range, |s| s.stmt.range);
    let touched = std::iter::once(call)
        .chain(fix.edits.iter().map(|e| e.range))
        .map(statement_of);
    let broken = touched.into_iter().find_map(|statement| {
        context
            .syntax_errors
            .iter()
            .find(|e| e.intersect(statement).is_some() || statement.contains_inclusive(e.start()))
    });
    if let Some(error) = broken {
        let line = context.lines.line_col(context.source, error.start()).line;
        fix.applicability = Applicability::DisplayOnly;
        fix.message = format!(
            "{} (not applied: it would edit a statement with a syntax error, on line {line}; fix that first)",
            fix.message
        );
    }
}

/// A call whose authtoken finding is suppressed keeps its token: the migration fix its
/// other findings (a DL010, say) carry would remove it, so it is only shown.
fn hold_if_suppressed(call: TextRange, held: &[(TextRange, &str)], fix: &mut Fix) {
    if let Some((_, code)) = held.iter().find(|(range, _)| *range == call)
        && fix.applicability > Applicability::DisplayOnly
    {
        fix.applicability = Applicability::DisplayOnly;
        fix.message = format!("{} (not applied: `{code}` is suppressed on this call)", fix.message);
    }
}

/// Plans one migration fix per call (token removed, connection added, legacy function
/// rewritten) and gives it to each of the call's diagnostics that it resolves.
fn attach_fixes(
    context: &FixContext,
    migrating: &[CallFacts],
    held: &[(TextRange, &str)],
    diagnostics: &mut [Diagnostic],
) -> Vec<fix::authtoken::LeftoverToken> {
    let mut plans = Vec::with_capacity(migrating.len());
    // v1 calls no task can express, with the reason, for their DL011's help.
    let mut refused: Vec<(TextRange, String)> = Vec::new();
    for facts in migrating {
        match fix::authtoken::plan_call(context, facts) {
            Ok(plan) => plans.push(plan),
            Err(reason) => refused.push((facts.call.range, reason)),
        }
    }
    for plan in &mut plans {
        hold_if_broken(context, plan.call, &mut plan.fix);
        hold_if_suppressed(plan.call, held, &mut plan.fix);
    }
    let leftovers = fix::authtoken::remove_leftover_tokens(context, &mut plans);
    let mut by_call: FxHashMap<TextRange, Vec<usize>> = FxHashMap::default();
    for (at, diagnostic) in diagnostics.iter().enumerate() {
        if rules::takes_migration_fix(diagnostic.code) {
            by_call.entry(diagnostic.range).or_default().push(at);
        }
    }
    for plan in plans {
        for &at in by_call.get(&plan.call).map_or(&[][..], Vec::as_slice) {
            diagnostics[at].fix = Some(plan.fix.clone());
            if diagnostics[at].code == rules::LegacyApiEndpoint::META.code {
                diagnostics[at].labels.extend(plan.labels.iter().cloned());
            }
        }
    }
    for (call, reason) in refused {
        for &at in by_call.get(&call).map_or(&[][..], Vec::as_slice) {
            let diagnostic = &mut diagnostics[at];
            if diagnostic.code == rules::LegacyApiEndpoint::META.code {
                let help = diagnostic.help.take().unwrap_or_default();
                diagnostic.help = Some(format!("{help}; it is not migrated automatically because {reason}"));
            }
        }
    }
    leftovers
}

/// Where the names (`namespace.name`) of the functions `file` defines with a header are.
fn defined_functions(file: &deluge_syntax::ast::SourceFile) -> Vec<TextRange> {
    file.items
        .iter()
        .filter_map(|item| match item {
            deluge_syntax::ast::Item::Function(function) => {
                let start = function.namespace.as_ref().unwrap_or(&function.name).range.start();
                Some(TextRange::new(start, function.name.range.end()))
            }
            deluge_syntax::ast::Item::Statement(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Deluge fixture of the repository.
    fn fixture_files() -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures"
        ))];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixtures readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "dg" || e == "deluge") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 50, "fixtures: {}", files.len());
        files
    }

    /// Searching only the expressions where the code names a call, and following only the
    /// variables that may reach one, finds every call with the same values.
    #[test]
    fn call_words_find_the_calls_a_full_search_finds() {
        let mut calls = 0;
        for path in fixture_files() {
            let source = std::fs::read_to_string(&path).expect("fixture readable");
            let arena = deluge_syntax::Arena::new();
            let parsed = deluge_syntax::parse(&source, &arena);
            let (_, sites) = Mentions::scan_noting_calls(&source, &parsed.comments);
            let everywhere = SemanticModel::build(&source, &parsed.file);
            let at_sites = SemanticModel::build_with_call_sites(&source, &parsed.file, &sites);
            let unsurveyed = SemanticModel::build_following_every_variable(&source, &parsed.file);
            assert_eq!(format!("{everywhere:?}"), format!("{at_sites:?}"), "{}", path.display());
            assert_eq!(
                format!("{everywhere:?}"),
                format!("{unsurveyed:?}"),
                "{}",
                path.display()
            );
            calls += everywhere.calls.len();
        }
        assert!(calls > 100, "the fixtures make calls: {calls}");
    }

    /// Skipping work on the words a file does not say changes no finding and no fix.
    #[test]
    fn the_word_prefilters_change_nothing_on_any_fixture() {
        let settings = Settings::default();
        let mut findings = 0;
        for path in fixture_files() {
            let source = std::fs::read_to_string(&path).expect("fixture readable");
            let arena = deluge_syntax::Arena::new();
            let parsed = deluge_syntax::parse(&source, &arena);
            let skipping = lint_with(&source, &parsed, &settings, Fixes::Planned);
            let thorough = lint_knowing(&source, &parsed, &settings, Fixes::Planned, Mentions::ALL, None);
            assert_eq!(format!("{skipping:?}"), format!("{thorough:?}"), "{}", path.display());
            findings += skipping.diagnostics.len();
        }
        assert!(findings > 100, "the fixtures have findings: {findings}");
    }

    /// One open quote or brace can cause thousands of errors: a script reports the first
    /// twenty and one that counts the rest, where the first of those is.
    #[test]
    fn syntax_errors_past_the_cap_are_counted_in_one() {
        let source = "x = = 1;\n".repeat(MAX_SYNTAX_ERRORS + 7);
        let arena = deluge_syntax::Arena::new();
        let parsed = deluge_syntax::parse(&source, &arena);
        assert_eq!(parsed.errors.len(), MAX_SYNTAX_ERRORS + 7);
        let result = lint(&source, &parsed, &Settings::default());
        let syntax: Vec<&Diagnostic> = result.diagnostics.iter().filter(|d| d.code == "DL000").collect();
        assert_eq!(syntax.len(), MAX_SYNTAX_ERRORS + 1);
        let summary = syntax.last().expect("the summing-up error");
        assert!(
            summary.message.starts_with("7 more syntax errors"),
            "{}",
            summary.message
        );
        assert_eq!(summary.range, parsed.errors[MAX_SYNTAX_ERRORS].range);
    }
}
