//! delint's view of a project, shared by the command line and the language server:
//!
//! - [`config`]: `delint.toml`, parsed and validated, errors with file, line and column;
//! - [`resolver`]: which configuration applies to a file (nearest `delint.toml` walking up,
//!   `--config`, `--isolated`, command-line overrides);
//! - [`discovery`]: which files a run checks (parallel walk honouring `.gitignore`,
//!   extensions, excludes);
//! - [`source`]: reading a file as Deluge text, or saying exactly why it cannot be.
//!
//! It knows files and paths; what a rule is and how linting works stay in `delint_linter`.

pub mod config;
pub mod discovery;
pub mod pattern;
pub mod resolver;
pub mod source;
pub mod walk_filter;

#[cfg(test)]
mod test_support {
    /// A temporary directory holding `files` (path, text).
    pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }
}
