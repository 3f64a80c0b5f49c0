// Compares the CRC-32 paths (dispatching, 128-bit PCLMULQDQ fold) with the
// slicing-by-8 fallback on every length 0..2999 at several alignments and
// 2000 random spans, plus the standard check value. Run by lib/core-checks.test.ts.
#include <cstdio>
#include <random>
#include <vector>
#include "core/crc32.h"
int main() {
  std::mt19937_64 rng(1);
  std::vector<uint8_t> b(140000);
  for (auto& x : b) x = rng();
  size_t bad = 0, n = 0;
  auto same = [&](uint32_t seed, const uint8_t* p, size_t len) {
    uint32_t want = argus::crc32UpdatePortable(seed, p, len);
    ++n;
    if (argus::crc32Update(seed, p, len) != want || argus::crc32UpdateClmul128(seed, p, len) != want) ++bad;
  };
  // Every length to 3000 (both the 128-bit and the 512-bit fold, all tails).
  for (size_t len = 0; len < 3000; ++len) for (size_t off = 0; off < 17; off += (len < 1200 ? 1 : 5)) {
    same(static_cast<uint32_t>(rng()), b.data() + off, len);
  }
  for (int i = 0; i < 2000; ++i) same(0, b.data() + rng() % 1000, rng() % 139000);
  const char* s = "123456789";
  std::printf("check %08x (cbf43926) bad %zu of %zu\n", argus::crc32Update(0, (const uint8_t*)s, 9), bad, n);
  return bad != 0;
}
