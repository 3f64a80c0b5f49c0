#!/bin/sh
# Bounded-time fuzzing of the C++ core (npm run fuzz:parser -- --seconds 60).
# With clang (apt package `clang`): a libFuzzer binary built with
# -fsanitize=fuzzer,address,undefined, seeded from ../shared/recordings-public
# and test/fuzz/corpus, run for the given time. Without clang: the g++
# ASan/UBSan driver (run-sanitized.sh) over the same seeds. Exits non-zero on
# any crash, hang (> 10 s per input), leak, or sanitizer report.
set -eu
seconds=60
# A fixed seed and a fresh working corpus make a CI run repeatable: the same
# commit explores the same inputs. Set FUZZ_SEED (0 = random) and FUZZ_CORPUS
# (a directory that persists across runs) to fuzz wider by hand; a crash found
# that way goes into test/fuzz/corpus as a regression seed.
fuzz_seed=${FUZZ_SEED:-1}
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --seconds=*) seconds=${1#--seconds=}; shift ;;
    *) echo "usage: fuzz-parser.sh [--seconds N]" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
native=$(cd "$here/../.." && pwd)
shared=$(cd "$native/../.." && pwd)/shared
if ! ls "$shared"/recordings-public/*.mcap >/dev/null 2>&1; then
  echo "shared test data missing: $shared/recordings-public/*.mcap" >&2
  exit 1
fi
if ! command -v clang++ >/dev/null 2>&1; then
  echo "clang++ not found: running the g++ sanitizer driver over the seeds instead of libFuzzer" >&2
  exec sh "$here/run-sanitized.sh"
fi
zstd=$(cd "$native" && node -p "require('path').join(require('path').dirname(require.resolve('zstd-napi/package.json')), 'deps/zstd/lib')")
lz4=$(cd "$native" && node -p "require('path').join(require('path').dirname(require.resolve('lz4/package.json')), 'deps/lz4/lib')")
out=${TMPDIR:-/tmp}/argus-libfuzzer
mkdir -p "$out/obj"
if [ -n "${FUZZ_CORPUS:-}" ]; then
  corpus=$FUZZ_CORPUS
else
  corpus="$out/run-corpus"
  rm -rf "$corpus"
fi
mkdir -p "$corpus"
san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g -O1"
for f in common/debug.c common/entropy_common.c common/error_private.c common/fse_decompress.c common/xxhash.c \
         common/zstd_common.c decompress/huf_decompress.c decompress/zstd_ddict.c decompress/zstd_decompress.c \
         decompress/zstd_decompress_block.c; do
  o="$out/obj/zstd_$(echo "$f" | tr / _).o"
  [ -f "$o" ] || clang -c -w $san -DZSTD_DISABLE_ASM -DXXH_NAMESPACE=ZSTD_ -I"$zstd" -I"$zstd/common" "$zstd/$f" -o "$o"
done
for f in lz4.c lz4frame.c lz4hc.c xxhash.c; do
  o="$out/obj/lz4_$f.o"
  [ -f "$o" ] || clang -c -w $san -DXXH_NAMESPACE=ARGUS_LZ4_ -I"$lz4" "$lz4/$f" -o "$o"
done
clang++ -std=c++17 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1 \
  -I"$native/src" -I"$zstd" -I"$lz4" -DXXH_NAMESPACE=ARGUS_LZ4_ \
  "$native"/src/core/*.cc "$here/fuzz-parser.cc" "$out"/obj/*.o -o "$out/fuzz-parser"
seeds="$out/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
cp "$shared"/recordings-public/*.mcap "$here"/corpus/*.mcap "$seeds"/
# Small conformance files make good seeds too (every record type, padding).
for f in "$shared"/mcap-conformance/*/*-ch-chx-mx-pad-rch-rsh-st-sum.mcap; do [ -f "$f" ] && cp "$f" "$seeds"/; done
cd "$out"
# Any crash / sanitizer report / timeout / OOM makes libFuzzer exit non-zero.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$out/fuzz-parser" -seed="$fuzz_seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
  -print_final_stats=1 "$corpus" "$seeds"
echo "fuzz:parser: no crash, hang or sanitizer report in ${seconds} s"
