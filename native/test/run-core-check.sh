#!/bin/sh
# Builds and runs one of the core's exactness checks against the static core
# library (needs `npm run build` first):
#   run-core-check.sh crc32-check         PCLMULQDQ CRC-32 vs slicing-by-8 (and the standard check value)
#   run-core-check.sh float-format-check  float64 cell formatter vs std::to_chars on ~8M doubles
set -eu
name=${1:?usage: run-core-check.sh crc32-check|float-format-check}
native=$(cd "$(dirname "$0")/.." && pwd)
out=${TMPDIR:-/tmp}/argus-$name
c++ -std=c++17 -O2 -Wall -Wextra -Werror -I"$native/src" "$native/test/$name.cc" \
  "$native/build/Release/obj.target/argus_core.a" -o "$out"
"$out"
