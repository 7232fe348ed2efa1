//! `markdown` and `html`: the audit report a consultant hands to a client, read top-down:
//! a summary (per service, with the date its authtokens stopped working), a status table
//! of every function, most urgent first, one entry per offending call naming every rule
//! that fires on it (code redacted, one fix), the OAuth connections to create, and an
//! appendix of syntax errors and files not checked.
//!
//! Reports are gathered into a small model as files arrive (the summary comes first, so
//! nothing can be written before the last file) and then written in one of two styles.
//! The report holds no time or absolute path: the same input gives the same bytes.

mod html;
mod markdown;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use delint_linter::NeededConnection;
use delint_linter::diagnostic::{Applicability, Diagnostic};
use delint_linter::services::Service;
use deluge_syntax::{LineIndex, TextRange};

use super::Emitter;
use super::position::Positions;
use crate::report::{FileReport, Totals, fails_today, is_authtoken_finding};

/// Lines of code shown per finding; longer constructs are cut with a marker.
const EXCERPT_LINES: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Markdown,
    Html,
}

/// What the connections table asks of the client.
const CONNECTIONS_INTRO: &str = "Each link name is one connection in Zoho (Setup › Developer Hub › Connections, or the \
     Deluge editor's Connections). Create those marked \"to create\" with these scopes; check that those \
     the code already references exist, with these scopes; replace placeholders with a real link name.";

/// The report being gathered.
pub struct Audit {
    style: Style,
    functions: Vec<FunctionAudit>,
    /// Calls and failing functions per Zoho service: the chart and its table.
    services: BTreeMap<Service, ServiceCounts>,
    /// Calls that fail today and have a fix: (safe, unsafe).
    fixable_calls: (usize, usize),
    /// Calls that fail today and must be changed by hand.
    manual_calls: usize,
    /// Each connection and the functions that will use it.
    connections: BTreeMap<NeededConnection, BTreeSet<String>>,
    functions_sending_authtokens: usize,
    manual_migrations: usize,
    /// Calls to retired v1 endpoints whose fix migrates them (into an integration task).
    automatic_migrations: usize,
    skipped: Vec<(String, String)>,
    unreadable: Vec<(String, String)>,
    syntax_errors: Vec<SyntaxErrorEntry>,
}

/// A function (a script): its status and one entry per offending call.
struct FunctionAudit {
    title: String,
    /// Where it is: `app.ds:60`, `export.json, script at line 18, column 17`.
    location: String,
    status: Status,
    calls: Vec<CallEntry>,
    /// Syntax errors in it, listed in the appendix.
    syntax_errors: usize,
}

/// What a function needs, most urgent first (the status table's order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    /// It sends authtokens (or calls a retired v1 API) and some call has no fix to apply.
    FailsManual,
    /// It fails today, and every failing call has a fix delint applies.
    FailsFixable,
    /// Findings that do not stop it working (deprecated functions, leftovers).
    Review,
    /// Nothing found.
    Clean,
}

impl Status {
    fn describe(self) -> &'static str {
        match self {
            Status::FailsManual => "fails today: manual migration needed",
            Status::FailsFixable => "fails today: fix available",
            Status::Review => "works; findings to review",
            Status::Clean => "clean",
        }
    }

    /// The CSS class of its badge.
    fn class(self) -> &'static str {
        match self {
            Status::FailsManual => "manual",
            Status::FailsFixable => "fixable",
            Status::Review => "review",
            Status::Clean => "clean",
        }
    }
}

/// One offending call (or construct) and every rule that fires on it.
struct CallEntry {
    /// Whether it fails today, and whether delint fixes it.
    status: CallStatus,
    /// The Zoho service it calls, when it is a call to one.
    service: Option<Service>,
    /// The call's range in the report's source.
    range: TextRange,
    rules: Vec<RuleHit>,
    /// The worst severity among the rules.
    severity: &'static str,
    /// `line 12, column 5` (in the script, for a JSON export).
    position: String,
    /// Numbered lines of redacted code.
    excerpt: Vec<(u32, String)>,
    /// The rules' help, each once.
    help: Vec<String>,
    /// The one fix that resolves the call's findings (the first rule's, when they differ).
    fix: Option<SuggestedFix>,
    /// The OAuth connection it uses or its fix adds.
    connection: Option<CallConnection>,
}

/// What one call needs: the chart's categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CallStatus {
    /// It fails today and has a fix delint applies (or, in an export, shows).
    Fixable,
    /// It fails today and must be migrated by hand.
    Manual,
    /// It does not fail for want of a connection (findings, if any, are to review).
    Works,
}

/// One service's line of the chart and of the per-service table.
#[derive(Clone, Copy, Debug, Default)]
struct ServiceCounts {
    failing_functions: usize,
    fixable: usize,
    manual: usize,
    works: usize,
}

impl ServiceCounts {
    fn calls(&self) -> usize {
        self.fixable + self.manual + self.works
    }
}

/// The connection beside a call: its link name, what to do about it, its scopes.
struct CallConnection {
    name: String,
    status: &'static str,
    scopes: Vec<String>,
}

/// One rule's finding at a call.
struct RuleHit {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: String,
}

impl CallEntry {
    /// The excerpt as `  69 | code` lines, numbers right-aligned; a cut shows as `…`.
    fn numbered_excerpt(&self) -> Vec<String> {
        let width = self.excerpt.iter().map(|(n, _)| n.to_string().len()).max().unwrap_or(1);
        self.excerpt
            .iter()
            .map(|(n, line)| {
                let number = if *n == 0 { String::new() } else { n.to_string() };
                format!("{number:>width$} | {line}")
            })
            .collect()
    }

    /// `DL001, DL010 and DL011`.
    fn codes(&self) -> String {
        let codes: Vec<&str> = self.rules.iter().map(|r| r.code).collect();
        match codes.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
}

/// A syntax error, for the appendix.
struct SyntaxErrorEntry {
    function: String,
    location: String,
    message: String,
}

struct SuggestedFix {
    /// Applied by `--fix` without `--unsafe-fixes`.
    safe: bool,
    safety: &'static str,
    message: String,
    /// Unified-diff lines, redacted.
    diff: Vec<String>,
}

impl Audit {
    pub fn new(style: Style) -> Audit {
        Audit {
            style,
            functions: Vec::new(),
            services: BTreeMap::new(),
            fixable_calls: (0, 0),
            manual_calls: 0,
            connections: BTreeMap::new(),
            functions_sending_authtokens: 0,
            manual_migrations: 0,
            automatic_migrations: 0,
            skipped: Vec::new(),
            unreadable: Vec::new(),
            syntax_errors: Vec::new(),
        }
    }

    /// The connections to list, one per link name, each with the functions that use it.
    fn connection_rows(&self) -> Vec<(delint_linter::connections::Connection, BTreeSet<String>)> {
        delint_linter::connections::summarise(self.connections.keys())
            .into_iter()
            .map(|connection| {
                let users = self
                    .connections
                    .iter()
                    .filter(|(need, _)| need.name == connection.name)
                    .flat_map(|(_, users)| users.iter().cloned())
                    .collect();
                (connection, users)
            })
            .collect()
    }

    /// A script's findings and connections.
    fn add_function(
        &mut self,
        title: String,
        location: String,
        diagnostics: &[&Diagnostic],
        connections: &[NeededConnection],
        view: &View,
    ) {
        for connection in connections {
            self.connections
                .entry(connection.clone())
                .or_default()
                .insert(title.clone());
        }
        let (syntax, diagnostics): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
            diagnostics.iter().partition(|d| d.code == SYNTAX_ERROR);
        for error in &syntax {
            let (start, _) = view.positions.range(error.range);
            self.syntax_errors.push(SyntaxErrorEntry {
                function: title.clone(),
                location: format!("{location}, line {}, column {}", start.row, start.column),
                message: error.message.clone(),
            });
        }
        self.functions_sending_authtokens += usize::from(diagnostics.iter().any(|d| is_authtoken_finding(d)));
        let embedded = view.report.embedded.is_some();
        for diagnostic in diagnostics.iter().filter(|d| d.code == "DL011") {
            *if has_fix(diagnostic, embedded) {
                &mut self.automatic_migrations
            } else {
                &mut self.manual_migrations
            } += 1;
        }
        let calls: Vec<CallEntry> = super::by_call(&diagnostics)
            .into_iter()
            .map(|findings| view.call_entry(&findings))
            .collect();
        let status = function_status(&calls);
        self.count_calls(&calls, connections, status);
        self.functions.push(FunctionAudit {
            title,
            location,
            status,
            calls,
            syntax_errors: syntax.len(),
        });
    }

    /// Adds a function's calls to the per-service counts: its entries, and the calls that
    /// use a connection and have no entry (they work).
    fn count_calls(&mut self, calls: &[CallEntry], connections: &[NeededConnection], status: Status) {
        let mut failing_services = BTreeSet::new();
        for call in calls {
            match (call.status, &call.fix) {
                (CallStatus::Fixable, Some(fix)) if fix.safe => self.fixable_calls.0 += 1,
                (CallStatus::Fixable, _) => self.fixable_calls.1 += 1,
                (CallStatus::Manual, _) => self.manual_calls += 1,
                (CallStatus::Works, _) => {}
            }
            let Some(service) = call.service else { continue };
            let counts = self.services.entry(service).or_default();
            match call.status {
                CallStatus::Fixable => counts.fixable += 1,
                CallStatus::Manual => counts.manual += 1,
                CallStatus::Works => counts.works += 1,
            }
            if call.status != CallStatus::Works {
                failing_services.insert(service);
            }
        }
        let mut working: Vec<TextRange> = Vec::new();
        for need in connections {
            for call in &need.calls {
                if !calls.iter().any(|c| c.range == *call) && !working.contains(call) {
                    working.push(*call);
                    self.services.entry(need.service).or_default().works += 1;
                }
            }
        }
        if matches!(status, Status::FailsManual | Status::FailsFixable) {
            for service in failing_services {
                self.services.entry(service).or_default().failing_functions += 1;
            }
        }
    }

    /// The functions, most urgent first (files' order kept within a status), each with
    /// its anchor.
    fn functions_in_order(&self) -> Vec<(String, &FunctionAudit)> {
        let mut functions: Vec<&FunctionAudit> = self.functions.iter().collect();
        functions.sort_by_key(|f| f.status);
        functions
            .into_iter()
            .enumerate()
            .map(|(i, f)| (format!("function-{}", i + 1), f))
            .collect()
    }
}

impl Emitter for Audit {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let path = report.path.display().to_string();
        if let Some(reason) = &report.skipped {
            self.skipped.push((path, reason.clone()));
            return Ok(());
        }
        if report.unreadable {
            let reason = report.result.diagnostics.first().map(|d| d.message.clone());
            self.unreadable.push((path, reason.unwrap_or_default()));
            return Ok(());
        }
        let view = View::new(report);
        let diagnostics: Vec<&Diagnostic> = report.result.diagnostics.iter().collect();
        if let Some(embedded) = &report.embedded {
            let location = format!("{path}, script at line {}, column {}", embedded.line, embedded.column);
            self.add_function(
                embedded.title.clone(),
                location,
                &diagnostics,
                &report.result.connections,
                &view,
            );
        } else if report.scripts.is_empty() {
            // A file that defines one function is named by it.
            let (title, location) = match report.result.functions.as_slice() {
                [name] => {
                    let (start, _) = view.positions.range(*name);
                    let name = report
                        .source
                        .get(std::ops::Range::<usize>::from(*name))
                        .unwrap_or_default();
                    (format!("function {name}"), format!("{path}:{}", start.row))
                }
                _ => (path.clone(), path),
            };
            self.add_function(title, location, &diagnostics, &report.result.connections, &view);
        } else {
            let mut per_script: Vec<Vec<&Diagnostic>> = vec![Vec::new(); report.scripts.len()];
            for diagnostic in diagnostics {
                if let Some(i) = report.script_of(diagnostic.range) {
                    per_script[i].push(diagnostic);
                }
            }
            for (script, inside) in report.scripts.iter().zip(per_script) {
                let (start, _) = view.positions.range(script.range);
                let location = format!("{path}:{}", start.row);
                self.add_function(script.name.clone(), location, &inside, &script.connections, &view);
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        match self.style {
            Style::Markdown => markdown::write(out, self, totals),
            Style::Html => html::write(out, self, totals),
        }
    }
}

/// One report's text as the audit shows it: redacted, with positions.
struct View<'r> {
    report: &'r FileReport,
    /// The source with secrets masked, byte for byte as long: ranges fit both.
    shown: String,
    shown_index: LineIndex,
    positions: Positions<'r>,
}

impl<'r> View<'r> {
    fn new(report: &'r FileReport) -> View<'r> {
        let shown = super::redact(&report.source, &report.result.secrets);
        View {
            report,
            shown_index: LineIndex::new(&shown),
            shown,
            positions: Positions::new(&report.source),
        }
    }

    /// A call's findings (the same range) as one entry: every rule, one excerpt, one fix.
    fn call_entry(&self, findings: &[&Diagnostic]) -> CallEntry {
        let embedded = self.report.embedded.is_some();
        let first = findings[0];
        let (start, _) = self.positions.range(first.range);
        let lines: Vec<(u32, String)> = self.shown[self.positions.line_span(first.range)]
            .lines()
            .zip(start.row..)
            .map(|(line, row)| (row, line.to_owned()))
            .collect();
        let mut excerpt = dedent(lines);
        if excerpt.len() > EXCERPT_LINES {
            excerpt.truncate(EXCERPT_LINES - 1);
            excerpt.push((0, "…".to_owned()));
        }
        let help: Vec<String> = super::call_helps(findings).into_iter().map(str::to_owned).collect();
        let severity = if findings.iter().any(|d| d.severity.as_str() == "error") {
            "error"
        } else {
            first.severity.as_str()
        };
        CallEntry {
            status: call_status(findings, embedded),
            service: findings.iter().find_map(|d| d.service),
            range: first.range,
            connection: self.connection_of(first.range),
            rules: findings
                .iter()
                .map(|d| RuleHit {
                    code: d.code,
                    name: d.name,
                    severity: d.severity.as_str(),
                    message: d.message.clone(),
                })
                .collect(),
            severity,
            position: format!("line {}, column {}", start.row, start.column),
            excerpt,
            help,
            fix: findings.iter().find_map(|d| d.fix.as_ref()).map(|fix| {
                let edits = super::redacted_edits(&self.report.source, &self.report.result.secrets, &fix.edits);
                SuggestedFix {
                    safe: fix.applicability == Applicability::Safe,
                    safety: safety(fix.applicability, embedded),
                    message: fix.message.clone(),
                    diff: dedent_diff(super::fix_diff::hunk_lines(&self.shown, &self.shown_index, &edits)),
                }
            }),
        }
    }

    /// The connection the call at `range` uses or its fix adds, secrets masked.
    fn connection_of(&self, range: TextRange) -> Option<CallConnection> {
        let need = self
            .report
            .result
            .connections
            .iter()
            .find(|c| c.calls.contains(&range))?;
        Some(CallConnection {
            name: super::mask_secret_texts(&need.name, "", &[]),
            status: need.status.describe(),
            scopes: need.scopes.clone(),
        })
    }
}

/// The code of syntax errors, which the appendix lists apart from the findings.
const SYNTAX_ERROR: &str = "DL000";

/// Whether the finding's fix is one delint applies (safe or unsafe).
fn applies(diagnostic: &Diagnostic) -> bool {
    diagnostic
        .fix
        .as_ref()
        .is_some_and(|fix| fix.applicability > Applicability::DisplayOnly)
}

/// A call's status from its findings: it fails today when it sends an authtoken or calls
/// a retired v1 API; it is fixable when one of its findings has a fix (`has_fix`).
fn call_status(findings: &[&Diagnostic], embedded: bool) -> CallStatus {
    if !findings.iter().any(|d| fails_today(d)) {
        return CallStatus::Works;
    }
    if findings.iter().any(|d| has_fix(d, embedded)) {
        CallStatus::Fixable
    } else {
        CallStatus::Manual
    }
}

/// Whether the finding has a fix delint applies, or, in an export (which is never
/// rewritten), one it would apply (fixes held back for a reason of their own say
/// "not applied").
fn has_fix(diagnostic: &Diagnostic, embedded: bool) -> bool {
    match &diagnostic.fix {
        Some(fix) if embedded => !fix.message.contains("not applied"),
        _ => applies(diagnostic),
    }
}

/// A function's status from its calls' (syntax errors aside).
fn function_status(calls: &[CallEntry]) -> Status {
    if calls.is_empty() {
        Status::Clean
    } else if calls.iter().any(|c| c.status == CallStatus::Manual) {
        Status::FailsManual
    } else if calls.iter().any(|c| c.status == CallStatus::Fixable) {
        Status::FailsFixable
    } else {
        Status::Review
    }
}

/// Numbered lines without the indentation they all share (an export's scripts sit deep
/// in tabs).
fn dedent(lines: Vec<(u32, String)>) -> Vec<(u32, String)> {
    let common = common_indent(lines.iter().map(|(_, line)| line.as_str()));
    lines
        .into_iter()
        .map(|(n, line)| (n, line[common.min(line.len())..].to_owned()))
        .collect()
}

/// Diff lines (` `, `+`, `-` then the code; `@@` headers) without their shared indentation.
fn dedent_diff(lines: Vec<String>) -> Vec<String> {
    let body = |line: &str| -> bool { !line.starts_with("@@") };
    let common = common_indent(lines.iter().filter(|l| body(l)).map(|l| l.get(1..).unwrap_or("")));
    lines
        .into_iter()
        .map(|line| {
            if !body(&line) || line.len() <= 1 {
                return line;
            }
            let code = &line[1..];
            format!("{}{}", &line[..1], &code[common.min(code.len())..])
        })
        .collect()
}

/// The length in bytes of the whitespace prefix every non-blank line shares.
fn common_indent<'l>(lines: impl Iterator<Item = &'l str>) -> usize {
    let mut common: Option<&str> = None;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        common = Some(match common {
            None => indent,
            Some(c) => {
                let shared = c.bytes().zip(indent.bytes()).take_while(|(a, b)| a == b).count();
                &c[..shared]
            }
        });
    }
    common.map_or(0, str::len)
}

fn safety(applicability: Applicability, embedded: bool) -> &'static str {
    match applicability {
        _ if embedded => "apply it in Zoho's editor; the export is not rewritten",
        Applicability::Safe => "safe, applied by `delint check --fix`",
        Applicability::Unsafe => "unsafe, applied by `delint check --fix --unsafe-fixes` after review",
        Applicability::DisplayOnly => "manual: never applied automatically",
    }
}

/// The summary's opening lines, for a manager: what fails, what delint fixes, what the
/// client must do. Code spans in backticks.
fn lead(audit: &Audit) -> Vec<String> {
    let failing = audit.failing_functions();
    let total = audit.functions.len();
    let mut lines = Vec::new();
    if failing == 0 {
        lines.push(format!(
            "None of the {} fails today for want of an OAuth connection.",
            super::count(total, "function")
        ));
    } else {
        lines.push(format!(
            "{failing} of {} fail today: they still send authtokens or call retired v1 APIs.",
            super::count(total, "function")
        ));
        let (safe, unsafe_) = audit.fixable_calls;
        lines.push(format!(
            "Of their {}, {} a fix delint applies ({safe} safe, {unsafe_} to review before applying) and {} migrating by hand.",
            super::count(safe + unsafe_ + audit.manual_calls, "failing call"),
            were(safe + unsafe_, "has", "have"),
            were(audit.manual_calls, "needs", "need"),
        ));
    }
    let (to_create, referenced, placeholders) = audit.connection_counts();
    if to_create + referenced + placeholders > 0 {
        lines.push(format!(
            "Connections: {to_create} to create, {referenced} the code already names (check they exist), {placeholders} {} to replace.",
            if placeholders == 1 { "placeholder" } else { "placeholders" }
        ));
    }
    lines
}

/// `3 have` / `1 has`.
fn were(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Audit {
    fn failing_functions(&self) -> usize {
        self.functions
            .iter()
            .filter(|f| matches!(f.status, Status::FailsManual | Status::FailsFixable))
            .count()
    }

    /// Link names to create, already referenced, and placeholders.
    fn connection_counts(&self) -> (usize, usize, usize) {
        use delint_linter::connections::ConnectionStatus;
        let rows = self.connection_rows();
        let with = |status| rows.iter().filter(|(c, _)| c.status == status).count();
        (
            with(ConnectionStatus::ToCreate),
            with(ConnectionStatus::Referenced),
            with(ConnectionStatus::Placeholder),
        )
    }
}

/// The summary's rows, shared by both styles: (label, value).
fn summary_rows(audit: &Audit, totals: &Totals) -> Vec<(&'static str, String)> {
    let (safe, unsafe_) = audit.fixable_calls;
    let (to_create, referenced, placeholders) = audit.connection_counts();
    let mut rows = vec![
        ("Files scanned", totals.files.to_string()),
        ("Functions scanned", totals.functions.to_string()),
        ("Functions that fail today", audit.failing_functions().to_string()),
        (
            "Functions still sending authtokens",
            audit.functions_sending_authtokens.to_string(),
        ),
        (
            "Calls that fail today",
            format!(
                "{} ({safe} with a safe fix, {unsafe_} with an unsafe fix to review, {} to migrate by hand)",
                safe + unsafe_ + audit.manual_calls,
                audit.manual_calls
            ),
        ),
        (
            "Calls to retired v1 endpoints (DL011)",
            format!(
                "{} migrated by the unsafe fix (review the response reads it names), {} need a manual migration",
                audit.automatic_migrations, audit.manual_migrations
            ),
        ),
        (
            "Connections",
            format!("{to_create} to create, {referenced} referenced, {placeholders} placeholders"),
        ),
        (
            "Findings",
            format!(
                "{} ({} errors, {} warnings)",
                totals.findings(),
                totals.errors,
                totals.warnings
            ),
        ),
    ];
    if !audit.skipped.is_empty() {
        rows.push(("Files skipped (not Deluge)", audit.skipped.len().to_string()));
    }
    if !audit.unreadable.is_empty() {
        rows.push(("Files that could not be read", audit.unreadable.len().to_string()));
    }
    rows
}

/// One row of the per-service table (and one bar of the chart).
struct ServiceRow {
    name: &'static str,
    counts: ServiceCounts,
    /// `2021-05-31: CRM functions stopped working with authtokens`.
    retired: String,
}

/// The services the report's calls reach, in the services' order.
fn service_rows(audit: &Audit) -> Vec<ServiceRow> {
    audit
        .services
        .iter()
        .map(|(service, counts)| ServiceRow {
            name: service.display_name(),
            counts: *counts,
            retired: match service.authtoken_retirement() {
                Some((date, what)) => format!("{date}: {what}"),
                None => "retired; Zoho announced no separate date".to_owned(),
            },
        })
        .collect()
}
