#!/usr/bin/env bash
# End-to-end test of the newsroom page in a real browser (headless Chromium driven by
# playwright-core): paste the seed article at /, submit, check the reading view, save a
# screenshot to target/e2e/reading-view.png. Installs Debian's chromium and
# playwright-core (npm) when missing. Uses the release binary (built if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/e2e
mkdir -p "$OUT"

if ! command -v chromium >/dev/null; then
  echo "installing chromium (Debian)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v node >/dev/null || { echo "node is needed (apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -d "$OUT/node_modules/playwright-core" ]; then
  (cd "$OUT" && npm install --no-save --no-audit --no-fund --silent playwright-core)
fi

ARTICLE=$ROOT/tests/fixtures/seed_article.txt
[ -f "$ARTICLE" ] || cp "$ROOT/../shared/data/seed/article.txt" "$ARTICLE"

cargo build --release --locked --quiet
source "$ROOT/scripts/lib/serve.sh"
start_server "$OUT/server.log"

# The module is resolved from target/e2e, where playwright-core was installed.
cp "$ROOT/scripts/e2e_browser.mjs" "$OUT/e2e_browser.mjs"
BASE_URL="http://127.0.0.1:$PORT" ARTICLE="$ARTICLE" SCREENSHOT="$OUT/reading-view.png" \
  timeout 120 node "$OUT/e2e_browser.mjs"
