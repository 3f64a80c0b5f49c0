#!/bin/sh
# Builds core-bench against the static libs from `npm run build`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
native=$(cd "$here/.." && pwd)
rel="$native/build/Release/obj.target"
c++ -std=c++17 -O3 -g -Wall -Wextra -Werror -I"$native/src" "$here/core-bench.cc" \
  "$rel/argus_core.a" "$rel/argus_zstd.a" "$rel/argus_lz4.a" -o "${TMPDIR:-/tmp}/argus-core-bench"
echo "${TMPDIR:-/tmp}/argus-core-bench"
