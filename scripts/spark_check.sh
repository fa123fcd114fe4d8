#!/usr/bin/env bash
# The Spark archive job against the CLI, answer for answer:
#
#   scripts/spark_check.sh [N]      # N articles (default 300)
#
# Builds N request lines from the PolNeAR train texts (read from ../shared at run time,
# cycled with distinct ids when N is larger than the 840 articles; never copied into
# the repository), adds a malformed line, a line without id, a refused (blank) text and
# a blank line (not a line that is not UTF-8: Spark's reader decodes it with U+FFFD, see
# deploy/spark/annotate_archive.py), then runs scripts/spark_local.sh on them in 3 partitions with the first
# attempt of partition 1 killed mid-way (Spark must retry it), and
# `news-annotator annotate --jsonl` on the same lines. Fails unless every answer is
# equal, timings (`stats`) aside, in the same order, and the output holds only the part
# files and _SUCCESS (nothing left of the killed attempt).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${SHARED:-$ROOT/../shared}
N=${1:-300}
DATA=$SHARED/data/polnear/train.jsonl
if [ ! -f "$DATA" ]; then
  echo "spark_check.sh: needs the PolNeAR train texts at $DATA (the shared data checked out beside the repository, or SHARED=/path/to/shared)" >&2
  exit 2
fi
WORK=$ROOT/target/spark-check
rm -rf "$WORK"
mkdir -p "$WORK"
BIN=${BIN:-$ROOT/target/release/news-annotator}
[ -x "$BIN" ] || cargo build --release --locked --quiet

python3 - "$DATA" "$N" >"$WORK/requests.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
n = int(sys.argv[2])
for i in range(n):
    r = rows[i % len(rows)]
    rid = r["id"] if i < len(rows) else f'{r["id"]}#{i // len(rows)}'
    print(json.dumps({"id": rid, "text": r["text"]}, ensure_ascii=False))
    if i == 10:
        print('{"id": "malformed", "text": ')          # not JSON: an error line, no id
        print(json.dumps({"text": r["text"][:400]}))    # no id: a document without one
        print("")                                       # blank: skipped by both
        print(json.dumps({"id": "blank", "text": "   "}))  # refused: an error line with its id
PY
LINES=$(grep -c . "$WORK/requests.jsonl")

nice -n 10 env RAYON_NUM_THREADS=1 "$BIN" annotate --jsonl <"$WORK/requests.jsonl" >"$WORK/cli.jsonl"
nice -n 10 env BIN="$BIN" scripts/spark_local.sh "$WORK/requests.jsonl" "$WORK/out" \
  --partitions 3 --fail-first-attempt 1

python3 - "$WORK" "$LINES" <<'PY'
import glob, json, os, sys
work, lines = sys.argv[1], int(sys.argv[2])
out = os.path.join(work, "out")
names = sorted(os.listdir(out))
parts = [n for n in names if n.startswith("part-")]
others = [n for n in names if not n.startswith("part-") and not n.startswith(".")]
assert others == ["_SUCCESS"], f"the output holds more than part files and _SUCCESS: {others}"
assert len(parts) >= 3, f"expected at least 3 partitions, got {parts}"
def load(paths):
    docs = []
    for p in paths:
        for l in open(p, encoding="utf-8"):
            d = json.loads(l)
            d.pop("stats", None)
            docs.append(d)
    return docs
cli = load([os.path.join(work, "cli.jsonl")])
spark = load(os.path.join(out, p) for p in parts)
assert len(cli) == lines, f"CLI: {len(cli)} answers for {lines} request lines"
assert len(spark) == lines, f"Spark: {len(spark)} answers for {lines} request lines"
diff = [i for i, (a, b) in enumerate(zip(cli, spark)) if a != b]
assert not diff, f"{len(diff)} answers differ from the CLI's, first at line {diff[0]}"
errors = [d for d in spark if "error" in d]
assert [d["id"] for d in errors] == [None, "blank"], errors
print(f"spark check: {len(spark)} answers equal to the CLI's (timings aside), in order; "
      f"{len(errors)} error lines in place; {len(parts)} part files + _SUCCESS, "
      "nothing left of the killed attempt")
PY
grep -q "killed on purpose" target/spark-local.log \
  || { echo "spark_check.sh: the injected task failure did not happen" >&2; exit 1; }
echo "spark check: the killed first attempt of partition 1 was retried"
