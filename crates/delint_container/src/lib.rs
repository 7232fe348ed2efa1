//! The Deluge inside what Zoho exports.
//!
//! A consultant's audit starts with an export, not a folder of `.dg` files: a Creator
//! application (`.ds` beginning with `application "Name"`) holds dozens of scripts inside a
//! declarative language; a CRM functions export is JSON with each script as a string.
//! [`sniff`] tells them apart by content; [`lint_app`] and [`fix_app`] lint and fix a
//! Creator export's scripts in place, so findings point at their true line and column in
//! the `.ds` file and fixes edit it without disturbing anything around the scripts.

pub mod creator;
mod foreign;
pub mod function_export;
pub mod markdown;

use std::path::Path;

use delint_linter::diagnostic::{Applicability, Diagnostic};
use delint_linter::fix::apply::{FixedSource, fix_source};
use delint_linter::settings::Settings;
use delint_linter::{Fixes, LintResult, NeededConnection, lint_with};
use deluge_syntax::{Parsed, TextRange, TextSize, parse};

pub use foreign::foreign_language;
pub use function_export::{ExportedFunction, InvalidJson};

/// A named piece of Deluge inside a container: a workflow action, a custom function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// `workflow Add_estoque (on success)`, `function ns.send(string id)`.
    pub name: String,
    /// The Deluge's range in the container file.
    pub range: TextRange,
}

/// What a file holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Container {
    /// Deluge: the whole text is one script.
    Deluge,
    /// A Creator application export and the scripts inside it.
    CreatorApp(Vec<Script>),
    /// A Markdown document and its fenced code blocks of Deluge: linted in place, never
    /// rewritten (a document's copy of a function is not the function).
    Markdown(Vec<Script>),
    /// A CRM function export in JSON.
    FunctionExport {
        functions: Vec<ExportedFunction>,
        /// Functions that hold no Deluge to lint, and why.
        left_out: Vec<String>,
    },
    /// A `.json` file that is not valid JSON: a broken export when the user named it.
    BrokenJson(InvalidJson),
    /// Not something delint reads (`package.json`): why, for the note that says so.
    Foreign { reason: String },
}

/// What `text`, read from `path`, holds: decided by content, with the extension as a hint
/// (`.json` is never Deluge; a `.ds` without the `application` header is plain Deluge).
pub fn sniff(path: &Path, text: &str) -> Container {
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let first = text.trim_start_matches('\u{FEFF}').trim_start().bytes().next();
    if is_json || matches!(first, Some(b'{' | b'[')) {
        use function_export::JsonContents;
        match function_export::read(text) {
            JsonContents::Functions { functions, left_out } => {
                return Container::FunctionExport { functions, left_out };
            }
            JsonContents::Unrelated if is_json => {
                return Container::Foreign {
                    reason: "JSON that is not a Zoho function export".to_owned(),
                };
            }
            JsonContents::Invalid(error) if is_json => return Container::BrokenJson(error),
            // Deluge may start with a map or list literal.
            _ => {}
        }
    }
    if creator::is_application_export(text) {
        return Container::CreatorApp(creator::scripts(text));
    }
    // A `.md` is Markdown whatever it holds. Any other text with a fenced block of Deluge
    // (code pasted from a chat or a wiki with its fences) is Markdown too, but a fence is
    // a syntax error, so that is asked only of a text that fails to parse: see
    // [`fenced_deluge`].
    if !markdown::is_markdown_path(path) {
        return Container::Deluge;
    }
    let blocks = markdown::deluge_blocks(text);
    if blocks.is_empty() {
        Container::Foreign {
            reason: "Markdown or prose, with no code block of Deluge".to_owned(),
        }
    } else {
        Container::Markdown(blocks)
    }
}

/// The fenced blocks of Deluge of a text [`sniff`] took for Deluge, given its parse: `Some`
/// when it is Markdown after all (a paste with its fences), to be linted as
/// [`Container::Markdown`]. A fence line never parses, so a text that parsed is not
/// searched. The one place that decides it, for the CLI, the server's diagnostics and its
/// code actions alike.
pub fn fenced_deluge(text: &str, parsed: &Parsed<'_>) -> Option<Vec<Script>> {
    if parsed.errors.is_empty() {
        return None;
    }
    let blocks = markdown::deluge_blocks(text);
    (!blocks.is_empty()).then_some(blocks)
}

/// A script and what linting it found, for reports that list findings per function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptSummary {
    pub name: String,
    pub range: TextRange,
    /// The connections this script needs.
    pub connections: Vec<NeededConnection>,
}

/// Findings of every script of a Creator export, in the export's coordinates.
#[derive(Debug, Default)]
pub struct AppLint {
    pub result: LintResult,
    pub scripts: Vec<ScriptSummary>,
}

/// Lints each script of the export `text` on its own (each is a separate program in
/// Creator) and gathers the findings, positioned in `text`.
pub fn lint_app(text: &str, scripts: &[Script], settings: &Settings, fixes: Fixes) -> AppLint {
    let mut app = AppLint::default();
    for script in scripts {
        app.add(script, lint_script(text, script, settings, fixes).0);
    }
    // A token pasted outside the scripts (in a page, a comment) is masked by the outputs'
    // net (`secrets::redact`), as any token-shaped run of the export is.
    app.finish();
    app
}

/// Lints one script of `text` where it stands; also says whether it parsed without error.
fn lint_script(text: &str, script: &Script, settings: &Settings, fixes: Fixes) -> (LintResult, bool) {
    let embedded = Embedded::new(text, script.range);
    let (mut result, parsed_cleanly) = deluge_syntax::with_thread_arena(|arena| {
        let parsed = parse(&embedded.text, arena);
        (
            lint_with(&embedded.text, &parsed, settings, fixes),
            parsed.errors.is_empty(),
        )
    });
    result.shift(embedded.base);
    (result, parsed_cleanly)
}

/// What linting a Markdown document's code blocks found.
#[derive(Debug, Default)]
pub struct MarkdownLint {
    /// The findings, positioned in the document, and one summary per block.
    pub document: AppLint,
    /// The blocks that do not parse on their own, by index into the blocks linted: a
    /// document's excerpts (`...` for the elided part, an `if` without its function).
    pub fragments: Vec<usize>,
}

/// Findings of every code block of a Markdown document, positioned in the document.
///
/// A document shows excerpts, so a block's syntax errors are not findings (the block is
/// listed in `fragments`, and what parses of it is still checked: a call in an excerpt is
/// found). Fixes are shown, never applied: the block is a copy, and the function it shows
/// is where a fix belongs.
pub fn lint_markdown(text: &str, blocks: &[Script], settings: &Settings, fixes: Fixes) -> MarkdownLint {
    let mut lint = MarkdownLint::default();
    for (index, block) in blocks.iter().enumerate() {
        let (mut result, parsed_cleanly) = lint_script(text, block, settings, fixes);
        if !parsed_cleanly {
            lint.fragments.push(index);
            result
                .diagnostics
                .retain(|d| d.code != delint_linter::rules::SYNTAX_ERROR.code);
        }
        for fix in result.diagnostics.iter_mut().filter_map(|d| d.fix.as_mut()) {
            hold_in_document(fix);
        }
        // A block that is a whole function is named by it, as a file of one function is.
        let named = match result.functions.as_slice() {
            [name] => Script {
                name: format!("function {} ({})", &text[*name], block.name),
                range: block.range,
            },
            _ => block.clone(),
        };
        lint.document.add(&named, result);
    }
    lint.document.finish();
    lint
}

fn hold_in_document(fix: &mut delint_linter::diagnostic::Fix) {
    if fix.applicability > Applicability::DisplayOnly {
        fix.applicability = Applicability::DisplayOnly;
        fix.message = format!(
            "{} (not applied: the code is a block of a Markdown document; make the change in the function it shows)",
            fix.message
        );
    }
}

/// Findings of every script of a JSON function export, positioned in the JSON text (for
/// an editor, which underlines inside the strings). The export is never rewritten, and a
/// fix's edits would have to be JSON-escaped: findings carry no fixes.
pub fn lint_export(text: &str, functions: &[ExportedFunction], settings: &Settings) -> LintResult {
    let mut all = LintResult::default();
    for function in functions {
        let mut result = deluge_syntax::with_thread_arena(|arena| {
            lint_with(
                &function.script,
                &parse(&function.script, arena),
                settings,
                Fixes::Skipped,
            )
        });
        let map = function_export::source_map(text, function);
        let at = |offset: TextSize| TextSize::new(map[usize::from(offset).min(map.len() - 1)]);
        result.map_ranges(|r| TextRange::new(at(r.start()), at(r.end())));
        all.diagnostics
            .extend(result.diagnostics.into_iter().map(|d| Diagnostic { fix: None, ..d }));
        all.secrets.extend(result.secrets);
        all.connections.extend(result.connections);
    }
    delint_linter::connections::merge(&mut all.connections);
    sort_secrets(&mut all.secrets);
    all
}

fn sort_secrets(secrets: &mut Vec<TextRange>) {
    secrets.sort_by_key(|range| (range.start(), range.end()));
    secrets.dedup();
}

impl AppLint {
    /// Merges the scripts' connections and sorts their secrets, once all are added.
    fn finish(&mut self) {
        delint_linter::connections::merge(&mut self.result.connections);
        sort_secrets(&mut self.result.secrets);
    }

    fn add(&mut self, script: &Script, result: LintResult) {
        self.scripts.push(ScriptSummary {
            name: script.name.clone(),
            range: script.range,
            connections: result.connections.clone(),
        });
        self.result.diagnostics.extend(result.diagnostics);
        self.result.secrets.extend(result.secrets);
        self.result.connections.extend(result.connections);
    }
}

/// The outcome of fixing a Creator export.
#[derive(Debug)]
pub struct AppFix {
    /// The fixed export, as for a plain text. `rejected` also says when all fixes were
    /// thrown away because the fixed export no longer reads as the same scripts.
    pub fixed: FixedSource,
    /// The scripts of `fixed.text`, with what its findings need.
    pub scripts: Vec<ScriptSummary>,
}

/// Fixes every script of the export `text` in place; everything outside the scripts (the
/// application's declarations, the exporter's indentation) is kept byte for byte.
pub fn fix_app(text: &str, scripts: &[Script], settings: &Settings, level: Applicability) -> AppFix {
    let mut fixed_text = String::with_capacity(text.len());
    let mut last = 0;
    let mut fixed = 0;
    let mut rejected = None;
    let mut original_secrets = Vec::new();
    for script in scripts {
        let embedded = Embedded::new(text, script.range);
        let outcome = fix_source(&embedded.text, settings, level);
        original_secrets.extend(outcome.original_secrets.iter().map(|r| *r + embedded.base));
        if let Some(reason) = outcome.rejected {
            rejected.get_or_insert(format!("{}: {reason}", script.name));
        }
        // The blanked prefix is whitespace no fix touches; if one did, keep the script.
        let replacement = outcome
            .text
            .strip_prefix(embedded.prefix())
            .filter(|_| outcome.fixed > 0)
            .unwrap_or(&text[script.range]);
        fixed += if replacement == &text[script.range] {
            0
        } else {
            outcome.fixed
        };
        fixed_text.push_str(&text[last..usize::from(script.range.start())]);
        fixed_text.push_str(replacement);
        last = usize::from(script.range.end());
    }
    fixed_text.push_str(&text[last..]);
    sort_secrets(&mut original_secrets);
    let rescanned = creator::scripts(&fixed_text);
    let same_shape = rescanned.len() == scripts.len() && rescanned.iter().zip(scripts).all(|(a, b)| a.name == b.name);
    if fixed == 0 || !same_shape {
        let reason = (!same_shape).then(|| "the fixed export no longer reads as the same scripts".to_owned());
        let remaining = lint_app(text, scripts, settings, Fixes::Planned);
        return AppFix {
            fixed: FixedSource {
                text: text.to_owned(),
                fixed: 0,
                rejected: reason.or(rejected),
                remaining: remaining.result,
                original_secrets,
            },
            scripts: remaining.scripts,
        };
    }
    let remaining = lint_app(&fixed_text, &rescanned, settings, Fixes::Planned);
    AppFix {
        fixed: FixedSource {
            text: fixed_text,
            fixed,
            rejected,
            remaining: remaining.result,
            original_secrets,
        },
        scripts: remaining.scripts,
    }
}

/// A script as the linter sees it: the start of its first line blanked to whitespace, so
/// columns and indentation (which fixes copy) are the container's, and offsets map back by
/// adding `base`.
struct Embedded {
    text: String,
    base: TextSize,
    prefix_len: usize,
}

impl Embedded {
    fn new(container: &str, range: TextRange) -> Embedded {
        let start = usize::from(range.start());
        let line_start = container[..start].rfind('\n').map_or(0, |i| i + 1);
        let mut text = String::with_capacity(usize::from(range.end()) - line_start);
        for c in container[line_start..start].chars() {
            if c == '\t' || c == ' ' {
                text.push(c);
            } else {
                // One space per byte keeps every later offset where it was.
                text.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
        text.push_str(&container[range]);
        Embedded {
            text,
            base: TextSize::new(line_start as u32),
            prefix_len: start - line_start,
        }
    }

    fn prefix(&self) -> &str {
        &self.text[..self.prefix_len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embedded_script_keeps_its_columns() {
        let container = "a {\n\ton load ( x = \"é\"; )\n}";
        let start = container.find("x =").unwrap();
        let range = TextRange::new((start as u32).into(), ((start + 9) as u32).into());
        let embedded = Embedded::new(container, range);
        assert_eq!(embedded.text, "\t          x = \"é\";");
        assert_eq!(embedded.base, TextSize::new(4));
        assert_eq!(
            &container[usize::from(embedded.base) + embedded.prefix_len..][..3],
            "x ="
        );
    }
}
