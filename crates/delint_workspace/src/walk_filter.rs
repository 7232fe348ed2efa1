//! Which files a directory walk reads, by name alone: every file whose extension is not
//! plainly something other than text (images, archives, office documents, fonts, media,
//! compiled binaries, lock files). What a read file holds — Deluge, an export, JavaScript,
//! prose — is decided by its content afterwards (`delint_container::sniff`), because
//! clients keep Deluge in `.txt`, in `.js`, and in files with no extension at all.

use std::path::Path;

/// Why a walk passes over a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PassedOver {
    /// `.png`, `.jpg`, `.svg`, ...
    Image,
    /// `.zip`, `.gz`, `.jar`, ...
    Archive,
    /// `.pdf`, `.docx`, `.xlsx`, ...
    Document,
    /// `.ttf`, `.woff2`, ...
    Font,
    /// `.mp3`, `.mp4`, ...
    Media,
    /// `.exe`, `.so`, `.class`, `.wasm`, ...
    Binary,
    /// `Cargo.lock`, `package-lock.json`, `yarn.lock`, ...
    LockFile,
    /// `delint.toml`, `.yml`, `.xml`, `.html`, `.css`, `.csv`: configuration, markup and
    /// data, never a script.
    ConfigOrMarkup,
    /// Not among the `extensions` a configuration lists.
    NotListed,
}

impl PassedOver {
    /// How the summary names `count` files passed over for this reason.
    pub fn describe(self, count: usize) -> &'static str {
        let (one, many) = match self {
            PassedOver::Image => ("image", "images"),
            PassedOver::Archive => ("archive", "archives"),
            PassedOver::Document => ("office document or PDF", "office documents and PDFs"),
            PassedOver::Font => ("font", "fonts"),
            PassedOver::Media => ("audio or video file", "audio and video files"),
            PassedOver::Binary => ("compiled binary", "compiled binaries"),
            PassedOver::LockFile => ("lock file", "lock files"),
            PassedOver::ConfigOrMarkup => (
                "configuration, markup or data file",
                "configuration, markup and data files",
            ),
            PassedOver::NotListed => ("file not in `extensions`", "files not in `extensions`"),
        };
        if count == 1 { one } else { many }
    }
}

const IMAGES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "svg", "webp", "tif", "tiff", "psd", "heic", "avif",
];
const ARCHIVES: &[&str] = &[
    "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "tar", "jar", "war", "apk", "dmg", "iso",
];
const DOCUMENTS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "xlsm", "ppt", "pptx", "odt", "ods", "odp", "rtf", "pages", "numbers", "key",
];
const FONTS: &[&str] = &["ttf", "otf", "woff", "woff2", "eot"];
const MEDIA: &[&str] = &["mp3", "mp4", "wav", "ogg", "flac", "m4a", "mov", "avi", "mkv", "webm"];
const BINARIES: &[&str] = &[
    "exe", "dll", "so", "dylib", "o", "a", "lib", "bin", "class", "pyc", "wasm", "db", "sqlite", "dat",
];
const CONFIG_OR_MARKUP: &[&str] = &[
    "toml", "yaml", "yml", "ini", "cfg", "conf", "xml", "html", "htm", "css", "scss", "less", "csv", "tsv", "map",
];
const LOCK_FILE_NAMES: &[&str] = &["package-lock.json", "pnpm-lock.yaml", "npm-shrinkwrap.json"];

/// The lower-case extension of `path` without its dot; `""` for a file without one.
pub fn extension_of(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Why a walk passes over `path` by name, if it does. `listed` is the configuration's
/// `extensions` (only those are read when it is set; `""` stands for files without an
/// extension); `added` are `--extension`s, always read.
pub fn passed_over(path: &Path, listed: Option<&[String]>, added: &[String]) -> Option<PassedOver> {
    let extension = extension_of(path);
    if added.contains(&extension) {
        return None;
    }
    if let Some(listed) = listed {
        return (!listed.contains(&extension)).then_some(PassedOver::NotListed);
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if extension == "lock" || LOCK_FILE_NAMES.iter().any(|lock| name.eq_ignore_ascii_case(lock)) {
        return Some(PassedOver::LockFile);
    }
    let extension = extension.as_str();
    [
        (IMAGES, PassedOver::Image),
        (ARCHIVES, PassedOver::Archive),
        (DOCUMENTS, PassedOver::Document),
        (FONTS, PassedOver::Font),
        (MEDIA, PassedOver::Media),
        (BINARIES, PassedOver::Binary),
        (CONFIG_OR_MARKUP, PassedOver::ConfigOrMarkup),
    ]
    .into_iter()
    .find_map(|(list, reason)| list.contains(&extension).then_some(reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn over(name: &str) -> Option<PassedOver> {
        passed_over(Path::new(name), None, &[])
    }

    #[test]
    fn text_of_any_name_is_read_and_plain_non_text_is_not() {
        for read in [
            "a.dg",
            "a.deluge",
            "a.ds",
            "a.txt",
            "a.js",
            "a.ts",
            "a.json",
            "README.md",
            "sendInvoice",
            "x.DG",
        ] {
            assert_eq!(over(read), None, "{read}");
        }
        assert_eq!(over("logo.PNG"), Some(PassedOver::Image));
        assert_eq!(over("export.zip"), Some(PassedOver::Archive));
        assert_eq!(over("spec.pdf"), Some(PassedOver::Document));
        assert_eq!(over("Cargo.lock"), Some(PassedOver::LockFile));
        assert_eq!(over("web/package-lock.json"), Some(PassedOver::LockFile));
        assert_eq!(over("tool.exe"), Some(PassedOver::Binary));
        assert_eq!(over("delint.toml"), Some(PassedOver::ConfigOrMarkup));
        assert_eq!(over("index.html"), Some(PassedOver::ConfigOrMarkup));
    }

    #[test]
    fn a_listed_set_reads_only_its_extensions_and_additions_always_read() {
        let listed = vec!["dg".to_owned(), String::new()];
        assert_eq!(passed_over(Path::new("a.dg"), Some(&listed), &[]), None);
        assert_eq!(passed_over(Path::new("sendInvoice"), Some(&listed), &[]), None);
        assert_eq!(
            passed_over(Path::new("a.txt"), Some(&listed), &[]),
            Some(PassedOver::NotListed)
        );
        let added = vec!["txt".to_owned(), "png".to_owned()];
        assert_eq!(passed_over(Path::new("a.txt"), Some(&listed), &added), None);
        assert_eq!(passed_over(Path::new("scan.png"), None, &added), None);
    }
}
