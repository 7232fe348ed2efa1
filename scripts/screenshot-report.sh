#!/usr/bin/env bash
# Renders the HTML audit report of the container fixtures in headless Chromium and saves a
# screenshot, to look at it as a client would (Debian: `apt-get install chromium`).
#
#   scripts/screenshot-report.sh [OUT.png]
set -euo pipefail
out=${1:-target/audit-report.png}
cd "$(dirname "$0")/.."
cargo build --release -q -p delint
./target/release/delint check --output-format html --extension js --exit-zero \
  -o target/audit-report.html fixtures/containers 2>/dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
  --screenshot="$out" "file://$PWD/target/audit-report.html" 2>/dev/null
echo "$out"
