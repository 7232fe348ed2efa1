//! `delint check [PATHS...]`: find the files, lint them in parallel, print the reports in
//! path order as they complete, and exit with a status that means something.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use delint_container::{Container, ExportedFunction, Script, ScriptSummary};
use delint_linter::Fixes;
use delint_linter::diagnostic::Applicability;
use delint_linter::fix::apply::{FixedSource, fix_parsed};
use delint_linter::settings::Settings;
use delint_workspace::config::Configuration;
use delint_workspace::discovery::{DiscoveryOptions, discover, path_order};
use delint_workspace::pattern::PathPatterns;
use delint_workspace::resolver::absolute;
use delint_workspace::source::{Decoded, TextEncoding, Unreadable, decode, read_source};
use deluge_syntax::TextSize;

use super::config::resolver;
use crate::cli::CheckArgs;
use crate::interrupt;
use crate::ordered::map_in_order;
use crate::render::{self, RenderContext, summary};
use crate::report::{EmbeddedScript, FileReport, FixMode, Totals};

/// One unit of work, in output order.
enum Job {
    File {
        path: PathBuf,
        absolute: PathBuf,
        config: Arc<Configuration>,
        /// Named on the command line (a skipped file gets a note even when it is JSON).
        named: bool,
    },
    Stdin {
        path: PathBuf,
        settings: Option<Settings>,
    },
    /// A named path that could not be walked.
    Missing {
        path: PathBuf,
        reason: String,
    },
}

impl Job {
    fn path(&self) -> &Path {
        match self {
            Job::File { path, .. } | Job::Stdin { path, .. } | Job::Missing { path, .. } => path,
        }
    }

    /// Whether the user named this path (standard input counts as named).
    fn named(&self) -> bool {
        match self {
            Job::File { named, .. } => *named,
            Job::Stdin { .. } | Job::Missing { .. } => true,
        }
    }
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let started = Instant::now();
    match execute(args, started) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn execute(args: &CheckArgs, started: Instant) -> Result<ExitCode, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let resolver = resolver(&args.config, &cwd);
    let cli_exclude = PathPatterns::new(&cwd, &args.exclude).map_err(|e| format!("--exclude: {e}"))?;
    let mode = fix_mode(args);
    if matches!(mode, FixMode::Write(_)) {
        interrupt::install();
    }
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let mut paths: Vec<PathBuf> = args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    if paths.is_empty() && !reads_stdin {
        paths.push(PathBuf::from("."));
    }
    let options = DiscoveryOptions {
        force_exclude: args.force_exclude,
        threads: args.threads,
    };
    let discovered = discover(&paths, &resolver, &cli_exclude, &cwd, options);
    for error in &discovered.config_errors {
        eprintln!("error: {error}");
    }
    let discovered_files = discovered.files.len();
    let (discovered_passed_over, config_errors) = (discovered.passed_over, discovered.config_errors.len());
    let mut jobs: Vec<Job> = discovered
        .files
        .into_iter()
        .map(|file| Job::File {
            path: file.path,
            absolute: file.absolute,
            config: file.config,
            named: file.named,
        })
        .chain(discovered.walk_errors.into_iter().map(|error| Job::Missing {
            path: error.path,
            reason: error.message,
        }))
        .collect();
    let mut stdin_text = None;
    if reads_stdin {
        let (job, text) = stdin_job(args, &resolver, &cli_exclude, &cwd)?;
        jobs.push(job);
        stdin_text = Some(text);
    }
    // Discovery sorts its files and its errors; only a mix needs sorting again.
    if jobs.len() > discovered_files {
        jobs.sort_by_cached_key(|job| path_order(job.path()));
    }

    // With `--fix` on standard input the fixed text owns stdout, so the report moves to
    // stderr, as editors' format-on-save pipes expect.
    let fixed_to_stdout = stdin_text.is_some() && matches!(mode, FixMode::Write(_));
    // With `--diff`, stdout carries the diff alone (to pipe into a reviewer's tool), and the
    // findings and summary go to stderr.
    let diff_only = matches!(mode, FixMode::Diff(_));
    let mut out = output(args, fixed_to_stdout || diff_only)?;
    let mut diff_out = io::BufWriter::new(io::stdout());
    let context = RenderContext {
        mode,
        color: args.output_file.is_none()
            && !fixed_to_stdout
            && std::env::var_os("NO_COLOR").is_none()
            && io::IsTerminal::is_terminal(&io::stdout()),
        root: args
            .root
            .as_deref()
            .map_or_else(|| cwd.clone(), |root| absolute(root, &cwd)),
        cwd: cwd.clone(),
    };
    let mut emitter = render::emitter(args.output_format, args.statistics, &context);
    let mut totals = Totals {
        passed_over: discovered_passed_over,
        config_errors,
        ..Totals::default()
    };
    let mut fixed_stdin = None;
    let written = (|| -> io::Result<()> {
        if !args.show_files {
            emitter.begin(&mut out)?;
        }
        // After a signal, the files in flight finish and no new one starts.
        let check = |job: &Job| {
            if interrupt::requested() {
                return None;
            }
            let mut checked = check_job(job, stdin_text.as_ref(), args, mode);
            checked.reports.iter_mut().for_each(render::mask_messages);
            Some((job.named(), checked))
        };
        map_in_order(&jobs, args.threads, check, |checked| {
            let Some((named, Checked { reports, text })) = checked else {
                totals.not_checked += 1;
                return Ok(());
            };
            fixed_stdin = fixed_stdin.take().or(text);
            for report in reports {
                if let Some(diff) = &report.diff {
                    diff_out.write_all(diff.as_bytes())?;
                }
                if !args.quiet {
                    write_notes(&report, named);
                }
                totals.add(&report);
                if args.show_files {
                    writeln!(out, "{}: {}", report.display_path(), read_as(&report))?;
                    continue;
                }
                emitter.file(&mut out, &report)?;
            }
            io::Result::Ok(())
        })?;
        totals.elapsed = started.elapsed();
        if args.show_files {
            return show_passed_over(&mut out, &totals);
        }
        emitter.finish(&mut out, &totals)?;
        diff_out.flush()?;
        out.flush()
    })();
    if let Err(error) = written {
        if error.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {error}");
        }
        return Ok(ExitCode::from(2));
    }
    if !args.output_format.is_human() || args.statistics {
        // Best effort: the summary is for people; a closed stderr is no reason to fail.
        let _ = summary::write(&mut io::stderr().lock(), &totals, mode, false);
    }
    // Standard input that was excluded goes back unchanged.
    let unchanged = stdin_text.and_then(Result::ok).filter(|_| fixed_to_stdout);
    if let Some(text) = fixed_stdin.or(unchanged) {
        let mut stdout = io::stdout().lock();
        if stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).is_err() {
            return Ok(ExitCode::from(2));
        }
    }
    if totals.not_checked > 0 {
        eprintln!(
            "interrupted: {} written, {} not checked; every write is whole, and no temporary file is left",
            render::count(totals.files_written, "file"),
            render::count(totals.not_checked, "file"),
        );
        return Ok(ExitCode::from(interrupt::EXIT_STATUS));
    }
    let tool_error = totals.tool_errors() > 0;
    if args.show_files {
        // A listing, not a check: only what could not be read fails it.
        return Ok(ExitCode::from(if tool_error { 2 } else { 0 }));
    }
    Ok(exit_status(args, mode, &totals, tool_error))
}

fn fix_mode(args: &CheckArgs) -> FixMode {
    let level = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    match (args.diff, args.fix) {
        (true, _) => FixMode::Diff(level),
        (false, true) => FixMode::Write(level),
        (false, false) => FixMode::Report,
    }
}

/// 2 for a tool error; otherwise 1 for findings (for `--diff`: for changes), unless
/// `--exit-zero`; `--exit-non-zero-on-fix` makes applied fixes count too.
fn exit_status(args: &CheckArgs, mode: FixMode, totals: &Totals, tool_error: bool) -> ExitCode {
    let failed = if tool_error {
        return ExitCode::from(2);
    } else if args.exit_zero {
        false
    } else if let FixMode::Diff(_) = mode {
        totals.fixed > 0
    } else {
        totals.findings() > 0 || (args.exit_non_zero_on_fix && totals.fixed > 0)
    };
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn output(args: &CheckArgs, report_to_stderr: bool) -> Result<Box<dyn Write>, String> {
    Ok(match &args.output_file {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            Box::new(io::BufWriter::new(file))
        }
        None if report_to_stderr => Box::new(io::BufWriter::new(io::stderr())),
        None => Box::new(io::BufWriter::new(io::stdout())),
    })
}

/// Reads standard input and decides its settings: those of `--stdin-filename`, or of the
/// working directory; `None` when `--force-exclude` excludes that name.
fn stdin_job(
    args: &CheckArgs,
    resolver: &delint_workspace::resolver::Resolver,
    cli_exclude: &PathPatterns,
    cwd: &Path,
) -> Result<(Job, Result<String, Unreadable>), String> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(args.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let text = if bytes.len() as u64 > args.max_file_size {
        Err(Unreadable {
            reason: format!(
                "standard input is larger than the limit of {}; raise it with --max-file-size",
                delint_workspace::source::human_size(args.max_file_size)
            ),
            lossy: None,
            binary: false,
        })
    } else {
        decode(bytes)
    };
    let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
    let absolute = absolute(args.stdin_filename.as_deref().unwrap_or(Path::new("stdin.dg")), cwd);
    let config = resolver.for_file(&absolute).map_err(|e| e.to_string())?;
    let excluded = args.stdin_filename.is_some()
        && args.force_exclude
        && (config.excludes_path_or_ancestor(&absolute) || cli_exclude.matches_path_or_ancestor(&absolute));
    let settings = (!excluded).then(|| config.settings_for(&absolute));
    Ok((Job::Stdin { path: name, settings }, text))
}

/// What checking one job produced: a report per file, or per function of a JSON export.
struct Checked {
    reports: Vec<FileReport>,
    /// Standard input's text after `--fix`.
    text: Option<String>,
}

impl Checked {
    fn one(report: FileReport) -> Checked {
        Checked {
            reports: vec![report],
            text: None,
        }
    }
}

/// Checks one job.
fn check_job(job: &Job, stdin: Option<&Result<String, Unreadable>>, args: &CheckArgs, mode: FixMode) -> Checked {
    match job {
        Job::Missing { path, reason } => {
            Checked::one(FileReport::unreadable(path.clone(), reason.clone(), String::new(), 0))
        }
        Job::File {
            path,
            absolute,
            config,
            named,
        } => match read_source(absolute, args.max_file_size) {
            Ok(Decoded { text: source, encoding }) => {
                let stale = matches!(mode, FixMode::Write(_)) && remove_stale_temporary(absolute);
                let back = WriteBack {
                    path: absolute,
                    encoding,
                    write: write_atomically,
                };
                let mut reports = check_text(path, source, &config.settings_for(absolute), mode, Some(back), *named);
                if encoding != TextEncoding::Utf8
                    && let Some(first) = reports.first_mut()
                {
                    first.notes.push(format!(
                        "not UTF-8: read as {}, and --fix writes it back so",
                        encoding.name()
                    ));
                }
                if stale && let Some(first) = reports.first_mut() {
                    first
                        .notes
                        .push("removed the temporary file an interrupted run left beside it".to_owned());
                }
                Checked { reports, text: None }
            }
            // A binary file is not a broken text: it is set aside like any other non-Deluge.
            Err(unreadable) if unreadable.binary => Checked::one(FileReport::skipped(path.clone(), unreadable.reason)),
            Err(unreadable) => Checked::one(unreadable_report(path, unreadable)),
        },
        Job::Stdin { path, settings } => match (stdin, settings) {
            (Some(Ok(source)), Some(settings)) => {
                let reports = check_text(path, source.clone(), settings, mode, None, true);
                let text = matches!(mode, FixMode::Write(_)).then(|| text_after_fixes(&reports, source));
                Checked { reports, text }
            }
            (Some(Err(unreadable)), _) => Checked::one(unreadable_report(path, unreadable.clone())),
            _ => Checked::one(FileReport {
                path: path.clone(),
                ..FileReport::default()
            }),
        },
    }
}

/// Prints a report's notes (a skipped file, functions of an export with no Deluge) on
/// stderr, where they never mix with a machine format. A skipped file gets a note when it
/// was named or its name promised Deluge (`widget.dg` that holds JavaScript); the others (a
/// README, a client script in `.js`) are only counted in the summary, and listed by
/// `--show-files`.
fn write_notes(report: &FileReport, named: bool) {
    let path = report.path.display();
    if let Some(reason) = &report.skipped
        && (named || delint_workspace::walk_filter::has_a_deluge_extension(&report.path))
    {
        eprintln!("note: {path}: skipped, not Deluge: {reason}");
    }
    for note in &report.notes {
        eprintln!("note: {path}: {note}");
    }
}

/// What `--show-files` says a checked file was read as.
fn read_as(report: &FileReport) -> String {
    if let Some(reason) = &report.skipped {
        return format!("skipped, not Deluge: {reason}");
    }
    if report.unreadable {
        let reason = report.result.diagnostics.first().map_or("", |d| d.message.as_str());
        return format!("unreadable: {reason}");
    }
    match (&report.embedded, report.scripts.len()) {
        (Some(embedded), _) => format!("a function of a CRM export: {}", embedded.title),
        (None, blocks) if report.markdown => {
            format!(
                "a Markdown document ({} of Deluge)",
                render::count(blocks, "code block")
            )
        }
        (None, 0) => "Deluge".to_owned(),
        (None, scripts) => format!("a Creator application export ({})", render::count(scripts, "script")),
    }
}

/// The end of `--show-files`: the walked files passed over by name, by reason.
fn show_passed_over(out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
    for (reason, &n) in &totals.passed_over {
        writeln!(out, "passed over by name: {n} {}", reason.describe(n))?;
    }
    out.flush()
}

/// Checks one file's text by what it holds: Deluge, a Creator export, a JSON function
/// export, or something else (skipped with a note).
fn check_text(
    path: &Path,
    source: String,
    settings: &Settings,
    mode: FixMode,
    back: Option<WriteBack>,
    named: bool,
) -> Vec<FileReport> {
    match delint_container::sniff(path, &source) {
        Container::Deluge => vec![check_source(path, source, settings, mode, back, Foreign::Skip)],
        Container::CreatorApp(scripts) => vec![check_app(path, source, &scripts, settings, mode, back)],
        Container::Markdown(blocks) => vec![check_markdown(path, source, &blocks, settings)],
        Container::FunctionExport { functions, left_out } => {
            check_functions(path, &source, functions, left_out, settings, mode)
        }
        // A `.json` named on the command line that is not valid JSON broke the format it
        // claims (a truncated CRM export): an error, pointed at where it breaks.
        Container::BrokenJson(error) if named => {
            vec![FileReport::unreadable(
                path.to_path_buf(),
                error.message,
                source,
                error.offset,
            )]
        }
        Container::BrokenJson(error) => vec![FileReport::skipped(path.to_path_buf(), error.to_string())],
        Container::Foreign { reason } => vec![FileReport::skipped(path.to_path_buf(), reason)],
    }
}

/// Standard input's text after `--fix`: the fixed text of Deluge or a Creator export; the
/// original for what is never rewritten (a JSON export, a skipped file).
fn text_after_fixes(reports: &[FileReport], original: &str) -> String {
    match reports {
        [report] if report.embedded.is_none() && report.skipped.is_none() => report.source.clone(),
        _ => original.to_owned(),
    }
}

/// A Creator application export: each script linted in place; with `--fix`, the export
/// is rewritten with every script fixed.
fn check_app(
    path: &Path,
    source: String,
    scripts: &[Script],
    settings: &Settings,
    mode: FixMode,
    back: Option<WriteBack>,
) -> FileReport {
    let (FixMode::Write(level) | FixMode::Diff(level)) = mode else {
        let app = delint_container::lint_app(&source, scripts, settings, Fixes::Planned);
        return FileReport {
            path: path.to_path_buf(),
            source,
            result: app.result,
            scripts: app.scripts,
            ..FileReport::default()
        };
    };
    let outcome = delint_container::fix_app(&source, scripts, settings, level);
    finish_fix(
        path,
        source,
        outcome.fixed,
        outcome.scripts,
        mode,
        back,
        |path, source| check_app(path, source, scripts, settings, FixMode::Report, None),
    )
}

/// A Markdown document: its code blocks linted in place; whatever the mode, nothing is
/// written (the fixes are shown, see `delint_container::lint_markdown`).
fn check_markdown(path: &Path, source: String, blocks: &[Script], settings: &Settings) -> FileReport {
    let lint = delint_container::lint_markdown(&source, blocks, settings, Fixes::Planned);
    let mut notes = Vec::new();
    if !lint.fragments.is_empty() {
        let names: Vec<&str> = lint.fragments.iter().map(|&i| blocks[i].name.as_str()).collect();
        let what = match names.len() {
            1 => "1 code block is an excerpt that does not parse on its own; its calls were checked as far as it goes"
                .to_owned(),
            n => format!(
                "{n} code blocks are excerpts that do not parse on their own; their calls were checked as far as they go"
            ),
        };
        notes.push(format!("{what}: {}", names.join(", ")));
    }
    FileReport {
        path: path.to_path_buf(),
        source,
        result: lint.document.result,
        scripts: lint.document.scripts,
        markdown: true,
        notes,
        ..FileReport::default()
    }
}

/// A CRM function export: a report per function, positioned in its script. The JSON is
/// never rewritten; fixes are shown (with `--diff`, as the fixed script).
fn check_functions(
    path: &Path,
    source: &str,
    functions: Vec<ExportedFunction>,
    left_out: Vec<String>,
    settings: &Settings,
    mode: FixMode,
) -> Vec<FileReport> {
    let index = deluge_syntax::LineIndex::new(source);
    let mut reports = Vec::with_capacity(functions.len());
    for (i, function) in functions.into_iter().enumerate() {
        let at = index.line_col(source, TextSize::new(function.offset as u32));
        let embedded = EmbeddedScript {
            title: function.title(),
            function: function.name,
            line: at.line,
            column: at.column,
            first: i == 0,
        };
        // `--diff` shows the fixed script (headed `export.json:name`); nothing is written.
        let mut report = match mode {
            FixMode::Diff(_) => {
                let script_path = PathBuf::from(format!("{}:{}", path.display(), embedded.function));
                check_source(&script_path, function.script, settings, mode, None, Foreign::Lint)
            }
            _ => check_source(path, function.script, settings, FixMode::Report, None, Foreign::Lint),
        };
        report.path = path.to_path_buf();
        for fix in report.result.diagnostics.iter_mut().filter_map(|d| d.fix.as_mut()) {
            fix.applicability = Applicability::DisplayOnly;
        }
        report.embedded = Some(embedded);
        reports.push(report);
    }
    match reports.first_mut() {
        Some(first) => first.notes = left_out,
        None => {
            let mut reason = String::from("a function export with no Deluge script to lint");
            if !left_out.is_empty() {
                reason = format!("{reason} ({})", left_out.join("; "));
            }
            reports.push(FileReport::skipped(path.to_path_buf(), reason));
        }
    }
    reports
}

fn unreadable_report(path: &Path, unreadable: Unreadable) -> FileReport {
    let (text, at) = unreadable.lossy.unwrap_or_default();
    FileReport::unreadable(path.to_path_buf(), unreadable.reason, text, at)
}

/// Whether a text that fails to parse may be set aside as another language (a file's
/// text), or is Deluge whatever it holds (a script from a JSON export, a re-check).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Foreign {
    Skip,
    Lint,
}

/// Where `--fix` puts a fixed text, in which encoding, and how (tests substitute a failing
/// writer).
struct WriteBack<'p> {
    path: &'p Path,
    encoding: TextEncoding,
    write: fn(&Path, &[u8]) -> io::Result<()>,
}

/// Lints (and with fixes, fixes) one text; with `--fix`, writes changes back.
fn check_source(
    path: &Path,
    source: String,
    settings: &Settings,
    mode: FixMode,
    back: Option<WriteBack>,
    foreign: Foreign,
) -> FileReport {
    let linted = deluge_syntax::with_thread_arena(|arena| {
        let parsed = deluge_syntax::parse(&source, arena);
        // Only a text that fails to parse is looked at for Markdown fences or another
        // language's markers.
        if foreign == Foreign::Skip && !parsed.errors.is_empty() {
            if let Some(blocks) = delint_container::fenced_deluge(&source, &parsed) {
                return Linted::Markdown(blocks);
            }
            if let Some(language) = delint_container::foreign_language(&source) {
                return Linted::Foreign(language);
            }
        }
        match mode {
            FixMode::Write(level) | FixMode::Diff(level) => {
                Linted::Fixed(fix_parsed(&source, &parsed, settings, level))
            }
            FixMode::Report => Linted::Checked(delint_linter::lint(&source, &parsed, settings)),
        }
    });
    match linted {
        Linted::Foreign(language) => FileReport::skipped(path.to_path_buf(), format!("looks like {language}")),
        Linted::Markdown(blocks) => check_markdown(path, source, &blocks, settings),
        Linted::Checked(result) => FileReport {
            path: path.to_path_buf(),
            source,
            result,
            ..FileReport::default()
        },
        Linted::Fixed(outcome) => finish_fix(path, source, outcome, Vec::new(), mode, back, |path, source| {
            check_source(path, source, settings, FixMode::Report, None, Foreign::Lint)
        }),
    }
}

/// What [`check_source`] made of a text while its tree was alive.
enum Linted {
    /// It is another language's file.
    Foreign(&'static str),
    /// It is Markdown: Deluge in fenced code blocks.
    Markdown(Vec<Script>),
    /// Its findings.
    Checked(delint_linter::LintResult),
    /// Its fixed text (with `--fix` or `--diff`).
    Fixed(FixedSource),
}

/// Diffs or writes back a fixed text (with `scripts`, those of a fixed container); when
/// the write fails, reports the original's findings (`recheck`) and why.
fn finish_fix(
    path: &Path,
    source: String,
    outcome: FixedSource,
    scripts: Vec<ScriptSummary>,
    mode: FixMode,
    back: Option<WriteBack>,
    recheck: impl FnOnce(&Path, String) -> FileReport,
) -> FileReport {
    let changed = outcome.text != source;
    let diff = (matches!(mode, FixMode::Diff(_)) && changed).then(|| {
        let before = render::redact(&source, &outcome.original_secrets);
        let after = render::redact(&outcome.text, &outcome.remaining.secrets);
        let after = render::mask_secret_texts(&after, &source, &outcome.original_secrets);
        unified_diff(path, &source, &before, &after)
    });
    if matches!(mode, FixMode::Write(_))
        && changed
        && let Some(back) = &back
        && let Err(error) = back
            .encoding
            .encode(&outcome.text)
            .and_then(|bytes| (back.write)(back.path, &bytes))
    {
        // Nothing was written: report the original text's findings, and why.
        let mut report = recheck(path, source);
        report.write_error = Some(format!("could not write the fixed file: {error}"));
        return report;
    }
    FileReport {
        path: path.to_path_buf(),
        written: matches!(mode, FixMode::Write(_)) && changed && back.is_some(),
        source: outcome.text,
        result: outcome.remaining,
        fixed: outcome.fixed,
        rejected: outcome.rejected,
        diff,
        scripts,
        ..FileReport::default()
    }
}

/// The temporary file `--fix` writes beside `path` before renaming it over `path`:
/// `.<name>.delint-tmp`, hidden (walks skip it) and recognisable, so a run interrupted past
/// recall (`kill -9`) leaves a file the next `--fix` removes.
pub fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.delint-tmp"))
}

/// Removes the temporary file an interrupted run left beside `path`; whether there was one.
fn remove_stale_temporary(path: &Path) -> bool {
    std::fs::remove_file(temporary_path(path)).is_ok()
}

/// Writes `text` to a temporary file beside `path`, with `path`'s permissions, then renames
/// it over `path`: a reader sees the old file or the new one, never half of either. On any
/// failure the temporary file is removed.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let permissions = std::fs::metadata(path)?.permissions();
    // Renaming over a read-only file would succeed (the directory is what is written);
    // a read-only file is the user saying "do not change this".
    if permissions.readonly() {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
    }
    let temp = temporary_path(path);
    let written = (|| {
        // A stale one (from a run killed mid-write) is replaced.
        let _ = std::fs::remove_file(&temp);
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        file.set_permissions(permissions)?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// A unified diff of `before` (the original with its tokens masked) and `after`, headed
/// `--- path` / `+++ path`. A `-` line whose token text is masked (it differs from the
/// `original` line) is followed by a `\` note saying so: the diff is for review, and only
/// `--fix` applies the change to the real text.
fn unified_diff(path: &Path, original: &str, before: &str, after: &str) -> String {
    let name = path.display().to_string();
    let original_lines: Vec<&str> = original.split_inclusive('\n').collect();
    let diff = similar::TextDiff::from_lines(before, after);
    let mut text = format!("--- {name}\n+++ {name}\n");
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        text.push_str(&format!("{}\n", hunk.header()));
        for change in hunk.iter_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            };
            text.push(sign);
            text.push_str(change.value());
            if change.missing_newline() {
                text.push_str("\n\\ No newline at end of file\n");
            }
            let masked = change.tag() == similar::ChangeTag::Delete
                && change
                    .old_index()
                    .is_some_and(|at| original_lines.get(at).is_some_and(|line| *line != change.value()));
            if masked {
                text.push_str("\\ delint: token text on this line is masked; apply the change with --fix\n");
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALL: &str = "r = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + t type: GET ];\n";

    fn disk_full(_: &Path, _: &[u8]) -> io::Result<()> {
        Err(io::Error::other("No space left on device"))
    }

    #[test]
    fn a_failed_write_reports_the_original_findings_and_why() {
        let back = WriteBack {
            path: Path::new("f.dg"),
            encoding: TextEncoding::Utf8,
            write: disk_full,
        };
        let mode = FixMode::Write(Applicability::Unsafe);
        let report = check_source(
            Path::new("f.dg"),
            CALL.to_owned(),
            &Settings::default(),
            mode,
            Some(back),
            Foreign::Skip,
        );
        assert_eq!(
            report.write_error.as_deref(),
            Some("could not write the fixed file: No space left on device")
        );
        assert_eq!(report.source, CALL, "the report describes the text still on disk");
        assert_eq!(report.fixed, 0);
        assert_eq!(report.result.diagnostics[0].code, "DL001");
    }

    #[test]
    fn a_failed_write_of_an_export_reports_the_original_scripts() {
        let export = format!(
            "application \"A\"\n{{\n functions\n {{\n  Deluge\n  {{\n   void f()\n   {{\n    {CALL}   }}\n  }}\n }}\n}}\n"
        );
        let Container::CreatorApp(scripts) = delint_container::sniff(Path::new("a.ds"), &export) else {
            panic!("an application export");
        };
        let back = WriteBack {
            path: Path::new("a.ds"),
            encoding: TextEncoding::Utf8,
            write: disk_full,
        };
        let mode = FixMode::Write(Applicability::Unsafe);
        let report = check_app(
            Path::new("a.ds"),
            export.clone(),
            &scripts,
            &Settings::default(),
            mode,
            Some(back),
        );
        assert!(report.write_error.is_some());
        assert_eq!(report.source, export);
        assert_eq!(report.scripts.len(), 1);
        assert_eq!(
            report.scripts[0].range, scripts[0].range,
            "the scripts of the text on disk"
        );
        assert_eq!(report.scope_of(report.result.diagnostics[0].range), Some("function f"));
    }

    #[test]
    fn an_atomic_write_that_cannot_land_leaves_everything_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be: the rename fails after the temporary file
        // was written.
        let target = dir.path().join("f.dg");
        std::fs::create_dir(&target).unwrap();
        assert!(write_atomically(&target, CALL.as_bytes()).is_err());
        assert!(target.is_dir());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["f.dg"], "the temporary file is cleaned up");
        assert!(
            write_atomically(&dir.path().join("missing.dg"), CALL.as_bytes()).is_err(),
            "a vanished file is not recreated"
        );
        assert!(!dir.path().join("missing.dg").exists());
    }
}
