#!/usr/bin/env bash
# Renders the HTML audit reports of fixtures/containers and fixtures/client, opens them in
# headless Chromium (tests/browser/check-report.mjs: no sideways scroll at 1,280 and
# 375 px, nothing cut when printed on A4, internal links resolve, nothing external loads),
# and turns each printed PDF into page images with pdftoppm, to look at.
#
#   scripts/check-report-in-browser.sh [OUT_DIR]      (default target/report-check)
#
# Needs Debian's chromium and poppler-utils, and Node.js with npm; with --install it
# installs the Debian packages itself (as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --install ]]; then
  shift
  if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
  fi
fi
out=${1:-target/report-check}
mkdir -p "$out"
cargo build -q -p delint
./target/debug/delint check --output-format html --extension js --exit-zero \
  -o "$out/containers.html" fixtures/containers 2>/dev/null
./target/debug/delint check --output-format html --exit-zero \
  -o "$out/client.html" fixtures/client 2>/dev/null
(cd tests/browser && npm ci --no-audit --no-fund --silent)
node tests/browser/check-report.mjs "$out" "$out/containers.html" "$out/client.html"
for pdf in "$out"/*.pdf; do
  pdftoppm -png -r 50 "$pdf" "${pdf%.pdf}-page"
done
echo "screenshots, PDFs and page images in $out"
