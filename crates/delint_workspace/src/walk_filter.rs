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

const LOCK_FILE_NAMES: &[&str] = &["package-lock.json", "pnpm-lock.yaml", "npm-shrinkwrap.json"];

/// The extensions Deluge is saved with: a file of that name that holds something else
/// deserves a note.
const DELUGE_EXTENSIONS: &[&str] = &["dg", "deluge", "ds", "zdl", "zs"];

/// Whether `path`'s extension is one Deluge is saved with.
pub fn has_a_deluge_extension(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
    DELUGE_EXTENSIONS
        .iter()
        .any(|deluge| deluge.eq_ignore_ascii_case(extension))
}

/// Why a walk passes over `path` by name, if it does. `listed` is the configuration's
/// `extensions` (only those are read when it is set; `""` stands for files without an
/// extension); `added` are `--extension`s, always read.
pub fn passed_over(path: &Path, listed: Option<&[String]>, added: &[String]) -> Option<PassedOver> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
    let is = |candidate: &String| candidate.eq_ignore_ascii_case(extension);
    if added.iter().any(is) {
        return None;
    }
    if let Some(listed) = listed {
        return (!listed.iter().any(is)).then_some(PassedOver::NotListed);
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if LOCK_FILE_NAMES.iter().any(|lock| name.eq_ignore_ascii_case(lock)) {
        return Some(PassedOver::LockFile);
    }
    // Folded into a buffer on the stack (every denied extension is short): this runs for
    // every file walked, and one `match` answers.
    let mut folded = [0u8; 8];
    let bytes = extension.as_bytes();
    if bytes.len() > folded.len() {
        return None;
    }
    folded[..bytes.len()].copy_from_slice(bytes);
    folded.make_ascii_lowercase();
    Some(match &folded[..bytes.len()] {
        b"png" | b"jpg" | b"jpeg" | b"gif" | b"bmp" | b"ico" | b"icns" | b"svg" | b"webp" | b"tif" | b"tiff"
        | b"psd" | b"heic" | b"avif" => PassedOver::Image,
        b"zip" | b"gz" | b"tgz" | b"bz2" | b"xz" | b"zst" | b"7z" | b"rar" | b"tar" | b"jar" | b"war" | b"apk"
        | b"dmg" | b"iso" => PassedOver::Archive,
        b"pdf" | b"doc" | b"docx" | b"xls" | b"xlsx" | b"xlsm" | b"ppt" | b"pptx" | b"odt" | b"ods" | b"odp"
        | b"rtf" | b"pages" | b"numbers" | b"key" => PassedOver::Document,
        b"ttf" | b"otf" | b"woff" | b"woff2" | b"eot" => PassedOver::Font,
        b"mp3" | b"mp4" | b"wav" | b"ogg" | b"flac" | b"m4a" | b"mov" | b"avi" | b"mkv" | b"webm" => PassedOver::Media,
        b"exe" | b"dll" | b"so" | b"dylib" | b"o" | b"a" | b"lib" | b"bin" | b"class" | b"pyc" | b"wasm" | b"db"
        | b"sqlite" | b"dat" => PassedOver::Binary,
        b"lock" => PassedOver::LockFile,
        b"toml" | b"yaml" | b"yml" | b"ini" | b"cfg" | b"conf" | b"xml" | b"html" | b"htm" | b"css" | b"scss"
        | b"less" | b"csv" | b"tsv" | b"map" => PassedOver::ConfigOrMarkup,
        _ => return None,
    })
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
