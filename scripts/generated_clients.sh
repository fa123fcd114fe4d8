#!/usr/bin/env bash
# Generates clients from openapi.yaml with the standard generators and uses them:
#   - openapi-python-client (PyPI): must print no warning; the generated client then
#     annotates the seed article against the running release server
#     (scripts/clients/annotate_seed.py: typed models, quotes with speaker_entity);
#   - openapi-typescript (npm): must print no warning; the types compile with
#     `tsc --strict` together with scripts/clients/use_types.ts.
# Installs the generators (pinned) under target/clients/ when missing. Output:
# target/clients/python/news_annotator_client, target/clients/ts/schema.d.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/clients
VENV=$OUT/venv
mkdir -p "$OUT/python" "$OUT/ts"
t0=$SECONDS

if [ ! -x "$VENV/bin/openapi-python-client" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'openapi-python-client==0.29.1'
fi
if [ ! -x "$OUT/ts/node_modules/.bin/tsc" ]; then
  command -v npm >/dev/null || { echo "npm is needed (apt-get install nodejs npm)" >&2; exit 1; }
  (cd "$OUT/ts" && npm install --no-save --no-audit --no-fund --silent openapi-typescript@7.13.0 typescript@5.9.3)
fi
echo "generators ready in $((SECONDS - t0)) s"

# Anything printed but the progress lines is a warning (the generators print warnings
# and errors as text and still exit 0).
fail=0
rm -rf "$OUT/python/news_annotator_client"
# The generator runs ruff (installed with it) on its output: it must be on PATH.
PATH="$VENV/bin:$PATH" "$VENV/bin/openapi-python-client" generate --path openapi.yaml \
  --output-path "$OUT/python/news_annotator_client" --meta none >"$OUT/python.log" 2>&1 || fail=1
py_warnings=$(grep -cvE '^(Generating .*)?$' "$OUT/python.log" || true)
echo "openapi-python-client $("$VENV/bin/openapi-python-client" --version | awk '{print $NF}'): $py_warnings lines of warnings"
if [ "$fail" = 1 ] || [ "$py_warnings" != 0 ]; then cat "$OUT/python.log"; exit 1; fi

(cd "$OUT/ts" && node_modules/.bin/openapi-typescript "$ROOT/openapi.yaml" -o schema.d.ts) >"$OUT/ts.log" 2>&1 || fail=1
ts_warnings=$(grep -cvE '^(✨ openapi-typescript .*|🚀 .*→ .*)?$' "$OUT/ts.log" || true)
echo "openapi-typescript $(node -p 'require(process.argv[1]).version' "$OUT/ts/node_modules/openapi-typescript/package.json"): $ts_warnings lines of warnings"
if [ "$fail" = 1 ] || [ "$ts_warnings" != 0 ]; then cat "$OUT/ts.log"; exit 1; fi
cp scripts/clients/use_types.ts "$OUT/ts/use_types.ts"
(cd "$OUT/ts" && node_modules/.bin/tsc --strict --noEmit use_types.ts schema.d.ts)
echo "typescript: the generated types compile with tsc --strict (scripts/clients/use_types.ts)"

cargo build --release --locked --quiet
source "$ROOT/scripts/lib/serve.sh"
start_server "$OUT/server.log"
PYTHONPATH="$OUT/python" "$VENV/bin/python" scripts/clients/annotate_seed.py "$BASE_URL" tests/fixtures/seed_article.txt
echo "generated clients: passed in $((SECONDS - t0)) s"
