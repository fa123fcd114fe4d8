#!/usr/bin/env bash
# Load test on loopback: starts the release binary, drives POST /v1/annotate with the seed
# article (text/plain) from wrk, prints throughput, latency percentiles, errors and the
# server's resident memory after the run, then stops the server.
#
#   scripts/loadtest.sh                      # 32 connections, 20 s
#   CONNECTIONS=64 DURATION=30s scripts/loadtest.sh
#   NO_BUILD=1 scripts/loadtest.sh           # use the binary as built
#
# Goals (issue 6; 2-core machine, wrk on the same cores): >= 500 req/s, p99 <= 50 ms,
# 0 errors, RSS <= 200 MiB after the run. The script prints PASS/FAIL per goal and exits
# non-zero if any is missed. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-18080}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-20s}"
BODY="${BODY:-tests/fixtures/seed_article.txt}"
BIN=target/release/news-annotator
ADDR="127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 2; }
[[ -n "${NO_BUILD:-}" ]] || cargo build --release --quiet

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" serve --addr "$ADDR" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

# Wait (at most 10 s) for the server to answer /healthz.
for _ in $(seq 100); do
  curl -fsS "http://$ADDR/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "http://$ADDR/healthz" >/dev/null || { echo "server not healthy after 10 s" >&2; exit 1; }

# One request by hand first: the body must be accepted, or the run measures error pages.
status=$(curl -s -o "$WORK/one.json" -w '%{http_code}' -H 'content-type: text/plain' \
  --data-binary "@$BODY" "http://$ADDR/v1/annotate")
if [[ "$status" != 2* ]]; then
  echo "POST /v1/annotate answered $status:" >&2; head -c 500 "$WORK/one.json" >&2; exit 1
fi

# wrk's Lua: every request posts the article; count non-2xx answers ourselves, since wrk
# only reports non-2xx/3xx.
cat >"$WORK/post.lua" <<LUA
local f = assert(io.open("$BODY", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/plain; charset=utf-8"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local non2xx = 0
  for _, t in ipairs(threads) do non2xx = non2xx + t:get("bad") end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non2xx, socket))
end
LUA

echo "wrk: $CONNECTIONS connections, $THREADS threads, $DURATION, body $BODY ($(stat -c %s "$BODY") bytes)"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$WORK/post.lua" "http://$ADDR/v1/annotate" | tee "$WORK/wrk.out"

rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
hwm_kib=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")
curl -fsS "http://$ADDR/healthz" >/dev/null && healthy=yes || healthy=no

result=$(grep '^RESULT' "$WORK/wrk.out")
get() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$result"; }
rps=$(get rps); p50=$(get p50_ms); p99=$(get p99_ms); non2xx=$(get non2xx); socket=$(get socket_errors)
errors=$((non2xx + socket))
rss_mib=$(awk -v k="$rss_kib" 'BEGIN {printf "%.1f", k / 1024}')
hwm_mib=$(awk -v k="$hwm_kib" 'BEGIN {printf "%.1f", k / 1024}')

echo
echo "req/s:   $rps"
echo "latency: p50 ${p50} ms, p99 ${p99} ms"
echo "errors:  $errors (non-2xx $non2xx, socket $socket)"
echo "RSS:     ${rss_mib} MiB after the run (peak ${hwm_mib} MiB); healthy afterwards: $healthy"

fail=0
verdict() { if awk "BEGIN {exit !($2)}"; then echo "PASS $1"; else echo "FAIL $1"; fail=1; fi; }
verdict "throughput >= 500 req/s ($rps)" "$rps >= 500"
verdict "p99 <= 50 ms ($p99)" "$p99 <= 50"
verdict "0 errors ($errors)" "$errors == 0"
verdict "RSS <= 200 MiB ($rss_mib)" "$rss_mib <= 200"
verdict "healthy after the run" "\"$healthy\" == \"yes\""
exit "$fail"
