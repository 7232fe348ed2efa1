//! Which configuration applies to a file: `--config PATH` for every file, `--isolated` for
//! the defaults, or else the nearest `delint.toml` walking up from the file's directory.
//! Thread-safe and cached per directory, so a parallel walk asks freely.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::config::{ConfigError, ConfigFile, Configuration, FILE_NAME, Overrides};

/// The outcome for one directory.
pub type Resolved = Result<Arc<Configuration>, ConfigError>;

/// Where configuration comes from.
#[derive(Clone, Debug, Default)]
pub enum ConfigSource {
    /// The nearest `delint.toml` walking up.
    #[default]
    Discover,
    /// This file for everything (`--config`).
    File(PathBuf),
    /// No file at all (`--isolated`).
    Isolated,
}

/// Finds and caches configurations.
#[derive(Debug)]
pub struct Resolver {
    overrides: Overrides,
    fixed: Option<Resolved>,
    defaults: Arc<Configuration>,
    /// Keyed by the directory's spelling, not its components (hashing a `Path` re-splits
    /// it): a directory spelled two ways is only resolved twice.
    by_dir: Mutex<FxHashMap<OsString, Resolved>>,
}

impl Resolver {
    /// A resolver; `cwd` roots the defaults (and so their exclusion patterns).
    pub fn new(source: ConfigSource, overrides: Overrides, cwd: &Path) -> Resolver {
        let defaults = Arc::new(Configuration::defaults(cwd.to_path_buf(), &overrides));
        let fixed = match source {
            ConfigSource::Discover => None,
            ConfigSource::Isolated => Some(Ok(defaults.clone())),
            ConfigSource::File(path) => Some(load(&absolute(&path, cwd), &overrides)),
        };
        Resolver {
            overrides,
            fixed,
            defaults,
            by_dir: Mutex::default(),
        }
    }

    /// The configuration for files in `dir` (absolute).
    pub fn for_dir(&self, dir: &Path) -> Resolved {
        if let Some(fixed) = &self.fixed {
            return fixed.clone();
        }
        // Walk up to the first directory already known or holding a configuration file,
        // then remember the answer for every directory passed on the way.
        let mut passed = Vec::new();
        let mut current = Some(dir);
        let resolved = loop {
            let Some(candidate) = current else {
                break Ok(self.defaults.clone());
            };
            if let Some(known) = self.cached(candidate) {
                break known;
            }
            let file = candidate.join(FILE_NAME);
            if file.is_file() {
                break load(&file, &self.overrides);
            }
            passed.push(candidate.to_path_buf());
            current = candidate.parent();
        };
        let mut cache = self.by_dir.lock().unwrap_or_else(|poison| poison.into_inner());
        if let Some(end) = current {
            cache
                .entry(end.as_os_str().to_owned())
                .or_insert_with(|| resolved.clone());
        }
        for dir in passed {
            cache.insert(dir.into_os_string(), resolved.clone());
        }
        resolved
    }

    /// The configuration for the file at `path` (absolute).
    pub fn for_file(&self, path: &Path) -> Resolved {
        self.for_dir(path.parent().unwrap_or(path))
    }

    fn cached(&self, dir: &Path) -> Option<Resolved> {
        let cache = self.by_dir.lock().unwrap_or_else(|poison| poison.into_inner());
        cache.get(dir.as_os_str()).cloned()
    }
}

/// `path` made absolute against `cwd`, without resolving links.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else if path.as_os_str() == "." {
        // `cwd/.` would show in messages as `/project/./delint.toml`.
        cwd.to_path_buf()
    } else {
        cwd.join(path)
    }
}

fn load(path: &Path, overrides: &Overrides) -> Resolved {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read the configuration: {e}"),
    })?;
    let file = ConfigFile::parse(&text, path)?;
    let root = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    Ok(Arc::new(Configuration::new(
        file,
        Some(path.to_path_buf()),
        root,
        overrides,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tree;

    #[test]
    fn the_nearest_file_walking_up_wins() {
        let dir = tree(&[
            ("delint.toml", "ignore = [\"DL001\"]\n"),
            ("a/b/delint.toml", "ignore = [\"DL002\"]\n"),
            ("a/b/c/x.dg", ""),
        ]);
        let resolver = Resolver::new(ConfigSource::Discover, Overrides::default(), dir.path());
        let inner = resolver.for_file(&dir.path().join("a/b/c/x.dg")).unwrap();
        assert_eq!(
            inner.file.as_deref(),
            Some(dir.path().join("a/b/delint.toml").as_path())
        );
        let outer = resolver.for_dir(&dir.path().join("a")).unwrap();
        assert_eq!(outer.file.as_deref(), Some(dir.path().join("delint.toml").as_path()));
        assert!(
            Arc::ptr_eq(&outer, &resolver.for_dir(&dir.path().join("a")).unwrap()),
            "cached"
        );
    }

    #[test]
    fn a_forced_file_or_isolation_overrides_discovery() {
        let dir = tree(&[
            ("delint.toml", "ignore = [\"DL001\"]\n"),
            ("other.toml", "ignore = [\"DL003\"]\n"),
        ]);
        let forced = Resolver::new(
            ConfigSource::File("other.toml".into()),
            Overrides::default(),
            dir.path(),
        );
        assert_eq!(forced.for_dir(dir.path()).unwrap().ignore, ["DL003".parse().unwrap()]);
        let isolated = Resolver::new(ConfigSource::Isolated, Overrides::default(), dir.path());
        assert!(isolated.for_dir(dir.path()).unwrap().file.is_none());
    }

    #[test]
    fn a_broken_file_is_an_error_for_every_directory_below_it() {
        let dir = tree(&[("delint.toml", "select = 3\n"), ("a/x.dg", "")]);
        let resolver = Resolver::new(ConfigSource::Discover, Overrides::default(), dir.path());
        let error = resolver.for_file(&dir.path().join("a/x.dg")).unwrap_err();
        assert_eq!((error.line, error.column), (1, 10));
        let missing = Resolver::new(ConfigSource::File("nope.toml".into()), Overrides::default(), dir.path());
        assert!(missing.for_dir(dir.path()).unwrap_err().message.contains("cannot read"));
    }
}
