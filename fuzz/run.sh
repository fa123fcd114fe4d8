#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, niced, one after the other, seeding the
# corpora from the test fixtures. Needs cargo-fuzz and a nightly toolchain
# (`cargo install cargo-fuzz`; `rustup toolchain install nightly`).
#
#   fuzz/run.sh                 # 600 s per target
#   SECONDS_PER_TARGET=60 fuzz/run.sh pipeline request
set -euo pipefail
cd "$(dirname "$0")/.."
PER="${SECONDS_PER_TARGET:-600}"
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(pipeline request alignment)

mkdir -p fuzz/corpus/pipeline fuzz/corpus/request fuzz/corpus/alignment fuzz/logs
# Seeds: the seed article as text (all stages, first byte 0x07) and as a JSON request.
printf '\x07' | cat - tests/fixtures/seed_article.txt >fuzz/corpus/pipeline/seed-article
python3 - <<'PY'
import json
text = open("tests/fixtures/seed_article.txt").read()
open("fuzz/corpus/request/seed-text", "w").write(json.dumps({"id": 1, "text": text}))
open("fuzz/corpus/request/seed-html", "w").write(json.dumps(
    {"html": "<p>" + text.replace("\n\n", "</p><p>") + "</p>", "options": {"offsets": "utf16", "clean": False}}))
PY

for t in "${TARGETS[@]}"; do
  echo "== $t: ${PER}s"
  nice -n 10 cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$PER" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    2>&1 | tee "fuzz/logs/$t.log" | grep -E "^#[0-9]+ +(DONE|pulse)|stat::|SUMMARY|panicked|Test unit written" || true
done
