//! `sarif`: SARIF 2.1.0, as GitHub code scanning and other SARIF consumers read it: one
//! run, the tool's rules with their documentation, and a result per finding with its
//! location, labels as related locations, fixes, and fingerprints that survive unrelated
//! edits.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use delint_linter::diagnostic::{Applicability, Diagnostic, Severity};
use delint_linter::rule::RuleMeta;
use delint_linter::rules::ALL;
use deluge_syntax::TextRange;
use serde_json::{Value, json};

use super::position::Positions;
use super::{Emitter, RenderContext};
use crate::report::{FileReport, Totals};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const ROOT_ID: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "delintFingerprint/v1";

pub struct Sarif {
    cwd: PathBuf,
    root: PathBuf,
    results: Vec<Value>,
}

impl Sarif {
    pub fn new(context: &RenderContext) -> Sarif {
        Sarif {
            cwd: context.cwd.clone(),
            root: context.root.clone(),
            results: Vec::new(),
        }
    }

    /// The artifact's location: relative to the root when it is inside it.
    fn artifact(&self, path: &Path) -> Value {
        let absolute = self.cwd.join(path);
        match absolute.strip_prefix(&self.root) {
            Ok(relative) => json!({ "uri": uri_path(relative), "uriBaseId": ROOT_ID }),
            Err(_) => json!({ "uri": file_uri(&absolute) }),
        }
    }
}

impl Emitter for Sarif {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let positions = Positions::new(&report.source);
        let shown = super::redact(&report.source, &report.result.secrets);
        let shown_positions = Positions::new(&shown);
        let artifact = self.artifact(&report.path);
        let mut seen: Vec<(String, usize)> = Vec::new();
        for diagnostic in &report.result.diagnostics {
            let location = |range: TextRange| json!({ "physicalLocation": { "artifactLocation": artifact, "region": region(&positions, range) } });
            // A JSON export's script is one string in the file: findings point at where it
            // starts and say where in the script they are.
            let (primary, message) = match &report.embedded {
                Some(embedded) => {
                    let (start, _) = positions.range(diagnostic.range);
                    let region = json!({ "startLine": embedded.line, "startColumn": embedded.column });
                    (
                        json!({ "physicalLocation": { "artifactLocation": artifact, "region": region } }),
                        format!(
                            "{} (line {}, column {} of the script)",
                            diagnostic.message, start.row, start.column
                        ),
                    )
                }
                None => (location(diagnostic.range), diagnostic.message.clone()),
            };
            let mut result = json!({
                "ruleId": diagnostic.code,
                "ruleIndex": ALL.iter().position(|rule| rule.code == diagnostic.code),
                "level": level(diagnostic.severity),
                "message": { "text": message },
                "locations": [primary],
                "partialFingerprints": { FINGERPRINT_KEY: fingerprint(&shown_positions, diagnostic, &mut seen) },
            });
            if let Some(scope) = report.scope_of(diagnostic.range) {
                result["locations"][0]["logicalLocations"] =
                    json!([{ "fullyQualifiedName": scope, "kind": "function" }]);
            }
            if report.embedded.is_some() {
                // Labels and fix edits are positions in the script, not in the file.
                self.results.push(result);
                continue;
            }
            if !diagnostic.labels.is_empty() {
                result["relatedLocations"] = diagnostic
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(id, label)| {
                        let mut related = location(label.range);
                        related["id"] = json!(id);
                        related["message"] = json!({ "text": label.message });
                        related
                    })
                    .collect();
            }
            if let Some(fix) = &diagnostic.fix {
                let edits = super::redacted_edits(&report.source, &report.result.secrets, &fix.edits);
                let replacements: Vec<Value> = edits
                    .iter()
                    .map(|edit| {
                        json!({ "deletedRegion": region(&positions, edit.range), "insertedContent": { "text": edit.content } })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": format!("{} ({})", fix.message, safety(fix.applicability)) },
                    "artifactChanges": [{ "artifactLocation": artifact, "replacements": replacements }],
                }]);
            }
            self.results.push(result);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        let mut root = file_uri(&self.root);
        if !root.ends_with('/') {
            root.push('/');
        }
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "delint",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": ALL.iter().map(rule_descriptor).collect::<Vec<_>>(),
                } },
                "originalUriBaseIds": { ROOT_ID: { "uri": root } },
                "columnKind": "unicodeCodePoints",
                "invocations": [{ "executionSuccessful": totals.unreadable == 0 && totals.write_errors == 0 }],
                "results": std::mem::take(&mut self.results),
                "properties": { "connections": super::json::connections(totals) },
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
        writeln!(out)
    }
}

fn rule_descriptor(rule: &RuleMeta) -> Value {
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": what_it_does(rule.doc) },
        "help": { "text": rule.markdown(), "markdown": rule.markdown() },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "tags": [rule.category.as_str()] },
    })
}

/// The rule doc's "What it does" paragraph.
fn what_it_does(doc: &str) -> String {
    doc.split("## ")
        .find_map(|section| section.strip_prefix("What it does"))
        .unwrap_or(doc)
        .split("\n\n")
        .find(|paragraph| !paragraph.trim().is_empty())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn region(positions: &Positions, range: TextRange) -> Value {
    let (start, end) = positions.range(range);
    json!({ "startLine": start.row, "startColumn": start.column, "endLine": end.row, "endColumn": end.column })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn safety(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe: review it",
        Applicability::DisplayOnly => "suggestion only",
    }
}

/// A hash of the rule and the (redacted, whitespace-normalised) lines the finding spans,
/// plus how many identical findings came before it in the file: lines added or removed
/// elsewhere leave it unchanged; editing the offending code changes it.
fn fingerprint(shown: &Positions, diagnostic: &Diagnostic, seen: &mut Vec<(String, usize)>) -> String {
    let lines: Vec<&str> = shown.lines_of(diagnostic.range).split_whitespace().collect();
    let key = format!("{}\0{}", diagnostic.code, lines.join(" "));
    let ordinal = match seen.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => {
            *n += 1;
            *n
        }
        None => {
            seen.push((key.clone(), 0));
            0
        }
    };
    format!("{:016x}:{ordinal}", fnv1a(key.as_bytes()))
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A relative path as a URI reference: `/` separators, reserved bytes percent-encoded.
fn uri_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|part| percent_encode(&part.as_os_str().to_string_lossy()))
        .collect();
    parts.join("/")
}

fn file_uri(path: &Path) -> String {
    let encoded = uri_path(path);
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else if byte == b'/' {
            // The root component of an absolute path.
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_with_forward_slashes() {
        assert_eq!(uri_path(Path::new("exports/my app/ä.ds")), "exports/my%20app/%C3%A4.ds");
        assert_eq!(file_uri(Path::new("/home/u/x y")), "file:///home/u/x%20y");
    }

    #[test]
    fn the_summary_of_a_rule_is_its_first_paragraph() {
        let doc = "## What it does\nFinds a\nthing.\n\nMore.\n## Why is this bad?\n";
        assert_eq!(what_it_does(doc), "Finds a thing.");
    }

    #[test]
    fn fnv_matches_its_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
