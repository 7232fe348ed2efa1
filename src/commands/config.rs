//! `delint config [PATH]`: the settings in force for a path, printed as `delint.toml`
//! text with where they come from; and the resolver `check` shares.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use delint_linter::rule_selection::RuleSelector;
use delint_workspace::config::{Configuration, Overrides};
use delint_workspace::resolver::{ConfigSource, Resolver, absolute};

use crate::cli::{ConfigArgs, ConfigCommandArgs};

/// The resolver the command-line options ask for.
pub fn resolver(args: &ConfigArgs, cwd: &Path) -> Resolver {
    let source = match (&args.config, args.isolated) {
        (Some(path), _) => ConfigSource::File(path.clone()),
        (None, true) => ConfigSource::Isolated,
        (None, false) => ConfigSource::Discover,
    };
    let overrides = Overrides {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        extensions: args.extensions.clone(),
    };
    Resolver::new(source, overrides, cwd)
}

pub fn run(args: &ConfigCommandArgs) -> ExitCode {
    let Ok(cwd) = std::env::current_dir() else {
        eprintln!("error: cannot read the working directory");
        return ExitCode::from(2);
    };
    let path = absolute(&args.path, &cwd);
    let resolved = if path.is_dir() {
        resolver(&args.config, &cwd).for_dir(&path)
    } else {
        resolver(&args.config, &cwd).for_file(&path)
    };
    match resolved {
        Ok(config) => {
            print!("{}", describe(&args.path, &path, &config));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// The effective settings for `path` as TOML, with comments saying where they come from.
fn describe(shown: &Path, path: &Path, config: &Configuration) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# Settings for {}", shown.display());
    match &config.file {
        Some(file) => writeln!(text, "# from {}", file.display()),
        None => writeln!(text, "# from the defaults (no delint.toml found)"),
    }
    .ok();
    let selectors = |list: &[RuleSelector]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
    let _ = writeln!(text, "select = {}", toml_list(&selectors(&config.select)));
    let _ = writeln!(text, "ignore = {}", toml_list(&selectors(&config.ignore)));
    let _ = writeln!(text, "exclude = {}", toml_list(&config.exclude));
    match &config.extensions {
        Some(extensions) => {
            let _ = writeln!(text, "extensions = {}", toml_list(extensions));
        }
        None => {
            let _ = writeln!(
                text,
                "# extensions: unset, so a walk reads every file but images, archives, documents,\n\
                 # fonts, media, binaries and lock files, and the content decides what each is"
            );
        }
    }
    if !config.added_extensions.is_empty() {
        let _ = writeln!(text, "# --extension: {}", toml_list(&config.added_extensions));
    }
    let rules: Vec<String> = config.rules_for(path).iter().map(|r| r.code.to_owned()).collect();
    let _ = writeln!(
        text,
        "# rules that run here, after per-file-ignores:\n# {}",
        rules.join(" ")
    );
    let excluded = config.excludes_path_or_ancestor(path);
    let _ = writeln!(
        text,
        "# excluded from directory walks: {}",
        if excluded { "yes" } else { "no" }
    );
    let _ = writeln!(text, "\n[per-file-ignores]");
    for entry in &config.per_file_ignores {
        let applies = config.per_file_ignores_for(path).any(|e| e.pattern == entry.pattern);
        let _ = writeln!(
            text,
            "{} = {}{}",
            toml_string(&entry.pattern),
            toml_list(&selectors(&entry.rules)),
            if applies { "  # applies here" } else { "" }
        );
    }
    let _ = writeln!(text, "\n[connections]");
    for (service, name) in &config.connections {
        let _ = writeln!(text, "{} = {}", service.key(), toml_string(name));
    }
    text
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
