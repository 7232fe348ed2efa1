//! Reading a file as Deluge text, or saying exactly why it cannot be read.

use std::io::Read;
use std::path::Path;

use crate::discovery::io_reason;

/// Files larger than this are not read unless the limit is raised.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// How many leading bytes are inspected for a NUL, as git and ripgrep do.
const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// Why a file could not be read as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The reason, in a few words.
    pub reason: String,
    /// For text that is not UTF-8: the text with the bad bytes replaced, and the byte offset
    /// (in that text) of the first replacement, so the error can point at it.
    pub lossy: Option<(String, usize)>,
    /// The bytes are binary (a NUL among the first 8 KiB): not text at all, so not an error
    /// for a file found by walking.
    pub binary: bool,
}

impl Unreadable {
    fn new(reason: String) -> Unreadable {
        Unreadable {
            reason,
            lossy: None,
            binary: false,
        }
    }
}

/// Room for a typical source file, read before the file system is asked for the size: a
/// `stat` per file was 1 of 5 system calls in a run over a tree of small files.
const READ_CAPACITY: usize = 16 * 1024;

/// Reads `path` as UTF-8 text of at most `max_size` bytes.
pub fn read_source(path: &Path, max_size: u64) -> Result<String, Unreadable> {
    let file = std::fs::File::open(path).map_err(|e| Unreadable::new(io_reason(&e)))?;
    let read_error = |e: std::io::Error| Unreadable::new(io_reason(&e));
    let mut bytes = Vec::with_capacity(READ_CAPACITY);
    let first_part = (READ_CAPACITY as u64).min(max_size.saturating_add(1));
    (&file).take(first_part).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 == first_part {
        // There may be more: its size decides whether the rest is read at all.
        let size = file.metadata().map_err(read_error)?.len();
        if size > max_size {
            return Err(too_large(size, max_size));
        }
        bytes.reserve(usize::try_from(size).unwrap_or(0).saturating_sub(bytes.len()));
        // `take` guards against a file that grows while it is read.
        (&file)
            .take(max_size + 1 - bytes.len() as u64)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        if bytes.len() as u64 > max_size {
            return Err(too_large(bytes.len() as u64, max_size));
        }
    }
    decode(bytes)
}

fn too_large(size: u64, max_size: u64) -> Unreadable {
    Unreadable::new(format!(
        "the file is {} and the limit is {}; raise it with --max-file-size",
        human_size(size),
        human_size(max_size)
    ))
}

/// `bytes` as text, or why they are not text.
pub fn decode(bytes: Vec<u8>) -> Result<String, Unreadable> {
    if let Some(at) = memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_LEN)]) {
        return Err(Unreadable {
            binary: true,
            ..Unreadable::new(format!("binary file (a NUL byte at offset {at}), not Deluge text"))
        });
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
        let prefix = &error.as_bytes()[..valid];
        let line = 1 + prefix.iter().filter(|&&b| b == b'\n').count();
        let line_start = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = 1 + String::from_utf8_lossy(&prefix[line_start..]).chars().count();
        Unreadable {
            reason: format!(
                "not valid UTF-8: byte 0x{:02X} at line {line}, column {column}; re-save the file as UTF-8",
                error.as_bytes()[valid]
            ),
            lossy: Some((lossy, valid)),
            binary: false,
        }
    })
}

/// `10 MB`, `512 KB`, `12 bytes`.
pub fn human_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Parses `10MB`, `512K`, `2 mb` or a number of bytes, as `--max-file-size` takes it.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (expected e.g. 10MB, 512KB or 1000000)"))?;
    let multiplier = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => 1024 * 1024 * 1024,
        other => return Err(format!("unknown size unit `{other}` (expected KB, MB or GB)")),
    };
    number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_the_byte_line_and_column() {
        let error = decode(b"info 1;\ninfo \"Ol\xe1\";\n".to_vec()).unwrap_err();
        assert_eq!(
            error.reason,
            "not valid UTF-8: byte 0xE1 at line 2, column 9; re-save the file as UTF-8"
        );
        let (lossy, at) = error.lossy.unwrap();
        assert_eq!(&lossy[at..at + 3], "\u{FFFD}");
    }

    #[test]
    fn a_nul_byte_means_binary() {
        assert!(
            decode(b"\x89PNG\r\n\x1a\n\0\0".to_vec())
                .unwrap_err()
                .reason
                .starts_with("binary file")
        );
        assert_eq!(decode(b"info 1;".to_vec()).unwrap(), "info 1;");
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.dg");
        std::fs::write(&path, "x".repeat(2048)).unwrap();
        let error = read_source(&path, 1024).unwrap_err();
        assert_eq!(
            error.reason,
            "the file is 2 KB and the limit is 1 KB; raise it with --max-file-size"
        );
        assert_eq!(read_source(&path, 4096).unwrap().len(), 2048);
        assert_eq!(
            read_source(&dir.path().join("gone.dg"), 4096).unwrap_err().reason,
            "no such file or directory"
        );
    }

    #[test]
    fn files_around_the_first_read_and_the_limit_are_read_whole_or_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.dg");
        for size in [
            0,
            1,
            READ_CAPACITY - 1,
            READ_CAPACITY,
            READ_CAPACITY + 1,
            5 * READ_CAPACITY + 7,
        ] {
            let text: String = (0..size).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            std::fs::write(&path, &text).unwrap();
            assert_eq!(read_source(&path, DEFAULT_MAX_FILE_SIZE).unwrap(), text, "{size} bytes");
            let limit = size as u64;
            assert_eq!(read_source(&path, limit).unwrap(), text, "{size} bytes, at the limit");
            if size > 0 {
                let refused = read_source(&path, limit - 1).unwrap_err();
                assert!(
                    refused.reason.starts_with("the file is"),
                    "{size} bytes: {}",
                    refused.reason
                );
            }
        }
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("10MB"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("512 kb"), Ok(512 * 1024));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5TB").unwrap_err().contains("unit"));
    }
}
