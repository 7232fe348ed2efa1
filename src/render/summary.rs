//! The lines every run ends with: what was checked and found, how long it took, what fixes
//! did or could do, and the OAuth connections the code needs.

use std::io::{self, Write};
use std::time::Duration;

use delint_linter::diagnostic::Applicability;

use super::count;
use crate::report::{FixMode, Totals};

/// Writes the summary; `with_connections` adds the connections to create.
pub fn write(out: &mut dyn Write, totals: &Totals, mode: FixMode, with_connections: bool) -> io::Result<()> {
    let mut files = count(totals.files, "file");
    if totals.functions > totals.files {
        files = format!("{files} ({})", count(totals.functions, "function"));
    }
    let elapsed = elapsed(totals.elapsed);
    let unfixed = matches!(mode, FixMode::Diff(_)) && totals.fixed > 0;
    if totals.findings() == 0 && totals.tool_errors() == 0 && unfixed {
        // The files still hold every finding the diff removes: nothing has passed yet.
        writeln!(
            out,
            "No findings would remain after the diff: {files} checked in {elapsed}."
        )?;
    } else if totals.findings() == 0 && totals.tool_errors() == 0 {
        writeln!(out, "All checks passed: {files} checked in {elapsed}.")?;
    } else if totals.findings() == 0 {
        // Never "passed" beside an error: something was not checked.
        writeln!(
            out,
            "No findings in {files} checked in {elapsed}, but not everything could be checked:"
        )?;
    } else {
        writeln!(
            out,
            "Found {} and {} in {files} checked in {elapsed}.",
            count(totals.errors, "error"),
            count(totals.warnings, "warning"),
        )?;
    }
    write_count(out, totals.unreadable, "file", "could not be read (DL900).")?;
    write_count(
        out,
        totals.config_errors,
        "configuration file",
        "broken: the files below it were not checked.",
    )?;
    let skipped = totals.skipped_as.iter().map(|(kind, &n)| format!("{n} {kind}"));
    write_count(
        out,
        totals.skipped,
        "file",
        &format!("skipped, not Deluge: {}.", joined(skipped)),
    )?;
    let passed_over = totals
        .passed_over
        .iter()
        .map(|(reason, &n)| format!("{n} {}", reason.describe(n)));
    write_count(
        out,
        totals.passed_over.values().sum(),
        "file",
        &format!("passed over by name: {}.", joined(passed_over)),
    )?;
    write_count(out, totals.write_errors, "fixed file", "could not be written.")?;
    write_fixes(out, totals, mode)?;
    if with_connections {
        write_connections(out, totals)?;
    }
    Ok(())
}

/// `{n} {noun}s {rest}`, when there are any.
fn write_count(out: &mut dyn Write, n: usize, noun: &str, rest: &str) -> io::Result<()> {
    if n > 0 {
        writeln!(out, "{} {rest}", count(n, noun))?;
    }
    Ok(())
}

fn joined(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(", ")
}

/// `12 ms`, `3.4 s`.
fn elapsed(duration: Duration) -> String {
    if duration < Duration::from_secs(10) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// How many findings were (or can be) fixed, and how.
fn write_fixes(out: &mut dyn Write, totals: &Totals, mode: FixMode) -> io::Result<()> {
    let (fixed, safe, unsafe_) = (totals.fixed, totals.safe_fixable, totals.unsafe_fixable);
    match mode {
        FixMode::Write(_) if fixed > 0 => writeln!(out, "Fixed {}.", count(fixed, "finding"))?,
        FixMode::Diff(_) if fixed > 0 => writeln!(out, "Would fix {}.", count(fixed, "finding"))?,
        _ => {}
    }
    if matches!(mode, FixMode::Report) && safe > 0 {
        writeln!(out, "{safe} fixable with --fix.")?;
    }
    let unsafe_applied = matches!(
        mode,
        FixMode::Write(Applicability::Unsafe) | FixMode::Diff(Applicability::Unsafe)
    );
    if unsafe_ > 0 && !unsafe_applied {
        let more = if safe > 0 && matches!(mode, FixMode::Report) {
            " more"
        } else {
            ""
        };
        writeln!(out, "{unsafe_}{more} fixable with --fix --unsafe-fixes.")?;
    }
    Ok(())
}

/// The OAuth connections the code needs, one per link name, with what to do about each and
/// the scopes its calls' endpoints need.
fn write_connections(out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
    if !totals.authtokens_seen || totals.connections.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\nConnections this code needs (each must exist in Zoho before deploying):"
    )?;
    for connection in totals.connection_list() {
        // Names come from the code; nothing from the code is printed unmasked.
        let name = super::mask_secret_texts(&connection.name, "", &[]);
        write!(
            out,
            "  {name:<20} {} ({})",
            connection.service_names(),
            connection.status.describe()
        )?;
        if !connection.scopes.is_empty() {
            let scopes: Vec<&str> = connection.scopes.iter().map(String::as_str).collect();
            write!(out, ", scopes: {}", scopes.join(", "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
