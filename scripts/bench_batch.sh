#!/usr/bin/env bash
# Throughput of the batch endpoint against the CLI on the same 1,000 articles:
#   HTTP: POST /v1/annotate/batch (NDJSON in, streamed NDJSON out) over loopback
#   CLI:  news-annotator annotate --jsonl (stdin -> stdout)
# Articles: the PolNeAR dev texts (read at run time from ../shared/data), cycled to N
# (default 1000), each with its own id. Each side runs ROUNDS times (default 3),
# alternating, and the best run of each is reported, so that a burst of load from
# elsewhere on the machine hurts neither side alone. Prints documents/s and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${SHARED:-$ROOT/../shared}
N=${N:-1000}
ROUNDS=${ROUNDS:-3}
BIN=$ROOT/target/release/news-annotator
OUT=$ROOT/target/bench
DATA=$SHARED/data/polnear/dev.jsonl
if [ ! -f "$DATA" ]; then
  echo "bench_batch.sh: needs the PolNeAR dev texts at $DATA: the shared data checked out beside the repository (../shared), or SHARED=/path/to/shared" >&2
  exit 2
fi
mkdir -p "$OUT"

cargo build --release --locked --quiet
python3 - "$DATA" "$N" >"$OUT/requests.jsonl" <<'PY'
import json, sys
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
for i in range(int(sys.argv[2])):
    print(json.dumps({"id": i, "text": texts[i % len(texts)]}))
PY
BYTES=$(wc -c <"$OUT/requests.jsonl")

source "$ROOT/scripts/lib/serve.sh"
export RUST_LOG=warn
start_server "$OUT/server.log" --batch-body-limit 1GiB

now() { date +%s.%N; }
run_cli() {
  "$BIN" annotate --jsonl <"$OUT/requests.jsonl" >"$OUT/cli.jsonl"
}
run_http() {
  curl -fsS --no-buffer -H 'content-type: application/x-ndjson' \
    --data-binary @"$OUT/requests.jsonl" "http://127.0.0.1:$PORT/v1/annotate/batch" >"$OUT/http.jsonl"
}
best_cli=0; best_http=0
for r in $(seq "$ROUNDS"); do
  for side in cli http; do
    t0=$(now); "run_$side"; t1=$(now)
    rate=$(python3 -c "print(f'{$N / ($t1 - $t0):.1f}')")
    echo "round $r $side: $N documents in $(python3 -c "print(f'{$t1 - $t0:.2f}')") s = $rate documents/s"
    if [ "$side" = cli ]; then
      best_cli=$(python3 -c "print(max($best_cli, $rate))")
    else
      best_http=$(python3 -c "print(max($best_http, $rate))")
    fi
  done
done

# Same answers, line for line, apart from timings.
python3 - "$OUT/cli.jsonl" "$OUT/http.jsonl" "$N" <<'PY'
import json, sys
def load(p):
    out = []
    for l in open(p, encoding="utf-8"):
        d = json.loads(l); d.pop("stats", None); out.append(d)
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
assert len(a) == len(b) == int(sys.argv[3]), (len(a), len(b))
assert [d["id"] for d in b] == list(range(int(sys.argv[3]))), "HTTP answers out of order"
assert a == b, "CLI and HTTP answers differ"
print(f"answers: {len(a)} lines, identical (timings aside), in order")
PY
echo "input: $N articles, $BYTES bytes, $(nproc) cores"
echo "best CLI annotate --jsonl: $best_cli documents/s"
echo "best HTTP /v1/annotate/batch: $best_http documents/s"
python3 -c "print(f'HTTP/CLI ratio: {100 * $best_http / $best_cli:.1f}% (goal >= 90%)')"
