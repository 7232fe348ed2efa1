//! `delint.toml`: the keys, their validation, and the effective configuration they give
//! together with command-line overrides.
//!
//! ```toml
//! select = ["correctness", "DL9"]      # default: ALL
//! ignore = ["DL902"]
//! exclude = ["node_modules", "old/"]  # replaces the default list
//! extend-exclude = ["exports/raw"]
//! extensions = ["dg", "ds", ""]       # read only these when walking ("" = no extension)
//!
//! [per-file-ignores]
//! "legacy/**" = ["DL001"]
//!
//! [connections]
//! crm = "zcrm"
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use delint_linter::rule_selection::{RuleSelector, RuleSet};
use delint_linter::services::Service;
use delint_linter::settings::{Settings, parse_connection};
use serde::Deserialize;
use toml::Spanned;

use crate::pattern::PathPatterns;

/// The configuration file's name.
pub const FILE_NAME: &str = "delint.toml";

/// Paths never walked into, unless `exclude` says otherwise. Hidden paths (`.git`) and
/// `.gitignore`d ones are skipped anyway.
pub const DEFAULT_EXCLUDES: &[&str] = &[".git", ".hg", ".svn", "node_modules", "target"];

/// What is wrong with a configuration file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, or 0 when the file could not be read at all.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

/// `delint.toml` as written, validated; `None` where a key is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigFile {
    pub select: Option<Vec<RuleSelector>>,
    pub ignore: Option<Vec<RuleSelector>>,
    pub per_file_ignores: Vec<(String, Vec<RuleSelector>)>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    pub extensions: Option<Vec<String>>,
    pub connections: BTreeMap<Service, String>,
}

type List = Vec<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFile {
    select: Option<List>,
    ignore: Option<List>,
    #[serde(default)]
    per_file_ignores: BTreeMap<Spanned<String>, List>,
    exclude: Option<List>,
    #[serde(default)]
    extend_exclude: List,
    extensions: Option<List>,
    #[serde(default)]
    connections: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl ConfigFile {
    /// Parses and validates `text`, read from `path` (named in errors).
    pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
        let error_at = |span: Range<usize>, message: String| {
            let (line, column) = line_column(text, span.start);
            ConfigError {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: RawFile = toml::from_str(text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim_end().to_owned();
            let message = match key_at(text, span.start) {
                Some(key) if !message.contains(&format!("`{key}`")) => format!("`{key}`: {message}"),
                _ => message,
            };
            error_at(span, message)
        })?;
        let selectors = |key: &str, list: List| -> Result<Vec<RuleSelector>, ConfigError> {
            list.into_iter()
                .map(|item| {
                    item.get_ref()
                        .parse()
                        .map_err(|e| error_at(item.span(), format!("`{key}`: {e}")))
                })
                .collect()
        };
        let patterns = |key: &str, list: List| -> Result<Vec<String>, ConfigError> {
            list.into_iter()
                .map(|item| {
                    let span = item.span();
                    let pattern = item.into_inner();
                    PathPatterns::new(Path::new("/"), std::slice::from_ref(&pattern))
                        .map(|_| pattern)
                        .map_err(|e| error_at(span, format!("`{key}`: {e}")))
                })
                .collect()
        };
        let mut file = ConfigFile {
            select: raw.select.map(|l| selectors("select", l)).transpose()?,
            ignore: raw.ignore.map(|l| selectors("ignore", l)).transpose()?,
            exclude: raw.exclude.map(|l| patterns("exclude", l)).transpose()?,
            extend_exclude: patterns("extend-exclude", raw.extend_exclude)?,
            extensions: raw.extensions.map(|l| extensions(l, &error_at)).transpose()?,
            ..ConfigFile::default()
        };
        for (pattern, rules) in raw.per_file_ignores {
            let span = pattern.span();
            let pattern = pattern.into_inner();
            PathPatterns::new(Path::new("/"), std::slice::from_ref(&pattern))
                .map_err(|e| error_at(span, format!("`per-file-ignores`: {e}")))?;
            file.per_file_ignores
                .push((pattern, selectors("per-file-ignores", rules)?));
        }
        for (key, name) in raw.connections {
            let service = parse_connection(key.get_ref(), name.get_ref()).map_err(|e| {
                let span = if e.starts_with("unknown service") {
                    key.span()
                } else {
                    name.span()
                };
                error_at(span, format!("`connections`: {e}"))
            })?;
            file.connections.insert(service, name.into_inner());
        }
        Ok(file)
    }
}

fn extensions(list: List, error_at: &impl Fn(Range<usize>, String) -> ConfigError) -> Result<Vec<String>, ConfigError> {
    list.into_iter()
        .map(|item| {
            let extension = item.get_ref().trim_start_matches('.');
            if extension.contains(['/', '\\', '*']) {
                Err(error_at(
                    item.span(),
                    format!(
                        "`extensions`: `{}` is not a file extension (expected e.g. \"dg\", or \"\" for files without one)",
                        item.get_ref()
                    ),
                ))
            } else {
                Ok(extension.to_ascii_lowercase())
            }
        })
        .collect()
}

/// The dotted key whose entry holds byte `offset` of `text`, e.g. `select` or
/// `connections.crm`, for naming the key in an error.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let table = toml::de::DeTable::parse(text).ok()?;
    key_path_at(table.get_ref(), offset).map(|path| path.join("."))
}

fn key_path_at(table: &toml::de::DeTable<'_>, offset: usize) -> Option<Vec<String>> {
    for (key, value) in table {
        // A `[table]`'s own span may not cover its entries, so look inside tables first.
        if let Some(inner) = value.get_ref().as_table()
            && let Some(mut path) = key_path_at(inner, offset)
        {
            path.insert(0, key.get_ref().to_string());
            return Some(path);
        }
        let entry = key.span().start..value.span().end.max(key.span().end);
        if entry.contains(&offset) {
            return Some(vec![key.get_ref().to_string()]);
        }
    }
    None
}

/// 1-based line and character column of byte `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        1 + before.matches('\n').count(),
        1 + before[line_start..].chars().count(),
    )
}

/// What the command line says on top of (or instead of) configuration files.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--select`: replaces `select`, and drops the file's `ignore`.
    pub select: Option<Vec<RuleSelector>>,
    /// `--ignore`: replaces `ignore`.
    pub ignore: Option<Vec<RuleSelector>>,
    /// `--extension`: checked in addition to `extensions`.
    pub extensions: Vec<String>,
}

/// The configuration in force for the files below one directory.
#[derive(Clone, Debug)]
pub struct Configuration {
    /// The file it was read from; `None` for the defaults.
    pub file: Option<PathBuf>,
    /// The directory patterns are relative to.
    pub root: PathBuf,
    /// The effective `select` (after `--select`).
    pub select: Vec<RuleSelector>,
    /// The effective `ignore` (after `--ignore`).
    pub ignore: Vec<RuleSelector>,
    /// `per-file-ignores`, in file order.
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// The effective exclusion patterns: `exclude` (or the defaults) and `extend-exclude`.
    pub exclude: Vec<String>,
    /// `extensions`: when set, a walk reads only these (lower case, without dots; `""` is
    /// a file without an extension). Unset, it reads every file the deny list of
    /// [`crate::walk_filter`] lets through, and the content decides.
    pub extensions: Option<Vec<String>>,
    /// `--extension`s: always read when walking, even when on the deny list.
    pub added_extensions: Vec<String>,
    /// `[connections]`.
    pub connections: BTreeMap<Service, String>,
    rules: RuleSet,
    excluded: PathPatterns,
}

/// One `per-file-ignores` entry.
#[derive(Clone, Debug)]
pub struct PerFileIgnore {
    /// As written.
    pub pattern: String,
    /// The rules it turns off.
    pub rules: Vec<RuleSelector>,
    matcher: PathPatterns,
    ignored: RuleSet,
}

impl Configuration {
    /// The configuration `file` (read from `origin`, patterns relative to `root`) gives
    /// with `overrides`.
    pub fn new(file: ConfigFile, origin: Option<PathBuf>, root: PathBuf, overrides: &Overrides) -> Configuration {
        // As in ruff, a `--select` starts the selection afresh: the file's `ignore` was
        // written against the file's `select` and does not carry over.
        let (select, file_ignore) = match &overrides.select {
            Some(select) => (select.clone(), None),
            None => (file.select.unwrap_or_else(|| vec![RuleSelector::All]), file.ignore),
        };
        let ignore = overrides.ignore.clone().or(file_ignore).unwrap_or_default();
        let mut exclude = file
            .exclude
            .unwrap_or_else(|| DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect());
        exclude.extend(file.extend_exclude);
        let mut added_extensions: Vec<String> = Vec::new();
        for extra in &overrides.extensions {
            let extra = extra.trim_start_matches('.').to_ascii_lowercase();
            if !added_extensions.contains(&extra) {
                added_extensions.push(extra);
            }
        }
        let per_file_ignores = file
            .per_file_ignores
            .into_iter()
            .map(|(pattern, rules)| PerFileIgnore {
                matcher: patterns(&root, std::slice::from_ref(&pattern)),
                ignored: RuleSet::from_selectors(&rules, &[]),
                pattern,
                rules,
            })
            .collect();
        Configuration {
            rules: RuleSet::from_selectors(&select, &ignore),
            excluded: patterns(&root, &exclude),
            file: origin,
            root,
            select,
            ignore,
            per_file_ignores,
            exclude,
            extensions: file.extensions,
            added_extensions,
            connections: file.connections,
        }
    }

    /// The defaults, rooted at `root`.
    pub fn defaults(root: PathBuf, overrides: &Overrides) -> Configuration {
        Configuration::new(ConfigFile::default(), None, root, overrides)
    }

    /// The `per-file-ignores` entries that apply to `path` (absolute).
    pub fn per_file_ignores_for<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a PerFileIgnore> + 'a {
        self.per_file_ignores
            .iter()
            .filter(move |entry| entry.matcher.matches_path_or_ancestor(path))
    }

    /// The rules that run on `path` (absolute) once `per-file-ignores` are applied.
    pub fn rules_for(&self, path: &Path) -> RuleSet {
        let mut rules = self.rules;
        for entry in self.per_file_ignores_for(path) {
            entry.ignored.iter().for_each(|rule| rules.remove(rule));
        }
        rules
    }

    /// The linter settings for `path` (absolute).
    pub fn settings_for(&self, path: &Path) -> Settings {
        Settings {
            rules: self.rules_for(path),
            connections: self.connections.clone(),
        }
    }

    /// Whether `path` (absolute) itself matches an exclusion pattern.
    pub fn excludes(&self, path: &Path) -> bool {
        self.excluded.matches(path)
    }

    /// Whether `path` (absolute) or a directory it is in, below the root, is excluded.
    pub fn excludes_path_or_ancestor(&self, path: &Path) -> bool {
        self.excluded.matches_path_or_ancestor(path)
    }

    /// Why a walk passes over `path` without reading it, if it does (see
    /// [`crate::walk_filter`]).
    pub fn passes_over(&self, path: &Path) -> Option<crate::walk_filter::PassedOver> {
        crate::walk_filter::passed_over(path, self.extensions.as_deref(), &self.added_extensions)
    }
}

/// Patterns already validated by [`ConfigFile::parse`].
fn patterns(root: &Path, list: &[String]) -> PathPatterns {
    PathPatterns::new(root, list).unwrap_or_else(|_| PathPatterns::empty(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, ConfigError> {
        ConfigFile::parse(text, Path::new("proj/delint.toml"))
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_every_key() {
        let file = parse(
            "select = [\"correctness\", \"DL9\"]\nignore = [\"DL902\"]\nexclude = [\"old\"]\n\
             extend-exclude = [\"raw/\"]\nextensions = [\".DG\", \"txt\"]\n\
             [per-file-ignores]\n\"legacy/**\" = [\"DL001\"]\n[connections]\ncrm = \"zcrm\"\n",
        )
        .unwrap();
        assert_eq!(file.select.unwrap().len(), 2);
        assert_eq!(file.extensions.unwrap(), ["dg", "txt"]);
        assert_eq!(file.per_file_ignores[0].0, "legacy/**");
        assert_eq!(file.connections[&Service::Crm], "zcrm");
    }

    #[test]
    fn unknown_keys_name_the_key_and_the_position() {
        let message = error("select = [\"DL001\"]\nselct = [\"DL002\"]\n");
        assert!(message.starts_with("proj/delint.toml:2:1: "), "{message}");
        assert!(message.contains("unknown field `selct`"), "{message}");
        assert!(message.contains("`select`"), "lists what is expected: {message}");
    }

    #[test]
    fn wrong_types_name_the_key_and_what_was_expected() {
        let message = error("\nselect = \"DL001\"\n");
        assert!(message.starts_with("proj/delint.toml:2:10: `select`: "), "{message}");
        assert!(message.contains("expected a sequence"), "{message}");
        let message = error("[connections]\ncrm = 3\n");
        assert!(message.contains("`connections.crm`"), "{message}");
    }

    #[test]
    fn unknown_rule_codes_point_at_the_entry() {
        let message = error("select = [\"DL001\", \"DL777\"]\n");
        assert!(
            message.starts_with("proj/delint.toml:1:20: `select`: unknown rule selector `DL777`"),
            "{message}"
        );
        let message = error("[per-file-ignores]\n\"a/*.dg\" = [\"nope\"]\n");
        assert!(
            message.starts_with("proj/delint.toml:2:13: `per-file-ignores`"),
            "{message}"
        );
    }

    #[test]
    fn bad_connections_and_patterns_are_errors() {
        assert!(error("[connections]\ncrn = \"x\"\n").contains("2:1: `connections`: unknown service `crn`"));
        assert!(error("[connections]\ncrm = \"Zoho CRM\"\n").contains("2:7: `connections`: `Zoho CRM` is not"));
        assert!(error("exclude = [\"a/[b\"]\n").contains("1:12: `exclude`: `a/[b` is not a valid glob"));
        assert!(error("extensions = [\"*.dg\"]\n").contains("`extensions`: `*.dg` is not a file extension"));
    }

    #[test]
    fn overrides_replace_select_and_ignore_and_add_extensions() {
        let file = parse("select = [\"DL001\"]\nignore = [\"DL002\"]\nextensions = [\"dg\"]\n").unwrap();
        let overrides = Overrides {
            select: Some(vec!["DL00".parse().unwrap()]),
            ignore: None,
            extensions: vec![".txt".into()],
        };
        let config = Configuration::new(file.clone(), None, PathBuf::from("/p"), &overrides);
        let rules: Vec<_> = config.rules_for(Path::new("/p/a.dg")).iter().map(|r| r.code).collect();
        assert_eq!(
            rules,
            ["DL000", "DL001", "DL002", "DL003"],
            "the file's ignore is dropped"
        );
        assert_eq!(config.extensions, Some(vec!["dg".to_owned()]));
        assert_eq!(config.added_extensions, ["txt"]);
        assert_eq!(config.passes_over(Path::new("/p/a.txt")), None);
        assert!(config.passes_over(Path::new("/p/a.deluge")).is_some());
        let overrides = Overrides {
            ignore: Some(vec!["DL000".parse().unwrap()]),
            ..Overrides::default()
        };
        let config = Configuration::new(file, None, PathBuf::from("/p"), &overrides);
        let rules: Vec<_> = config.rules_for(Path::new("/p/a.dg")).iter().map(|r| r.code).collect();
        assert_eq!(
            rules,
            ["DL001"],
            "--ignore replaces the file's ignore; its select stays"
        );
    }

    #[test]
    fn per_file_ignores_apply_below_their_pattern() {
        let file =
            parse("[per-file-ignores]\n\"legacy/**\" = [\"DL001\"]\n\"*_test.dg\" = [\"suppression\"]\n").unwrap();
        let config = Configuration::new(file, None, PathBuf::from("/p"), &Overrides::default());
        let legacy = config.rules_for(Path::new("/p/legacy/x/a.dg"));
        assert!(!legacy.contains("DL001") && legacy.contains("DL002"));
        let test = config.rules_for(Path::new("/p/src/a_test.dg"));
        assert!(test.contains("DL001") && !test.contains("DL901"));
        assert_eq!(config.rules_for(Path::new("/p/src/a.dg")), RuleSet::all());
    }

    #[test]
    fn exclude_replaces_the_defaults_and_extend_exclude_adds() {
        let defaults = Configuration::defaults(PathBuf::from("/p"), &Overrides::default());
        assert!(defaults.excludes(Path::new("/p/node_modules")));
        let file = parse("exclude = [\"old\"]\nextend-exclude = [\"raw/\"]\n").unwrap();
        let config = Configuration::new(file, None, PathBuf::from("/p"), &Overrides::default());
        assert!(!config.excludes(Path::new("/p/node_modules")));
        assert!(config.excludes(Path::new("/p/a/old")));
        assert!(config.excludes(Path::new("/p/raw")));
        assert!(config.excludes_path_or_ancestor(Path::new("/p/a/old/x.dg")));
    }
}
