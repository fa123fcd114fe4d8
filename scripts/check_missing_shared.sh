#!/usr/bin/env bash
# The scripts that read the shared data (../shared) say what they need when it is not
# there, instead of dying with a traceback or a bare `cd` error. Each is run with SHARED
# pointing nowhere, from a folder that is not the repository root: it must exit 2, name
# the missing path, and print no Python traceback.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NOWHERE=$(mktemp -d)/no-shared
failed=0
check() {
  local name=$1; shift
  local out code=0
  out=$(cd /tmp && env SHARED="$NOWHERE" "$@" 2>&1) || code=$?
  if [ "$code" = 2 ] && grep -q "$NOWHERE" <<<"$out" && ! grep -q Traceback <<<"$out"; then
    echo "ok: $name: $(head -1 <<<"$out")"
  else
    echo "FAIL: $name (exit $code):"; echo "$out" | tail -5; failed=1
  fi
}
check "eval_clean_kept.py" python3 "$ROOT/scripts/eval_clean_kept.py"
check "split_pasted.py" python3 "$ROOT/scripts/split_pasted.py"
check "bench_batch.sh" bash "$ROOT/scripts/bench_batch.sh"
check "spark_check.sh" bash "$ROOT/scripts/spark_check.sh"
check "gates.sh" bash "$ROOT/scripts/gates.sh"
check ".ci/run" bash "$ROOT/.ci/run"
exit $failed
