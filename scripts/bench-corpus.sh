#!/usr/bin/env bash
# Times `delint check` over a generated corpus next to `rg -i -c authtoken` over the same
# tree: warm and cold page cache, one thread and all threads. Needs hyperfine and ripgrep
# (Debian: `apt-get install hyperfine ripgrep`). Cold runs drop the page cache, which needs
# root; they are skipped otherwise.
#
#   scripts/bench-corpus.sh [FILES] [SEED]
set -euo pipefail
files=${1:-20000}
seed=${2:-42}
corpus=target/corpus-$files-$seed
cd "$(dirname "$0")/.."
cargo build --release -q -p delint -p xtask
[ -d "$corpus" ] || ./target/release/xtask corpus --files "$files" --seed "$seed" --out "$corpus"
du -sh "$corpus"
delint="./target/release/delint check --output-format concise --exit-zero $corpus"
hyperfine -N -i --warmup 1 --runs 5 \
  "rg -i -c authtoken $corpus" "rg -j1 -i -c authtoken $corpus" \
  "$delint" "$delint --threads 1"
if echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
  hyperfine -i --runs 3 --prepare 'sync; echo 3 > /proc/sys/vm/drop_caches' \
    "rg -i -c authtoken $corpus" "$delint"
else
  echo "cold-cache runs skipped: cannot drop the page cache (not root)"
fi
/usr/bin/time -f "delint peak memory: %M KB" $delint > /dev/null
