#!/usr/bin/env bash
# Runs the Spark archive job (deploy/spark/annotate_archive.py) in local mode:
#
#   scripts/spark_local.sh IN OUT [job flags...]     # e.g. --partitions 4 --compress gzip
#
# IN: NDJSON request lines (a file, directory or glob); OUT: a directory that must not
# exist yet (it gets part-* files and _SUCCESS). Installs what is missing: a JRE
# (Debian's openjdk-17-jre-headless, apt-get) and pyspark (PyPI, into
# target/spark-venv). Uses target/release/news-annotator (built when missing), shipped
# to the "executors" with --files as on a cluster. Settings from the environment:
#   CORES=2      local[CORES] worker threads (default: every core)
#   RETRIES=4    attempts per task (a cluster's default; local mode's own is 1)
#   BIN=path     the binary to ship (e.g. a static build, see README)
# Prints the documents written, the wall time and the rate per core on stderr.
set -euo pipefail
usage() { echo "usage: scripts/spark_local.sh IN OUT [--partitions N] [--compress gzip|bzip2]" >&2; exit 2; }
[ $# -ge 2 ] || usage
IN=$1 OUT=$2
shift 2
cd "$(dirname "$0")/.."
ROOT=$PWD
# Relative paths are taken from where the script was called, not the repository root.
case "$IN" in /*|*://*) ;; *) IN="$OLDPWD/$IN" ;; esac
case "$OUT" in /*|*://*) ;; *) OUT="$OLDPWD/$OUT" ;; esac
[ -e "$IN" ] || compgen -G "$IN" >/dev/null || [[ "$IN" == *://* ]] || { echo "spark_local.sh: no input at $IN" >&2; exit 2; }
if [ -e "$OUT" ]; then
  echo "spark_local.sh: $OUT exists; Spark never overwrites output: remove it or pick another" >&2
  exit 2
fi
CORES=${CORES:-$(nproc)}
RETRIES=${RETRIES:-4}
VENV=$ROOT/target/spark-venv
PYSPARK_VERSION=4.3.0

java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
  echo "spark_local.sh: installing a JRE (openjdk-17-jre-headless)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [ ! -x "$VENV/bin/spark-submit" ]; then
  echo "spark_local.sh: installing pyspark $PYSPARK_VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "pyspark==$PYSPARK_VERSION"
fi
BIN=${BIN:-$ROOT/target/release/news-annotator}
if [ ! -x "$BIN" ]; then
  cargo build --release --locked --quiet
fi

# The same Python runs the driver and the workers; Spark's own logs go to a file.
export PYSPARK_PYTHON=$VENV/bin/python PYSPARK_DRIVER_PYTHON=$VENV/bin/python
LOG=$ROOT/target/spark-local.log
t0=$(date +%s.%N)
if ! "$VENV/bin/spark-submit" \
  --master "local[$CORES,$RETRIES]" \
  --conf spark.ui.enabled=false \
  --conf spark.driver.memory=1g \
  --files "$BIN" \
  "$ROOT/deploy/spark/annotate_archive.py" "$IN" "$OUT" --binary "$(basename "$BIN")" "$@" \
  >"$LOG" 2>&1; then
  tail -30 "$LOG" >&2
  echo "spark_local.sh: the job failed (whole log: $LOG)" >&2
  exit 1
fi
t1=$(date +%s.%N)
# part-* may be compressed; count lines through Python, which reads both.
DOCS=$("$VENV/bin/python" - "$OUT" <<'PY'
import glob, gzip, bz2, os, sys
n = 0
for p in sorted(glob.glob(os.path.join(sys.argv[1], "part-*"))):
    op = gzip.open if p.endswith(".gz") else bz2.open if p.endswith(".bz2") else open
    with op(p, "rb") as f:
        n += sum(1 for _ in f)
print(n)
PY
)
# The rate per core: documents per second of task time (each task runs one single-threaded
# process on one core), which leaves out the JVM's and the Python workers' start-up.
TASK_MS=$(sed -n 's/.*Finished task .* in \([0-9]*\) ms on .*/\1/p' "$LOG" | awk '{s += $1} END {print s + 0}')
python3 - "$DOCS" "$t0" "$t1" "$CORES" "${TASK_MS:-0}" "$(grep -c 'Lost task' "$LOG" || true)" >&2 <<'PY'
import sys
docs, t0, t1, cores, task_ms, lost = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
wall = t1 - t0
per_core = f"{docs / (task_ms / 1000):.1f} documents/s per core in the tasks" if task_ms else "no task times in the log"
print(f"spark local[{cores}]: {docs} documents in {wall:.1f} s wall (start-up included) = "
      f"{docs / wall:.1f} documents/s; {per_core}; failed task attempts retried: {lost}")
PY
