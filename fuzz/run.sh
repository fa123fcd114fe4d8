#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, at nice 19, one after the other, seeding the
# corpora from the test fixtures and from the hostile shapes at the body limit. Needs
# cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain; without one it runs
# the stable toolchain with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs `-Zsanitizer=address`).
#
# What the service sees, the targets see (fuzz/README.md): every input runs on a thread
# with the worker pool's stack (`WORKER_STACK_BYTES`, see fuzz_targets/service.rs), the
# pipeline has the server's text limit, and inputs go up to the server's default body
# limit (read from src/server/config.rs below, so the two cannot drift apart).
#
#   fuzz/run.sh                 # 600 s per target
#   SECONDS_PER_TARGET=60 fuzz/run.sh pipeline request
#   MAX_LEN=65536 fuzz/run.sh   # small inputs only: many more executions a second (the
#                               # seeds at the body limit are cut to this length)
set -euo pipefail
cd "$(dirname "$0")/.."
PER="${SECONDS_PER_TARGET:-600}"
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(pipeline request alignment)

# The server's default body limit, e.g. `default_value = "1536KiB"`.
LIMIT=$(grep -o 'NEWS_ANNOTATOR_BODY_LIMIT", default_value = "[0-9]*KiB"' src/server/config.rs | grep -o '[0-9]*')
[[ -n "$LIMIT" ]] || { echo "fuzz/run.sh: no KiB body limit default in src/server/config.rs" >&2; exit 1; }
BODY_LIMIT=$((LIMIT << 10))

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  FUZZ=(cargo +nightly fuzz)
else
  echo "fuzz/run.sh: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1" >&2
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi

# The targets must build the service's html5gum, not the crates.io one (fuzz/Cargo.toml).
if grep -A2 '^name = "html5gum"' fuzz/Cargo.lock 2>/dev/null | grep -q '^source'; then
  echo "fuzz/run.sh: fuzz/Cargo.lock takes html5gum from crates.io, not vendor/html5gum" >&2
  exit 1
fi

mkdir -p fuzz/corpus/pipeline fuzz/corpus/request fuzz/corpus/alignment fuzz/logs
# Seeds: the seed article as text (all stages, first byte 0x07) and as JSON requests,
# and the shapes of issue 11 at the body limit, so that large inputs are mutated from
# the start (libFuzzer alone grows inputs slowly).
python3 - "$BODY_LIMIT" <<'PY'
import json, random, sys
limit = int(sys.argv[1])
text = open("tests/fixtures/seed_article.txt").read()
open("fuzz/corpus/pipeline/seed-article", "w").write("\x07" + text)
open("fuzz/corpus/request/seed-text", "w").write(json.dumps({"id": 1, "text": text}))
open("fuzz/corpus/request/seed-html", "w").write(json.dumps(
    {"html": "<p>" + text.replace("\n\n", "</p><p>") + "</p>", "options": {"offsets": "utf16", "clean": False}}))
rnd = random.Random(11)
names = " ".join("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)).capitalize()
                 for _ in range(limit // 8 - 1))
html = "\x17"  # clean, entities, quotes, HTML
shapes = {
    "attributes": html + "<p>Kerry said so.</p><p " + 'a="" ' * ((limit - 40) // 5) + ">x</p>",
    "nesting": html + "<div>" * ((limit - 40) // 11) + "<p>Kerry said so.</p>" + "</div>" * ((limit - 40) // 11),
    "distinct-names": "\x07" + names,
    "he-said": "\x07" + "he said, " * (limit // 9 - 1),
    "paragraphs": "\x07" + "x\n\n" * (limit // 3 - 1),
}
for name, body in shapes.items():
    data = body.encode()[:limit + 1]
    open(f"fuzz/corpus/pipeline/limit-{name}", "wb").write(data)
    key = "html" if name in ("attributes", "nesting") else "text"
    req = json.dumps({key: body[1:limit - 40]})  # ASCII: no escape grows it
    open(f"fuzz/corpus/request/limit-{name}", "wb").write(req.encode())
PY

for t in "${TARGETS[@]}"; do
  # The pipeline target's first byte is its options, the rest the document.
  max_len=${MAX_LEN:-$BODY_LIMIT}
  [[ $t != pipeline ]] || max_len=$((max_len + 1))
  echo "== $t: ${PER}s, inputs up to $max_len bytes"
  # -timeout is wall time, and a fuzzer at nice 19 on a shared machine gets a small part
  # of a core: an input at the body limit takes seconds in a release build, a few times
  # that with AddressSanitizer (15-20 s), minutes when starved. 900 s flags a stage gone
  # quadratic (minutes at this size) without flagging a busy machine; linear time is
  # measured, not fuzzed, by scripts/hostile.sh and scripts/sizing.py.
  nice -n 19 "${FUZZ[@]}" run -O "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$PER" -max_len="$max_len" -timeout="${TIMEOUT:-900}" -rss_limit_mb=4096 -print_final_stats=1 \
    2>&1 | tee "fuzz/logs/$t-$max_len.log" | grep -E "^#[0-9]+ +(DONE|pulse)|stat::|SUMMARY|panicked|Test unit written" || true
done
