#!/bin/sh
# Builds and runs one of the core's exactness checks (needs `npm run build`
# first, for the static libraries):
#   run-core-check.sh crc32-check         PCLMULQDQ CRC-32 vs slicing-by-8 (and the standard check value)
#   run-core-check.sh float-format-check  float64 cell formatter vs std::to_chars on ~13M doubles
#   run-core-check.sh cdr-row-check F...  CDR rows by plan vs decode + flatten (and damaged copies) on MCAP files
#   run-core-check.sh json-row-check F... JSON rows written directly vs parsed and flattened (and variants) on MCAP files
#   run-core-check.sh thread-check F...   1 vs 3 parse threads on MCAP files, under ThreadSanitizer
#                                         (the core's sources are compiled with -fsanitize=thread)
set -eu
name=${1:?usage: run-core-check.sh crc32-check|float-format-check|cdr-row-check|json-row-check|thread-check [files]}
shift
native=$(cd "$(dirname "$0")/.." && pwd)
rel="$native/build/Release/obj.target"
out=${TMPDIR:-/tmp}/argus-$name
if [ "$name" = thread-check ]; then
  zstd=$(cd "$native" && node -p "require('path').join(require('path').dirname(require.resolve('zstd-napi/package.json')), 'deps/zstd/lib')")
  lz4=$(cd "$native" && node -p "require('path').join(require('path').dirname(require.resolve('lz4/package.json')), 'deps/lz4/lib')")
  # halt_on_error: the first race fails the run (exit 66).
  c++ -std=c++17 -O1 -g -fsanitize=thread -Wall -Wextra -Werror -I"$native/src" -I"$zstd" -I"$lz4" \
    -DXXH_NAMESPACE=ARGUS_LZ4_ "$native/test/$name.cc" \
    "$native"/src/core/*.cc "$rel/argus_zstd.a" "$rel/argus_lz4.a" -o "$out"
  TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out" "$@"
else
  c++ -std=c++17 -O2 -Wall -Wextra -Werror -I"$native/src" "$native/test/$name.cc" \
    "$rel/argus_core.a" "$rel/argus_zstd.a" "$rel/argus_lz4.a" -o "$out"
  "$out" "$@"
fi
