#!/usr/bin/env python3
"""Split the pasted-page benchmark the way train-clean does (FNV-1a of the id: even =
training, odd = held out), into DIR/train.jsonl and DIR/heldout.jsonl, with DIR/html
linked to the pages, so that score_clean.py can score each half.
usage: split_pasted.py [DATA.jsonl] [DIR]
(defaults, whatever the current folder: $SHARED/data/pasted/dev.jsonl, with SHARED the
shared data beside the repository (../shared), and /tmp/pasted-split)
"""
import json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SHARED, "data", "pasted", "dev.jsonl")
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/pasted-split"
if not os.path.isfile(data):
    print(f"split_pasted.py: no data at {os.path.normpath(data)}: this needs the pasted-page "
          "benchmark of the shared data checked out beside the repository (../shared), or "
          "SHARED=/path/to/shared, or the file as the first argument", file=sys.stderr)
    sys.exit(2)


def fnv1a(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


os.makedirs(out, exist_ok=True)
halves = {"train": [], "heldout": []}
for line in open(data, encoding="utf-8"):
    if line.strip():
        r = json.loads(line)
        halves["train" if fnv1a(r["id"]) % 2 == 0 else "heldout"].append(line)
for name, lines in halves.items():
    with open(os.path.join(out, name + ".jsonl"), "w", encoding="utf-8") as f:
        f.writelines(lines)
link = os.path.join(out, "html")
if not os.path.exists(link):
    os.symlink(os.path.join(os.path.dirname(os.path.abspath(data)), "html"), link)
print({k: len(v) for k, v in halves.items()})
