#!/bin/sh
# Builds the core with AddressSanitizer + UndefinedBehaviorSanitizer and runs
# the fuzz target over the given MCAP files (default: the public recordings
# and the test corpus). Usage: native/test/fuzz/run-sanitized.sh [files...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
native=$(cd "$here/../.." && pwd)
zstd=$(cd "$native" && node -p "require('path').join(require('path').dirname(require.resolve('zstd-napi/package.json')), 'deps/zstd/lib')")
lz4=$(cd "$native" && node -p "require('path').join(require('path').dirname(require.resolve('lz4/package.json')), 'deps/lz4/lib')")
out=${TMPDIR:-/tmp}/argus-fuzz
mkdir -p "$out"
san="-fsanitize=address,undefined -fno-sanitize-recover=all -g -O1"
for f in common/debug.c common/entropy_common.c common/error_private.c common/fse_decompress.c common/xxhash.c \
         common/zstd_common.c decompress/huf_decompress.c decompress/zstd_ddict.c decompress/zstd_decompress.c \
         decompress/zstd_decompress_block.c; do
  o="$out/zstd_$(echo "$f" | tr / _).o"
  [ -f "$o" ] || cc -c -w -O1 -g -DZSTD_DISABLE_ASM -DXXH_NAMESPACE=ZSTD_ -I"$zstd" -I"$zstd/common" "$zstd/$f" -o "$o"
done
for f in lz4.c lz4frame.c lz4hc.c xxhash.c; do
  o="$out/lz4_$f.o"
  [ -f "$o" ] || cc -c -w -O1 -g -DXXH_NAMESPACE=ARGUS_LZ4_ -I"$lz4" "$lz4/$f" -o "$o"
done
c++ -std=c++17 -Wall -Wextra -Werror $san -I"$native/src" -I"$zstd" -I"$lz4" -DXXH_NAMESPACE=ARGUS_LZ4_ \
  "$native"/src/core/*.cc "$here/fuzz-parser.cc" "$here/sanitize-main.cc" "$out"/*.o -o "$out/fuzz-sanitized"
if [ $# -eq 0 ]; then
  # shared/ lives beside the repository root (<repo>/../shared).
  shared=$(cd "$native/../.." && pwd)/shared
  if ! ls "$shared"/recordings-public/*.mcap >/dev/null 2>&1; then
    echo "shared test data missing: $shared/recordings-public/*.mcap" >&2
    exit 1
  fi
  set -- "$shared"/recordings-public/*.mcap "$here"/corpus/*.mcap
fi
"$out/fuzz-sanitized" "$@"
