//! `cargo run -p xtask -- corpus [--files N] [--seed S] [--out DIR]`: writes N realistic
//! Deluge functions (deterministic for a seed) for benchmarks. See `corpus.rs`.

use xtask::corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("corpus") => match corpus_options(&args[1..]) {
            Ok((files, seed, out)) => match corpus::write(&out, files, seed) {
                Ok(stats) => {
                    println!(
                        "wrote {} files, {} bytes, {} authtoken calls to {}",
                        stats.files,
                        stats.bytes,
                        stats.authtoken_calls,
                        out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {}: {error}", out.display());
                    ExitCode::from(2)
                }
            },
            Err(message) => {
                eprintln!("error: {message}\nusage: xtask corpus [--files N] [--seed S] [--out DIR]");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: xtask corpus [--files N] [--seed S] [--out DIR]");
            ExitCode::from(2)
        }
    }
}

fn corpus_options(args: &[String]) -> Result<(usize, u64, PathBuf), String> {
    let (mut files, mut seed, mut out) = (20_000, 42, PathBuf::from("target/corpus"));
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--files" => {
                files = value
                    .parse()
                    .map_err(|_| format!("--files: `{value}` is not a number"))?
            }
            "--seed" => {
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed: `{value}` is not a number"))?
            }
            "--out" => out = PathBuf::from(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok((files, seed, out))
}
