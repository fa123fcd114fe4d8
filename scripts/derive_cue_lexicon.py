#!/usr/bin/env python3
"""Derive the quote stage's learned cue lexicon from PolNeAR's training split.

For every lower-case word that looks like a verb form, count how often it occurs in the
articles and how often it is (part of) an annotated attribution cue. Words that are cues
in at least MIN_RATIO of their occurrences, at least MIN_COUNT times, are written to
models/quotes/cue_lexicon.tsv as `word<TAB>cue_count<TAB>occurrences`. Only these counts
are shipped, never the articles.

usage: scripts/derive_cue_lexicon.py ../shared/data/polnear/train.jsonl > models/quotes/cue_lexicon.tsv
"""
import collections, json, re, sys

MIN_COUNT, MIN_RATIO = 3, 0.25
WORD = re.compile(r"\w+")
BASE_FORMS = {
    "say", "tell", "think", "know", "feel", "see", "put", "believe", "want", "argue", "insist",
    "warn", "claim", "suggest", "predict", "acknowledge", "admit", "announce", "note",
    "contend", "agree", "deny", "urge", "hope", "fear", "expect", "support", "oppose",
    "endorse", "criticize", "praise", "blame", "accuse", "describe", "call", "reject",
    "question", "wonder", "doubt", "write", "tweet", "ask", "reply", "respond", "explain",
    "add", "recall", "thought", "felt", "knew", "saw", "wrote", "told", "said", "heard",
    "spoke", "meant", "sought",
}


def verb_like(w):
    return re.fullmatch(r"[a-z]+", w) and (w.endswith(("ed", "s", "ing")) or w in BASE_FORMS)


def main():
    cue, total = collections.Counter(), collections.Counter()
    for line in open(sys.argv[1], encoding="utf-8"):
        doc = json.loads(line)
        text = doc["text"]
        at_cue = {s + m.start() for a in doc["attributions"] for s, e in a["cue"]
                  for m in WORD.finditer(text[s:e])}
        for m in WORD.finditer(text):
            w = m.group()
            if not w.islower():
                continue
            total[w] += 1
            cue[w] += m.start() in at_cue
    print("# word\tcue_count\toccurrences  (PolNeAR train; see scripts/derive_cue_lexicon.py)")
    rows = [(w, cue[w], total[w]) for w in cue
            if verb_like(w) and cue[w] >= MIN_COUNT and cue[w] / total[w] >= MIN_RATIO]
    for w, c, t in sorted(rows, key=lambda r: (-r[1], r[0])):
        print(f"{w}\t{c}\t{t}")


if __name__ == "__main__":
    main()
