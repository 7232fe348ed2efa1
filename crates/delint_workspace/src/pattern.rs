//! Path patterns of `exclude`, `extend-exclude`, `per-file-ignores` and `--exclude`.
//!
//! A pattern without `/` (`node_modules`, `*_old.dg`) matches a file or directory of that
//! name anywhere below the base directory. A pattern with `/` (`legacy/**/*.dg`,
//! `exports/crm`) is anchored at the base directory: the configuration file's directory,
//! or the working directory for command-line patterns. `*` never crosses `/`; `**` does.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// A compiled list of patterns.
#[derive(Clone, Debug)]
pub struct PathPatterns {
    base: PathBuf,
    names: GlobSet,
    anchored: GlobSet,
}

impl PathPatterns {
    /// Compiles `patterns` relative to `base` (an absolute directory). The error names the
    /// pattern and what is wrong with it.
    pub fn new(base: &Path, patterns: &[String]) -> Result<PathPatterns, String> {
        let mut names = GlobSetBuilder::new();
        let mut anchored = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = compile(pattern)?;
            if is_anchored(pattern) {
                anchored.add(glob);
            } else {
                names.add(glob);
            }
        }
        let build = |set: GlobSetBuilder| set.build().map_err(|e| e.to_string());
        Ok(PathPatterns {
            base: base.to_path_buf(),
            names: build(names)?,
            anchored: build(anchored)?,
        })
    }

    /// No patterns.
    pub fn empty(base: &Path) -> PathPatterns {
        PathPatterns::new(base, &[]).expect("no patterns compile")
    }

    /// Whether `path` (absolute) itself matches: its name, or its path below the base.
    pub fn matches(&self, path: &Path) -> bool {
        if path.file_name().is_some_and(|name| self.names.is_match(name)) {
            return true;
        }
        !self.anchored.is_empty()
            && path
                .strip_prefix(&self.base)
                .is_ok_and(|rel| self.anchored.is_match(rel))
    }

    /// Whether `path` or any directory it is in, up to the base, matches.
    pub fn matches_path_or_ancestor(&self, path: &Path) -> bool {
        path.ancestors()
            .take_while(|ancestor| *ancestor != self.base)
            .any(|ancestor| self.matches(ancestor))
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.anchored.is_empty()
    }
}

fn is_anchored(pattern: &str) -> bool {
    normalise(pattern).contains('/')
}

/// Drops a leading `./` and a trailing `/`, which only say "relative" and "a directory".
fn normalise(pattern: &str) -> &str {
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    pattern.strip_suffix('/').unwrap_or(pattern)
}

fn compile(pattern: &str) -> Result<Glob, String> {
    let normal = normalise(pattern);
    if normal.is_empty() {
        return Err(format!("`{pattern}` is an empty pattern"));
    }
    GlobBuilder::new(normal)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.kind()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(list: &[&str]) -> PathPatterns {
        let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        PathPatterns::new(Path::new("/p"), &list).unwrap()
    }

    #[test]
    fn names_match_anywhere_and_paths_are_anchored() {
        let p = patterns(&["node_modules", "*_old.dg", "legacy/**/*.dg", "./exports/crm/"]);
        assert!(p.matches(Path::new("/p/a/b/node_modules")));
        assert!(p.matches(Path::new("/p/x/lead_old.dg")));
        assert!(p.matches(Path::new("/p/legacy/a/b.dg")));
        assert!(p.matches(Path::new("/p/legacy/b.dg")));
        assert!(p.matches(Path::new("/p/exports/crm")));
        assert!(!p.matches(Path::new("/p/src/legacy/b.dg")), "anchored at the base");
        assert!(!p.matches(Path::new("/p/legacy/b.ds")));
        assert!(!p.matches(Path::new("/q/legacy/b.dg")), "outside the base");
    }

    #[test]
    fn star_does_not_cross_directories() {
        let p = patterns(&["src/*.dg"]);
        assert!(p.matches(Path::new("/p/src/a.dg")));
        assert!(!p.matches(Path::new("/p/src/sub/a.dg")));
    }

    #[test]
    fn ancestors_count_for_files_named_explicitly() {
        let p = patterns(&["vendor"]);
        assert!(!p.matches(Path::new("/p/vendor/a/b.dg")));
        assert!(p.matches_path_or_ancestor(Path::new("/p/vendor/a/b.dg")));
        assert!(!p.matches_path_or_ancestor(Path::new("/p/src/a/b.dg")));
    }

    #[test]
    fn bad_patterns_are_named() {
        let error = PathPatterns::new(Path::new("/p"), &["a/[b".to_owned()]).unwrap_err();
        assert!(error.contains("`a/[b`"), "{error}");
    }
}
