#!/usr/bin/env bash
# Builds a statically linked release binary (glibc linked in, no shared library needed
# at run time), for machines whose C library may be older or other than the build's:
# Spark executors on YARN or Kubernetes, minimal containers. Prints its path.
#
#   scripts/build_static.sh      # -> target/x86_64-unknown-linux-gnu/release/news-annotator
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=x86_64-unknown-linux-gnu
# --target keeps these flags off build scripts and proc macros (which must stay dynamic).
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
  cargo build --release --locked --target "$TARGET" >&2
BIN=$PWD/target/$TARGET/release/news-annotator
# ldd lists "lib => path" for each shared library; a static binary has none.
if ldd "$BIN" 2>&1 | grep -q '=>'; then
  echo "build_static.sh: $BIN is still dynamically linked:" >&2
  ldd "$BIN" >&2
  exit 1
fi
echo "$BIN"
