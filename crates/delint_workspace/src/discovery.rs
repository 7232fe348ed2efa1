//! Which files a run checks.
//!
//! Directories are walked in parallel, honouring `.gitignore`, `.ignore` and git's
//! excludes (in or out of a git repository), skipping hidden paths, the configuration's
//! excluded paths, and files whose name says they are not text ([`crate::walk_filter`]):
//! every other file is read, and its content decides what it is. A file named on the
//! command line is checked whatever its name and even when excluded, unless
//! `force_exclude` is set (pre-commit passes every staged file by name).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use crate::config::{ConfigError, Configuration};
use crate::resolver::{Resolver, absolute};
use crate::walk_filter::PassedOver;

/// A file to check, with the configuration that applies to it.
#[derive(Clone, Debug)]
pub struct FileToCheck {
    /// As the user will read it: relative when the user gave a relative path.
    pub path: PathBuf,
    /// Absolute, for matching patterns.
    pub absolute: PathBuf,
    /// Its configuration.
    pub config: Arc<Configuration>,
    /// Named on the command line rather than found by walking a directory.
    pub named: bool,
}

/// A path that could not be walked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkError {
    /// Where.
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

/// The outcome of discovery, sorted by path and without duplicates.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The files to check.
    pub files: Vec<FileToCheck>,
    /// Paths that do not exist or could not be read as directories.
    pub walk_errors: Vec<WalkError>,
    /// Configuration files that are broken (each once); the files below them are not
    /// checked.
    pub config_errors: Vec<ConfigError>,
    /// How many walked files were passed over by name, and why.
    pub passed_over: BTreeMap<PassedOver, usize>,
}

/// Options of a walk that are not configuration.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiscoveryOptions {
    /// Apply exclusions to files named explicitly, too.
    pub force_exclude: bool,
    /// Worker threads for the walk; 0 picks one per core.
    pub threads: usize,
}

/// Finds the files under `paths` (files or directories; relative to `cwd`).
pub fn discover(
    paths: &[PathBuf],
    resolver: &Resolver,
    cli_exclude: &crate::pattern::PathPatterns,
    cwd: &Path,
    options: DiscoveryOptions,
) -> Discovered {
    let found = Collector::default();
    let mut roots = Vec::new();
    for path in paths {
        let absolute = absolute(path, cwd);
        let excluded = |config: &Configuration| {
            config.excludes_path_or_ancestor(&absolute) || cli_exclude.matches_path_or_ancestor(&absolute)
        };
        match std::fs::metadata(&absolute) {
            Err(error) => found.walk_error(WalkError {
                path: path.clone(),
                message: io_reason(&error),
            }),
            Ok(meta) if meta.is_dir() => match resolver.for_dir(&absolute) {
                Ok(config) if options.force_exclude && excluded(&config) => {}
                Ok(_) => roots.push((path.clone(), absolute)),
                Err(error) => found.config_error(error),
            },
            Ok(_) => match resolver.for_file(&absolute) {
                Ok(config) if options.force_exclude && excluded(&config) => {}
                Ok(config) => found.file(FileToCheck {
                    path: path.clone(),
                    absolute,
                    config,
                    named: true,
                }),
                Err(error) => found.config_error(error),
            },
        }
    }
    if let Some(((_, first), rest)) = roots.split_first() {
        let mut builder = WalkBuilder::new(first);
        rest.iter().for_each(|(_, root)| {
            builder.add(root);
        });
        builder.require_git(false).threads(options.threads);
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(error) => {
                        found.walk_error(walk_error(error));
                        return WalkState::Continue;
                    }
                };
                if entry.depth() == 0 {
                    return WalkState::Continue;
                }
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let absolute = entry.into_path();
                let config = match resolver.for_file(&absolute) {
                    Ok(config) => config,
                    Err(error) => {
                        found.config_error(error);
                        return WalkState::Skip;
                    }
                };
                if config.excludes(&absolute) || cli_exclude.matches(&absolute) {
                    return WalkState::Skip;
                }
                if !is_dir {
                    match config.passes_over(&absolute) {
                        Some(reason) => found.passed_over(reason),
                        None => found.file(FileToCheck {
                            path: as_given(&roots, &absolute),
                            absolute,
                            config,
                            named: false,
                        }),
                    }
                }
                WalkState::Continue
            })
        });
    }
    // One path, walked or named, yields each file once.
    found.into_discovered(paths.len() > 1)
}

/// A key that sorts paths as [`Path`]'s own order does (component by component) for the
/// paths a walk yields, but compares as plain bytes: the components joined by a byte below
/// any other. `Path::cmp` re-splits both paths into components at every comparison, which
/// made sorting 20,000 paths cost as much as checking a thousand files.
pub fn path_order(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let (root, relative): (&[u8], _) = match bytes.strip_prefix(b"/") {
        Some(relative) => (b"/\0", relative),
        None => (b"", bytes),
    };
    if cfg!(unix) && components_are_parts(relative, root.is_empty()) {
        // The separators become the joining byte: splitting into components cost more than
        // sorting the keys.
        let mut key = Vec::with_capacity(bytes.len() + 1);
        key.extend_from_slice(root);
        key.extend(relative.iter().map(|&byte| if byte == b'/' { 0 } else { byte }));
        return key;
    }
    key_of_components(path)
}

/// Whether the components of a Unix path (after its root `/`, if any) are exactly its
/// `/`-separated parts: no part is empty (`a//b`, `a/`) or `.` (`a/./b`), except that a
/// path without a root may start with `.` (`./a`).
fn components_are_parts(bytes: &[u8], may_start_with_dot: bool) -> bool {
    let mut parts = bytes.split(|&byte| byte == b'/');
    let first_is_part = parts
        .next()
        .is_some_and(|first| !first.is_empty() && (may_start_with_dot || first != b"."));
    first_is_part && parts.all(|part| !part.is_empty() && part != b".")
}

fn key_of_components(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len());
    for (i, component) in path.components().enumerate() {
        if i > 0 {
            key.push(0);
        }
        key.extend_from_slice(component.as_os_str().as_encoded_bytes());
    }
    key
}

/// Gathers what walker threads find.
#[derive(Default)]
struct Collector(Mutex<Collected>);

/// What the walk found so far: each file with its [`path_order`] key, made by the thread
/// that found it (on the calling thread, making 20,000 keys held up the start of checking).
#[derive(Default)]
struct Collected {
    files: Vec<FileToCheck>,
    /// Each file's key, with its place in `files`.
    order: Vec<(Vec<u8>, usize)>,
    walk_errors: Vec<WalkError>,
    config_errors: Vec<ConfigError>,
    passed_over: BTreeMap<PassedOver, usize>,
}

impl Collector {
    fn with(&self, f: impl FnOnce(&mut Collected)) {
        f(&mut self.0.lock().unwrap_or_else(|poison| poison.into_inner()));
    }

    fn file(&self, file: FileToCheck) {
        let key = path_order(&file.path);
        self.with(|found| {
            found.order.push((key, found.files.len()));
            found.files.push(file);
        });
    }

    fn passed_over(&self, reason: PassedOver) {
        self.with(|found| *found.passed_over.entry(reason).or_default() += 1);
    }

    fn walk_error(&self, error: WalkError) {
        self.with(|found| found.walk_errors.push(error));
    }

    fn config_error(&self, error: ConfigError) {
        self.with(|found| {
            if !found.config_errors.contains(&error) {
                found.config_errors.push(error);
            }
        });
    }

    /// Everything found, in path order; when files may `repeat` (named, and below a
    /// directory named), each once, as first found.
    fn into_discovered(self, repeat: bool) -> Discovered {
        let mut found = self.0.into_inner().unwrap_or_else(|poison| poison.into_inner());
        // Small pairs sort faster than the files; places break ties in the order found.
        found.order.sort_unstable();
        let mut unsorted: Vec<Option<FileToCheck>> = found.files.into_iter().map(Some).collect();
        let mut files: Vec<FileToCheck> = found.order.iter().filter_map(|&(_, at)| unsorted[at].take()).collect();
        if repeat {
            files.dedup_by(|a, b| a.absolute == b.absolute);
        }
        found.walk_errors.sort_by_cached_key(|error| path_order(&error.path));
        found.config_errors.sort_by_cached_key(|error| path_order(&error.path));
        Discovered {
            files,
            walk_errors: found.walk_errors,
            config_errors: found.config_errors,
            passed_over: found.passed_over,
        }
    }
}

/// A walked path spelled from the root the user gave: `fixtures/a.dg`, not `/home/.../a.dg`.
fn as_given(roots: &[(PathBuf, PathBuf)], absolute: &Path) -> PathBuf {
    roots
        .iter()
        .find_map(|(given, root)| {
            let relative = below(absolute, root)?;
            Some(if given.as_os_str() == "." {
                relative.to_path_buf()
            } else {
                given.join(relative)
            })
        })
        .unwrap_or_else(|| absolute.to_path_buf())
}

/// `path` relative to `root`, which it was walked from. The walk spells it as `root`
/// joined with more, so comparing text usually answers (`strip_prefix` re-splits both
/// paths into components).
fn below<'p>(path: &'p Path, root: &Path) -> Option<&'p Path> {
    if let (Some(path_text), Some(root_text)) = (path.to_str(), root.to_str())
        && let Some(rest) = path_text.strip_prefix(root_text)
        && let Some(rest) = rest.strip_prefix(std::path::is_separator)
        && !rest.starts_with(std::path::is_separator)
    {
        return Some(Path::new(rest));
    }
    path.strip_prefix(root).ok()
}

fn walk_error(error: ignore::Error) -> WalkError {
    let path = match &error {
        ignore::Error::WithPath { path, .. } => path.clone(),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            return walk_error((**err).clone());
        }
        _ => PathBuf::new(),
    };
    let message = match &error {
        ignore::Error::WithPath { err, .. } => err.to_string(),
        other => other.to_string(),
    };
    WalkError { path, message }
}

/// An I/O error as a short reason.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_walked_path_below_its_root_is_found_by_text_or_by_components() {
        let below = |path: &str, root: &str| super::below(Path::new(path), Path::new(root)).map(Path::to_path_buf);
        assert_eq!(below("/r/a/b.dg", "/r"), Some(PathBuf::from("a/b.dg")));
        assert_eq!(below("/r/a", "/"), Some(PathBuf::from("r/a")));
        assert_eq!(below("/r//a", "/r"), Some(PathBuf::from("a")));
        assert_eq!(below("/rx/a", "/r"), None);
        assert_eq!(below("/r", "/r/a"), None);
    }

    #[test]
    fn path_order_sorts_as_paths_do() {
        let mut paths: Vec<PathBuf> = [
            "a.b/x", "a/b", "a/b/c", "a-b", "a", "b/a", "a/b.dg", "/abs/z", "A/b", "a//b/",
        ]
        .map(PathBuf::from)
        .to_vec();
        let mut by_key = paths.clone();
        paths.sort();
        by_key.sort_by_cached_key(|path| path_order(path));
        assert_eq!(by_key, paths);
    }

    #[test]
    fn path_order_read_off_the_text_is_the_order_of_the_components() {
        for path in [
            "a/b.dg",
            "./a/b",
            ".",
            "..",
            "../a",
            "a/../b",
            "a/.b",
            ".a/b",
            "a/.",
            "a/./b",
            "a/b/",
            "a//b",
            "/a/b",
            "/",
            "//a",
            "/./a",
            "",
            "a\\b/c",
            "dir with space/f.dg",
        ] {
            assert_eq!(
                path_order(Path::new(path)),
                key_of_components(Path::new(path)),
                "{path:?}"
            );
        }
    }

    use super::*;
    use crate::config::Overrides;
    use crate::pattern::PathPatterns;
    use crate::resolver::ConfigSource;
    use crate::test_support::tree;

    fn run(dir: &Path, paths: &[&str], force_exclude: bool, cli_exclude: &[&str]) -> Discovered {
        let resolver = Resolver::new(ConfigSource::Discover, Overrides::default(), dir);
        let cli: Vec<String> = cli_exclude.iter().map(|s| s.to_string()).collect();
        let cli = PathPatterns::new(dir, &cli).unwrap();
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        let options = DiscoveryOptions {
            force_exclude,
            threads: 2,
        };
        discover(&paths, &resolver, &cli, dir, options)
    }

    fn names(found: &Discovered) -> Vec<String> {
        found.files.iter().map(|f| f.path.display().to_string()).collect()
    }

    #[test]
    fn walks_deluge_files_skipping_ignored_hidden_and_excluded_paths() {
        let dir = tree(&[
            (".gitignore", "generated/\n"),
            ("delint.toml", "extend-exclude = [\"old\"]\n"),
            ("a.dg", ""),
            ("b.deluge", ""),
            ("c.ds", ""),
            ("d.zdl", ""),
            ("e.zs", ""),
            ("notes.txt", ""),
            ("sendInvoice", ""),
            ("logo.png", ""),
            ("generated/f.dg", ""),
            (".hidden/g.dg", ""),
            ("node_modules/h.dg", ""),
            ("sub/old/i.dg", ""),
            ("sub/j.DG", ""),
        ]);
        let found = run(dir.path(), &["."], false, &[]);
        // Every file but those plainly not text (and `delint.toml`): the content decides.
        assert_eq!(
            names(&found),
            [
                "a.dg",
                "b.deluge",
                "c.ds",
                "d.zdl",
                "e.zs",
                "notes.txt",
                "sendInvoice",
                "sub/j.DG"
            ]
        );
        assert_eq!(
            found.passed_over.iter().collect::<Vec<_>>(),
            [(&PassedOver::Image, &1), (&PassedOver::ConfigOrMarkup, &1)]
        );
        assert!(found.walk_errors.is_empty() && found.config_errors.is_empty());
    }

    #[test]
    fn a_file_named_and_walked_is_checked_once() {
        let dir = tree(&[("a/x.dg", ""), ("a/y.dg", "")]);
        assert_eq!(
            names(&run(dir.path(), &["a/x.dg", "a", "a/x.dg"], false, &[])),
            ["a/x.dg", "a/y.dg"]
        );
        assert_eq!(names(&run(dir.path(), &["a"], false, &[])), ["a/x.dg", "a/y.dg"]);
    }

    #[test]
    fn named_files_are_checked_unless_exclusion_is_forced() {
        let dir = tree(&[
            ("delint.toml", "extend-exclude = [\"old\"]\n"),
            ("old/a.dg", ""),
            ("b.txt", ""),
        ]);
        assert_eq!(
            names(&run(dir.path(), &["old/a.dg", "b.txt"], false, &[])),
            ["b.txt", "old/a.dg"]
        );
        assert_eq!(names(&run(dir.path(), &["old/a.dg", "b.txt"], true, &[])), ["b.txt"]);
        assert_eq!(
            names(&run(dir.path(), &["b.txt"], true, &["*.txt"])),
            Vec::<String>::new()
        );
    }

    #[test]
    fn missing_paths_and_broken_configs_are_reported_once() {
        let dir = tree(&[
            ("bad/delint.toml", "selct = []\n"),
            ("bad/a.dg", ""),
            ("bad/s/b.dg", ""),
            ("ok.dg", ""),
        ]);
        let found = run(dir.path(), &[".", "missing.dg"], false, &[]);
        assert_eq!(names(&found), ["ok.dg"]);
        assert_eq!(found.walk_errors[0].message, "no such file or directory");
        assert_eq!(found.config_errors.len(), 1, "{:?}", found.config_errors);
        assert!(found.config_errors[0].message.contains("unknown field `selct`"));
    }

    #[test]
    fn cli_excludes_apply_to_walked_paths() {
        let dir = tree(&[("a.dg", ""), ("skip/b.dg", "")]);
        assert_eq!(names(&run(dir.path(), &["."], false, &["skip"])), ["a.dg"]);
    }
}
