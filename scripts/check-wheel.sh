#!/usr/bin/env bash
# Builds the Python wheel that carries the `delint` binary (maturin, `bindings = "bin"`),
# installs it into a fresh virtual environment and runs the installed `delint` there, as
# a user without a Rust toolchain would after `pipx install`.
#
#   scripts/check-wheel.sh [OUT_DIR]     (default target/wheels)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/wheels}
tools=target/wheel-tools
[[ -x $tools/bin/maturin ]] || { python3 -m venv "$tools" && "$tools/bin/pip" install -q "maturin>=1.7,<2.0"; }
rm -f "$out"/delint-*.whl
"$tools/bin/maturin" build --release --quiet --out "$out"
wheel=$(ls "$out"/delint-*.whl)
venv=$(mktemp -d)/venv
python3 -m venv "$venv"
"$venv/bin/pip" install -q "$wheel"
version=$("$venv/bin/delint" --version)
echo "$wheel: $version"
[[ $version == "delint $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"* ]] || { echo "unexpected version: $version"; exit 1; }
# Findings exit 1; a clean folder exits 0.
status=0
"$venv/bin/delint" check --output-format concise fixtures/rules/DL001 > "$venv/../findings.txt" || status=$?
[[ $status == 1 ]] && grep -q "DL001" "$venv/../findings.txt" || { echo "the installed delint found nothing (exit $status)"; exit 1; }
"$venv/bin/delint" check fixtures/rules/clean
echo "the wheel's delint runs"
