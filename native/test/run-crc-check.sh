#!/bin/sh
# Compares the PCLMULQDQ CRC-32 with the slicing-by-8 fallback (and the
# standard check value). Needs `npm run build` first (links the core library).
set -eu
native=$(cd "$(dirname "$0")/.." && pwd)
out=${TMPDIR:-/tmp}/argus-crc-check
c++ -std=c++17 -O2 -Wall -Wextra -Werror -I"$native/src" "$native/test/crc32-check.cc" \
  "$native/build/Release/obj.target/argus_core.a" -o "$out"
"$out"
