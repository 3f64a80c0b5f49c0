#include "crc32.h"

#include <array>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ARGUS_CRC_CLMUL 1
#include <immintrin.h>
#endif

namespace argus {
namespace {

using Tables = std::array<std::array<uint32_t, 256>, 8>;

Tables makeTables() {
  Tables t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
    t[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i) {
    for (size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  }
  return t;
}

const Tables& tables() {
  static const Tables t = makeTables();
  return t;
}

// Slicing-by-8 over the reflected register `c` (not inverted here).
uint32_t sliceBy8(uint32_t c, const uint8_t* p, size_t n) {
  const Tables& t = tables();
  while (n >= 8) {
    uint32_t lo = c ^ (static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
                       static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24);
    uint32_t hi = static_cast<uint32_t>(p[4]) | static_cast<uint32_t>(p[5]) << 8 |
                  static_cast<uint32_t>(p[6]) << 16 | static_cast<uint32_t>(p[7]) << 24;
    c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
        t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = t[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c;
}

#ifdef ARGUS_CRC_CLMUL
// Carry-less multiplication folding (Gopal, Ozturk et al., "Fast CRC
// Computation for Generic Polynomials Using PCLMULQDQ Instruction", Intel
// 2009), bit-reflected constants for the zlib polynomial 0xEDB88320 as in
// zlib-ng / Chromium's crc32_simd.c. Needs n >= 64 and n % 16 == 0; `c` is the
// reflected register (already inverted by the caller), the result likewise.
__attribute__((target("pclmul,sse4.1"))) uint32_t reduce128(__m128i x1);

__attribute__((target("pclmul,sse4.1"))) uint32_t foldClmul(uint32_t c, const uint8_t* buf, size_t len) {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);

  __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x00));
  __m128i x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x10));
  __m128i x3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x20));
  __m128i x4 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x30));
  x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128(static_cast<int>(c)));
  buf += 64;
  len -= 64;
  // Four independent 128-bit lanes folded forward by 512 bits per step.
  while (len >= 64) {
    __m128i x5 = _mm_clmulepi64_si128(x1, k1k2, 0x00);
    __m128i x6 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
    __m128i x7 = _mm_clmulepi64_si128(x3, k1k2, 0x00);
    __m128i x8 = _mm_clmulepi64_si128(x4, k1k2, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
    x2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
    x3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
    x4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x00)));
    x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x10)));
    x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x20)));
    x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x30)));
    buf += 64;
    len -= 64;
  }
  // Fold the four lanes into one (128 bits apart).
  __m128i x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
  x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), x2), x5);
  x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
  x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), x3), x5);
  x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
  x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), x4), x5);
  while (len >= 16) {
    x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf));
    x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), x2), x5);
    buf += 16;
    len -= 16;
  }
  return reduce128(x1);
}

// 128 bits of folded state -> the 32-bit CRC register.
__attribute__((target("pclmul,sse4.1"))) uint32_t reduce128(__m128i x1) {
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124);
  const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  // 128 -> 64 bits.
  const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
  __m128i x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
  x2 = _mm_srli_si128(x1, 4);
  x1 = _mm_and_si128(x1, mask32);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k5k0, 0x00), x2);
  // Barrett reduction to 32 bits.
  x2 = _mm_and_si128(x1, mask32);
  x2 = _mm_clmulepi64_si128(x2, poly, 0x10);
  x2 = _mm_and_si128(x2, mask32);
  x2 = _mm_clmulepi64_si128(x2, poly, 0x00);
  x1 = _mm_xor_si128(x1, x2);
  return static_cast<uint32_t>(_mm_extract_epi32(x1, 1));
}

// The same folding 512 bits per register (VPCLMULQDQ on zmm): four zmm
// lanes 2048 bits apart, then reduced to one 128-bit lane and finished as
// above. Constants x^(D+32), x^(D-32) mod P (reflected, << 1) for distance D.
// Needs len >= 256 and len % 16 == 0.
__attribute__((target("avx512f,avx512vl,vpclmulqdq,pclmul,sse4.1")))
uint32_t foldVpclmul(uint32_t c, const uint8_t* buf, size_t len) {
  // (set/store rather than broadcast/extract intrinsics: GCC 12 warns about
  // the undefined operands those use internally)
  const __m512i k2048 = _mm512_set_epi64(0x01322d1430, 0x011542778a, 0x01322d1430, 0x011542778a,
                                         0x01322d1430, 0x011542778a, 0x01322d1430, 0x011542778a);
  const __m512i k512 = _mm512_set_epi64(0x01c6e41596, 0x0154442bd4, 0x01c6e41596, 0x0154442bd4,
                                        0x01c6e41596, 0x0154442bd4, 0x01c6e41596, 0x0154442bd4);
// (macros, not lambdas: lambdas do not inherit the target attribute)
#define ARGUS_FOLD512(x, k, data) \
  _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(x, k, 0x00), _mm512_clmulepi64_epi128(x, k, 0x11), data, 0x96)
  __m512i z0 = _mm512_loadu_si512(buf + 0x00);
  __m512i z1 = _mm512_loadu_si512(buf + 0x40);
  __m512i z2 = _mm512_loadu_si512(buf + 0x80);
  __m512i z3 = _mm512_loadu_si512(buf + 0xC0);
  z0 = _mm512_xor_si512(z0, _mm512_castsi128_si512(_mm_cvtsi32_si128(static_cast<int>(c))));
  buf += 256;
  len -= 256;
  while (len >= 256) {
    z0 = ARGUS_FOLD512(z0, k2048, _mm512_loadu_si512(buf + 0x00));
    z1 = ARGUS_FOLD512(z1, k2048, _mm512_loadu_si512(buf + 0x40));
    z2 = ARGUS_FOLD512(z2, k2048, _mm512_loadu_si512(buf + 0x80));
    z3 = ARGUS_FOLD512(z3, k2048, _mm512_loadu_si512(buf + 0xC0));
    buf += 256;
    len -= 256;
  }
  // Four zmm -> one (512 bits apart).
  z0 = ARGUS_FOLD512(z0, k512, z1);
  z0 = ARGUS_FOLD512(z0, k512, z2);
  z0 = ARGUS_FOLD512(z0, k512, z3);
  // Four 128-bit lanes -> one: lane i is 384 - 128 i bits from the last.
  const __m128i k384 = _mm_set_epi64x(0x0174359406, 0x003db1ecdc);
  const __m128i k256 = _mm_set_epi64x(0x015a546366, 0x00f1da05aa);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
#define ARGUS_FOLD128(x, k) _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11))
  alignas(64) uint8_t lanes[64];
  _mm512_store_si512(lanes, z0);
  const __m128i l0 = _mm_load_si128(reinterpret_cast<const __m128i*>(lanes + 0));
  const __m128i l1 = _mm_load_si128(reinterpret_cast<const __m128i*>(lanes + 16));
  const __m128i l2 = _mm_load_si128(reinterpret_cast<const __m128i*>(lanes + 32));
  const __m128i l3 = _mm_load_si128(reinterpret_cast<const __m128i*>(lanes + 48));
  __m128i x1 = _mm_xor_si128(_mm_xor_si128(ARGUS_FOLD128(l0, k384), ARGUS_FOLD128(l1, k256)),
                             _mm_xor_si128(ARGUS_FOLD128(l2, k3k4), l3));
  while (len >= 16) {
    x1 = _mm_xor_si128(ARGUS_FOLD128(x1, k3k4), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf)));
    buf += 16;
    len -= 16;
  }
  return reduce128(x1);
#undef ARGUS_FOLD512
#undef ARGUS_FOLD128
}

bool detectClmul() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}

bool haveClmul() {
  static const bool has = detectClmul();
  return has;
}

bool detectVpclmul() {
  __builtin_cpu_init();
  return detectClmul() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("vpclmulqdq");
}

bool haveVpclmul() {
  static const bool has = detectVpclmul();
  return has;
}
#endif

}  // namespace

uint32_t crc32Update(uint32_t crc, const uint8_t* p, size_t n) {
  uint32_t c = ~crc;
#ifdef ARGUS_CRC_CLMUL
  if (n >= 64 && haveClmul()) {
    size_t bulk = n & ~static_cast<size_t>(15);
    c = bulk >= 1024 && haveVpclmul() ? foldVpclmul(c, p, bulk) : foldClmul(c, p, bulk);
    p += bulk;
    n -= bulk;
  }
#endif
  return ~sliceBy8(c, p, n);
}

uint32_t crc32UpdatePortable(uint32_t crc, const uint8_t* p, size_t n) { return ~sliceBy8(~crc, p, n); }

uint32_t crc32UpdateClmul128(uint32_t crc, const uint8_t* p, size_t n) {
  uint32_t c = ~crc;
#ifdef ARGUS_CRC_CLMUL
  if (n >= 64 && haveClmul()) {
    size_t bulk = n & ~static_cast<size_t>(15);
    c = foldClmul(c, p, bulk);
    p += bulk;
    n -= bulk;
  }
#endif
  return ~sliceBy8(c, p, n);
}

}  // namespace argus
