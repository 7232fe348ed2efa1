//! Reading a file as Deluge text, or saying exactly why it cannot be read.
//!
//! The encoding is detected by one rule: a UTF-16 byte-order mark means UTF-16 (as
//! Windows Notepad saves "Unicode"); otherwise text that is valid UTF-8 is UTF-8; otherwise
//! it is Windows-1252, the superset of Latin-1 that Spanish and Portuguese comments pasted
//! on Windows are in (every byte decodes, so nothing is lost). `--fix` writes a file back
//! in the encoding it was read in ([`TextEncoding::encode`]).

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

/// The encoding a text was read in, and is written back in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextEncoding {
    #[default]
    Utf8,
    /// With its byte-order mark, little-endian.
    Utf16Le,
    /// With its byte-order mark, big-endian.
    Utf16Be,
    Windows1252,
}

impl TextEncoding {
    /// How a note names it.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16 (little-endian)",
            TextEncoding::Utf16Be => "UTF-16 (big-endian)",
            TextEncoding::Windows1252 => "Windows-1252 (Latin-1)",
        }
    }

    /// `text` as bytes in this encoding, or why it cannot be (a character Windows-1252 has
    /// no byte for: the file is left as it was rather than changed into something else).
    pub fn encode(self, text: &str) -> std::io::Result<Vec<u8>> {
        let utf16 = |units: &mut dyn Iterator<Item = [u8; 2]>, bom: [u8; 2]| -> Vec<u8> {
            bom.into_iter().chain(units.flatten()).collect()
        };
        // The decoded text begins with the mark (U+FEFF); it is written as the mark.
        let without_mark = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        Ok(match self {
            TextEncoding::Utf8 => text.as_bytes().to_vec(),
            TextEncoding::Utf16Le => utf16(&mut without_mark.encode_utf16().map(u16::to_le_bytes), [0xFF, 0xFE]),
            TextEncoding::Utf16Be => utf16(&mut without_mark.encode_utf16().map(u16::to_be_bytes), [0xFE, 0xFF]),
            TextEncoding::Windows1252 => {
                let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
                if unmappable {
                    return Err(std::io::Error::other(
                        "the fixed text has a character Windows-1252 cannot hold; the file was left in its encoding",
                    ));
                }
                bytes.into_owned()
            }
        })
    }
}

/// A file's text and the encoding it was in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: TextEncoding,
}

/// Reads `path` as text of at most `max_size` bytes, with the encoding it was in (see the
/// module for the rule).
pub fn read_source(path: &Path, max_size: u64) -> Result<Decoded, Unreadable> {
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
    decode_any(bytes)
}

fn too_large(size: u64, max_size: u64) -> Unreadable {
    Unreadable::new(format!(
        "the file is {} and the limit is {}; raise it with --max-file-size",
        human_size(size),
        human_size(max_size)
    ))
}

/// `bytes` as text in any encoding of the module's rule, or why they are not text.
pub fn decode_any(bytes: Vec<u8>) -> Result<Decoded, Unreadable> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some((encoding_rs::UTF_16LE, TextEncoding::Utf16Le)),
        Some([0xFE, 0xFF]) => Some((encoding_rs::UTF_16BE, TextEncoding::Utf16Be)),
        _ => None,
    };
    if let Some((decoder, encoding)) = utf16 {
        // The mark stays in the text as U+FEFF (the lexer skips it), so offsets stay true.
        let (text, _) = decoder.decode_without_bom_handling(&bytes[2..]);
        return Ok(Decoded {
            text: format!("\u{FEFF}{text}"),
            encoding,
        });
    }
    if let Some(at) = nul_at(&bytes) {
        return Err(binary(at));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: TextEncoding::Utf8,
        }),
        Err(error) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(error.as_bytes());
            Ok(Decoded {
                text: text.into_owned(),
                encoding: TextEncoding::Windows1252,
            })
        }
    }
}

/// Where the first NUL of the first 8 KiB is: a binary file's sign, as git's and ripgrep's.
fn nul_at(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_LEN)])
}

fn binary(at: usize) -> Unreadable {
    Unreadable {
        binary: true,
        ..Unreadable::new(format!("binary file (a NUL byte at offset {at}), not Deluge text"))
    }
}

/// `bytes` as UTF-8 text, or why they are not: for standard input, which editors send as
/// UTF-8 and which `--fix` answers on stdout in UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, Unreadable> {
    if let Some(at) = nul_at(&bytes) {
        return Err(binary(at));
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
    fn latin1_and_utf16_are_decoded_and_written_back_as_they_were() {
        let latin1 = b"// Actualiza la cotizaci\xf3n\r\ninfo \"Ol\xe1\";\r\n".to_vec();
        let decoded = decode_any(latin1.clone()).unwrap();
        assert_eq!(decoded.encoding, TextEncoding::Windows1252);
        assert_eq!(
            decoded.text,
            "// Actualiza la cotizaci\u{f3}n\r\ninfo \"Ol\u{e1}\";\r\n"
        );
        assert_eq!(decoded.encoding.encode(&decoded.text).unwrap(), latin1);
        assert!(TextEncoding::Windows1252.encode("info \"\u{4e2d}\";").is_err());

        let text = "info \"\u{e7}a\";\n";
        for (mark, encoding) in [
            ([0xFF, 0xFE], TextEncoding::Utf16Le),
            ([0xFE, 0xFF], TextEncoding::Utf16Be),
        ] {
            let units: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| {
                    if mark[0] == 0xFF {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
            let bytes: Vec<u8> = mark.into_iter().chain(units).collect();
            let decoded = decode_any(bytes.clone()).unwrap();
            assert_eq!(decoded.encoding, encoding);
            assert_eq!(decoded.text, format!("\u{FEFF}{text}"));
            assert_eq!(encoding.encode(&decoded.text).unwrap(), bytes);
        }
        assert_eq!(decode_any(b"info 1;".to_vec()).unwrap().encoding, TextEncoding::Utf8);
        assert!(decode_any(b"\x89PNG\r\n\x1a\n\0\0".to_vec()).unwrap_err().binary);
    }

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
        assert_eq!(read_source(&path, 4096).unwrap().text.len(), 2048);
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
            assert_eq!(
                read_source(&path, DEFAULT_MAX_FILE_SIZE).unwrap().text,
                text,
                "{size} bytes"
            );
            let limit = size as u64;
            assert_eq!(
                read_source(&path, limit).unwrap().text,
                text,
                "{size} bytes, at the limit"
            );
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
