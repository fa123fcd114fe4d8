#!/usr/bin/env python3
"""Share of words a clean CMS body keeps through the clean stage (issue 3: >= 99%).

Sends each PolNeAR article text through the annotator (cleaning only) and counts, per
document, how many of its words come back in the title or the body, as a multiset (a
word removed twice counts twice). Prints the share over all words, the worst
documents, and exits 1 below --min.
usage: eval_clean_kept.py [DATA.jsonl] [--annotator CMD] [--min 99] [--show N]
Defaults, whatever the current folder: DATA is $SHARED/data/polnear/dev.jsonl with
SHARED the shared data beside the repository (../shared), the annotator the release build.
"""
import argparse, collections, json, os, re, shlex, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
WORD = re.compile(r"\w+")
ap = argparse.ArgumentParser()
ap.add_argument("data", nargs="?", default=os.path.join(SHARED, "data", "polnear", "dev.jsonl"))
ap.add_argument("--annotator", default=os.environ.get(
    "ANNOTATOR", os.path.join(ROOT, "target", "release", "news-annotator") + " annotate --jsonl"))
ap.add_argument("--min", type=float, default=None)
ap.add_argument("--show", type=int, default=3)
a = ap.parse_args()


def fail(message):
    print(f"eval_clean_kept.py: {message}", file=sys.stderr)
    sys.exit(2)


if not os.path.isfile(a.data):
    fail(f"no data at {os.path.normpath(a.data)}: this needs the PolNeAR dev texts of the shared "
         "data checked out beside the repository (../shared), or SHARED=/path/to/shared, "
         "or the file as the first argument")
command = shlex.split(a.annotator)
if not shutil.which(command[0]):
    fail(f"the annotator {command[0]} is not there: build it with `cargo build --release --locked` "
         "(or pass --annotator CMD)")
rows = [json.loads(l) for l in open(a.data, encoding="utf-8") if l.strip()]
req = "".join(json.dumps({"id": r["id"], "text": r["text"], "options": {"entities": False, "quotes": False}}) + "\n" for r in rows)
run = subprocess.run(command, input=req, capture_output=True, text=True)
if run.returncode != 0:
    fail(f"the annotator exited with status {run.returncode}: {run.stderr.strip()[-500:]}")
out = run.stdout
anns = [json.loads(l) for l in out.splitlines() if l.strip()]
total = kept = 0
per = []
for r, ann in zip(rows, anns):
    src = collections.Counter(WORD.findall(r["text"]))
    got = collections.Counter(WORD.findall((ann.get("title") or "") + " " + (ann.get("text") or "")))
    n = sum(src.values())
    k = sum(min(c, got[w]) for w, c in src.items())
    total += n
    kept += k
    per.append((k / max(n, 1), r["id"], n - k))
share = 100 * kept / max(total, 1)
for s, i, lost in sorted(per)[: a.show]:
    print(f"  {100 * s:5.1f}%  {i}  ({lost} words lost)")
print(f"polnear docs {len(rows)}  words kept {share:.2f}%  (title + body)")
if a.min is not None and share < a.min:
    sys.exit(1)
