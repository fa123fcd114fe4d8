#!/usr/bin/env bash
# Times the release CLI on each hostile input of issue 6, one request at a time, and
# prints the seconds it took and the answer's status. Linearity is measured here, not
# asserted in tests (the machine is shared and noisy): compare a row with its half-size
# twin ("/2") — a linear stage takes about twice as long for the full size, a quadratic one
# four times.
#
#   scripts/hostile.sh            # builds the release binary first
#   TIMEOUT=30 scripts/hostile.sh # seconds before an input is given up on (default 20)
#   SCALE=0.1 scripts/hostile.sh  # every input at a tenth of its size
#   REQUIRE_ANSWER=1 scripts/hostile.sh  # exit 1 if any input went unanswered (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
TIMEOUT="${TIMEOUT:-20}"
BIN=target/release/news-annotator
[[ -n "${NO_BUILD:-}" ]] || cargo build --release --quiet
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# One JSON request line per hostile input, written by Python so that the generators read
# plainly. Each has a full-size version and a half-size one.
python3 - "$WORK" <<'PY'
import json, sys, os
out = sys.argv[1]
MiB = 1 << 20
def nested(depth):
    # Alternating double and single curly quotes, each level with a word inside.
    opens = "".join("\u201cword \u2018" if i % 2 == 0 else "" for i in range(depth // 2))
    closes = "".join("\u2019 word\u201d" for _ in range(depth // 2))
    return "He said " + opens + "deep" + closes + "."
cases = {
    "quote-marks-4MiB": lambda f: '"' * int(4 * MiB * f),
    "curly-quotes-4MiB": lambda f: "\u201c" * int(4 * MiB * f / 3),
    "one-word-4MiB": lambda f: "a" * int(4 * MiB * f),
    "he-said-1MiB": lambda f: "he said, " * int(MiB * f / 9),
    "nested-quotes-20000": lambda f: nested(int(20000 * f)),
    "controls-1MiB": lambda f: ("\x1b[31mred\x1b[0m \x07\x08\x7f\u0085\u009b " * int(MiB * f / 24)),
    # Sparse enough not to be refused as binary, so the later stages see it.
    "escapes-in-text-1MiB": lambda f: ("He said \x1b[1mbold\x1b[0m words \u0085ok\u009b. " * int(MiB * f / 44)),
    "rtl-emoji-1MiB": lambda f: ("مرحبا \u202eשלום\u202c 😀👩\u200d👩\u200d👧 🇺🇸 said " * int(MiB * f / 64)),
    # Many short attributions: quotes x mentions, paragraphs x tokens.
    "name-said-1MiB": lambda f: "Barack Obama said yes. " * int(MiB * f / 23),
    "name-said-paragraphs-1MiB": lambda f: "Barack Obama said yes.\n\n" * int(MiB * f / 24),
    "emoji-quotes-1MiB": lambda f: "\u201c😀\u201d said 👍🏽. " * int(MiB * f / 24),
    "mixed-quote-marks-4MiB": lambda f: "\u201c\u201d'\u2018\u2019«»" * int(4 * MiB * f / 18),
    "newlines-4MiB": lambda f: "\n\n" + "x\n\n" * int(4 * MiB * f / 3),
    "angle-brackets-4MiB-html": lambda f: "<" * int(4 * MiB * f),
    "nul-bytes": lambda f: "\x00" * int(MiB * f),
}
scale = float(os.environ.get("SCALE", "1"))
for name, make in cases.items():
    for label, f in ((name, scale), (name + "/2", scale / 2)):
        kind = "html" if name.endswith("-html") else "text"
        req = {"id": label, kind: make(f)}
        with open(os.path.join(out, label.replace("/2", "_half") + ".jsonl"), "w") as fh:
            fh.write(json.dumps(req) + "\n")
PY

UNANSWERED=0
printf '%-30s %10s %9s  %s\n' input bytes seconds answer
for f in "$WORK"/*.jsonl; do
  name="$(basename "$f" .jsonl)"; name="${name%_half}"; [[ "$name" == "$(basename "$f" .jsonl)" ]] || name="$name/2"
  bytes=$(stat -c %s "$f")
  start=$(date +%s.%N)
  status=0
  timeout "$TIMEOUT" "$BIN" annotate --jsonl <"$f" >"$WORK/answer" || status=$?
  end=$(date +%s.%N)
  if [[ $status -eq 0 ]]; then
    answer=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("error: "+d["error"]["title"] if "error" in d else "ok: %d sent, %d ent, %d quotes; ms: %s" % (len(d["sentences"]), len(d["entities"]), len(d["quotes"]), " ".join("%s %d" % (k, v // 1000) for k, v in d["stats"]["stage_us"].items())))' "$WORK/answer")
  elif [[ $status -eq 124 ]]; then
    answer="no answer: timed out after ${TIMEOUT}s"
    UNANSWERED=$((UNANSWERED + 1))
  else
    answer="no answer: exit status $status (crash?)"
    UNANSWERED=$((UNANSWERED + 1))
  fi
  printf '%-30s %10d %9.2f  %s\n' "$name" "$bytes" "$(awk "BEGIN { print $end - $start }")" "$answer"
done
if [[ -n "${REQUIRE_ANSWER:-}" && $UNANSWERED -gt 0 ]]; then
  echo "$UNANSWERED input(s) went unanswered" >&2
  exit 1
fi
