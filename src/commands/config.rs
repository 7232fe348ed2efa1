//! Finding `delint.toml`: `--config PATH`, or the nearest one walking up from each file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use delint_linter::settings::Settings;

/// The configuration file's name.
pub const FILE_NAME: &str = "delint.toml";

/// Loads and caches settings per directory.
pub struct ConfigResolver {
    forced: Option<Result<Arc<Settings>, String>>,
    by_dir: HashMap<PathBuf, Result<Arc<Settings>, String>>,
}

impl ConfigResolver {
    /// With `--config PATH`, every file uses that file.
    pub fn new(forced: Option<&Path>) -> Self {
        ConfigResolver {
            forced: forced.map(load),
            by_dir: HashMap::new(),
        }
    }

    /// The settings for `file`; an error names the configuration file and what is wrong.
    pub fn settings_for(&mut self, file: &Path) -> Result<Arc<Settings>, String> {
        if let Some(forced) = &self.forced {
            return forced.clone();
        }
        let dir = file
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        self.for_dir(&dir)
    }

    fn for_dir(&mut self, dir: &Path) -> Result<Arc<Settings>, String> {
        if let Some(cached) = self.by_dir.get(dir) {
            return cached.clone();
        }
        let candidate = dir.join(FILE_NAME);
        let resolved = if candidate.is_file() {
            load(&candidate)
        } else {
            match dir.parent() {
                Some(parent) => self.for_dir(parent),
                None => Ok(Arc::new(Settings::default())),
            }
        };
        self.by_dir.insert(dir.to_path_buf(), resolved.clone());
        resolved
    }
}

fn load(path: &Path) -> Result<Arc<Settings>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Settings::from_toml(&text)
        .map(Arc::new)
        .map_err(|e| format!("{}: {}", path.display(), e.trim_end()))
}
