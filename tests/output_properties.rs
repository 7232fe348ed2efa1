//! Every output format survives hostile input: mutated rule fixtures (with non-ASCII text,
//! CRLF, stray quotes and brackets spliced in) through the real binary, in every format,
//! with and without fixes. No panic, a meaningful exit status, machine formats that parse,
//! and no token value printed in full.

mod support;

use std::path::Path;

use proptest::prelude::*;

/// Splinters that break things: quotes, brackets, escapes, multi-byte characters, CRLF,
/// and a token standing alone (glued to a word it is no longer token-shaped, and no real
/// token is).
fn splinter() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "\"",
        "'",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        ";",
        "\\",
        "\r\n",
        "😀",
        "é",
        "\u{a0}",
        "/*",
        "//",
        "+",
        "?authtoken=",
        "&scope=crmapi",
        " 3b3c0f6d1e2a4b5c6d7e8f9012345678 ",
        "invokeurl [",
        "getUrl(",
        ".put(\"authtoken\", ",
        "// delint-ignore DL001",
        "\u{feff}",
        "\u{1}",
        "\t",
    ])
    .prop_map(str::to_owned)
}

fn fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut sources = Vec::new();
    for dir in std::fs::read_dir(root.join("rules")).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            sources.push(std::fs::read_to_string(file.unwrap().path()).unwrap());
        }
    }
    // A Creator export: its scripts are found by content, whatever the file's name.
    sources.push(std::fs::read_to_string(root.join("containers/Controle_de_Estoque.ds")).unwrap());
    sources.sort();
    sources
}

fn mutate(source: &str, cuts: &[(prop::sample::Index, String)]) -> String {
    let mut text = source.to_owned();
    for (at, splinter) in cuts {
        let mut offset = at.index(text.len() + 1);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        text.insert_str(offset, splinter);
    }
    text
}

/// Every line of a unified diff is a file header, a hunk header, a context, removed or
/// added line, or delint's note that a removed line's token was masked.
fn assert_is_diff(diff: &str, format: &str) {
    for line in diff.lines() {
        assert!(
            ["--- ", "+++ ", "@@ ", " ", "-", "+", "\\ "]
                .iter()
                .any(|p| line.starts_with(p))
                || line.is_empty(),
            "{format}: not a diff line: {line:?}\n{diff}"
        );
    }
}

fn check_every_format(dir: &Path, source: &str) {
    std::fs::write(dir.join("f.dg"), source).unwrap();
    for format in support::FORMATS {
        for fixes in [&[][..], &["--diff", "--unsafe-fixes", "-o", "report"][..]] {
            let mut args = vec!["check", "--output-format", format, "f.dg"];
            args.extend_from_slice(fixes);
            let output = support::delint(dir, &args);
            let diff = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            // With `--diff` standard output is the diff alone; the report went to the file.
            let stdout = if fixes.is_empty() {
                diff.clone()
            } else {
                assert_is_diff(&diff, format);
                std::fs::read_to_string(dir.join("report")).unwrap().into()
            };
            assert!(
                matches!(output.status.code(), Some(0 | 1)),
                "{format} {fixes:?}: status {:?}\n{stderr}\n--- input\n{source}",
                output.status
            );
            assert!(!stderr.contains("panicked"), "{format}: {stderr}");
            assert!(
                !stdout.contains("3b3c0f6d1e2a4b5c6d7e8f9012345678")
                    && !diff.contains("3b3c0f6d1e2a4b5c6d7e8f9012345678"),
                "{format} {fixes:?} leaks the token\n--- input\n{source}\n--- output\n{stdout}"
            );
            match format {
                "json" | "sarif" => {
                    serde_json::from_str::<serde_json::Value>(&stdout)
                        .unwrap_or_else(|e| panic!("{format} {fixes:?}: {e}\n{stdout}"));
                }
                "json-lines" => {
                    for line in stdout.lines() {
                        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
                    }
                }
                "junit" | "html" => {
                    let options = roxmltree::ParsingOptions {
                        allow_dtd: true,
                        ..roxmltree::ParsingOptions::default()
                    };
                    roxmltree::Document::parse_with_options(&stdout, options)
                        .unwrap_or_else(|e| panic!("{format}: {e}\n{stdout}"));
                }
                _ => {}
            }
        }
    }
}

proptest! {
    // Each case starts the binary 16 times; a few dozen cases cover the formats well.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn mutated_fixtures_in_every_format(
        index in any::<prop::sample::Index>(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), splinter()), 1..6),
    ) {
        let sources = fixtures();
        let source = mutate(&sources[index.index(sources.len())], &cuts);
        let dir = tempfile::tempdir().unwrap();
        check_every_format(dir.path(), &source);
    }
}
