#!/bin/sh
# Compares the float64 cell formatter with std::to_chars on ~6M doubles.
# Needs `npm run build` first (links the core static library).
set -eu
native=$(cd "$(dirname "$0")/.." && pwd)
out=${TMPDIR:-/tmp}/argus-float-check
c++ -std=c++17 -O2 -Wall -Wextra -Werror -I"$native/src" "$native/test/float-format-check.cc" \
  "$native/build/Release/obj.target/argus_core.a" -o "$out"
"$out"
