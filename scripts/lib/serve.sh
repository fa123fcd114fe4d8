# Sourced by the scripts that need the release server running on loopback.
#
#   start_server LOGFILE [serve flags...]
#
# Starts target/release/news-annotator on a free 127.0.0.1 port, stops it when the
# calling script exits, and returns once /readyz answers (or after 10 s). Sets PORT,
# BASE_URL and SERVER (the pid).
start_server() {
  local log=$1
  shift
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BASE_URL="http://127.0.0.1:$PORT"
  "$ROOT/target/release/news-annotator" serve --addr "127.0.0.1:$PORT" "$@" 2>"$log" &
  SERVER=$!
  trap 'kill "$SERVER" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -fsS "$BASE_URL/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server did not become ready; its log: $log" >&2
  return 1
}
