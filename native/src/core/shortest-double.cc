#include "shortest-double.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <vector>

namespace argus {
namespace {

using u128 = unsigned __int128;

// Powers of ten as 126-bit fractions: for e in [kMinE, kMaxE], 10^e =
// g * 2^(beta - 125) rounded up (exact where 10^e * 2^(125 - beta) is an
// integer), with beta = floor(log2 10^e), so 2^125 <= g < 2^126. Made once
// from exact big-integer arithmetic (no table of constants to mistype).
constexpr int kMinE = -292;  // 10^-k for the k of the largest double
constexpr int kMaxE = 325;   // and of the smallest subnormal, with margin

struct Pow10 {
  uint64_t hi, lo;
  int beta;
};

// Little-endian base-2^32 big integers, just what the table needs.
using Big = std::vector<uint32_t>;

int bitLength(const Big& a) {
  size_t n = a.size();
  while (n > 0 && a[n - 1] == 0) --n;
  return n == 0 ? 0 : static_cast<int>(32 * (n - 1)) + (32 - __builtin_clz(a[n - 1]));
}
void times10(Big& a) {
  uint64_t carry = 0;
  for (uint32_t& x : a) {
    uint64_t v = static_cast<uint64_t>(x) * 10 + carry;
    x = static_cast<uint32_t>(v);
    carry = v >> 32;
  }
  if (carry) a.push_back(static_cast<uint32_t>(carry));
}
void over10(Big& a) {  // floor(a / 10)
  uint64_t rem = 0;
  for (size_t i = a.size(); i-- > 0;) {
    uint64_t v = (rem << 32) | a[i];
    a[i] = static_cast<uint32_t>(v / 10);
    rem = v % 10;
  }
}
bool bit(const Big& a, int i) { return (a[static_cast<size_t>(i / 32)] >> (i % 32)) & 1; }
// floor(a / 2^shift) (below 2^126), and whether anything was cut off.
u128 topBits(const Big& a, int shift, bool& cut) {
  u128 r = 0;
  for (int i = bitLength(a) - 1; i >= shift; --i) r = (r << 1) | static_cast<u128>(bit(a, i));
  cut = false;
  for (int i = 0; i < shift && !cut; ++i) cut = bit(a, i);
  return r;
}

std::vector<Pow10> makeTable() {
  std::vector<Pow10> t(static_cast<size_t>(kMaxE - kMinE + 1));
  // 10^e for e >= 0: 126 bits from the top, rounded up (exact while it fits).
  Big p{1};
  for (int e = 0; e <= kMaxE; ++e) {
    int beta = bitLength(p) - 1;
    bool cut = false;
    u128 g = beta <= 125 ? topBits(p, 0, cut) << (125 - beta) : topBits(p, beta - 125, cut);
    if (cut) g += 1;
    t[static_cast<size_t>(e - kMinE)] = {static_cast<uint64_t>(g >> 64), static_cast<uint64_t>(g), beta};
    times10(p);
  }
  // 10^-n: with 10^n strictly between 2^(L-1) and 2^L, beta = -L and
  // g = ceil(2^(125+L) / 10^n) = floor(floor(2^P / 10^n) / 2^(P-125-L)) + 1
  // (never a whole number: 10^n has the factor 5^n).
  constexpr int P = 1100;  // > 125 + L for every n here, with 126+ bits left
  Big q(P / 32 + 1, 0);
  q[P / 32] = uint32_t{1} << (P % 32);
  Big pn{1};
  for (int n = 1; n <= -kMinE; ++n) {
    over10(q);
    times10(pn);
    int len = bitLength(pn);
    bool cut = false;
    u128 g = topBits(q, P - 125 - len, cut) + 1;
    t[static_cast<size_t>(-n - kMinE)] = {static_cast<uint64_t>(g >> 64), static_cast<uint64_t>(g), -len};
  }
  return t;
}

const std::vector<Pow10>& table() {
  static const std::vector<Pow10> t = makeTable();
  return t;
}

// floor(g * cp / 2^128), its lowest bit set when anything was cut off
// ("round to odd": an inexact result never equals an even number).
inline uint64_t roundToOdd(const Pow10& g, uint64_t cp) {
  u128 a = static_cast<u128>(g.lo) * cp;
  u128 b = static_cast<u128>(g.hi) * cp;
  u128 mid = (b & ~uint64_t{0}) + (a >> 64);
  uint64_t hi = static_cast<uint64_t>((b >> 64) + (mid >> 64));
  bool cut = static_cast<uint64_t>(mid) != 0 || static_cast<uint64_t>(a) != 0;
  return hi | static_cast<uint64_t>(cut);
}

// floor(q * log10 2) and floor(q * log10 2 + log10 3/4), exact for |q| < 1100 (checked
// against 60-digit arithmetic; doubles need -1074..971).
inline int floorLog10Pow2(int q) { return (q * 1262611) >> 22; }
inline int floorLog10ThreeQuartersPow2(int q) { return (q * 1262611 - 524031) >> 22; }

// Of the candidate digits for a value whose digits at the chosen scale are
// s.xxx, picks what Schubfach keeps: one digit shorter (at most one multiple
// of 10 fits in the rounding interval), else s or s + 1, whichever is in it,
// and when both are, the nearer (`lowerIsNearer(s, s + 1)`, the even one on a
// tie). `above(x)`: x is not below the interval; `below(x)`: x is not above it.
// Returns the digits without trailing zeros in `d`, scaled by 10^e (e starts
// at the scale's exponent k).
template <typename Above, typename Below, typename Nearer>
void pick(uint64_t s, int k, Above above, Below below, Nearer lowerIsNearer, uint64_t& d, int& e) {
  d = 0;
  if (s >= 10) {
    uint64_t sp = s / 10 * 10, tp = sp + 10;
    bool uin = above(sp), win = below(tp);
    if (uin != win) d = uin ? sp : tp;
  }
  if (d == 0) {
    uint64_t t = s + 1;
    bool uin = above(s), win = below(t);
    d = uin != win ? (uin ? s : t) : (lowerIsNearer(s, t) ? s : t);
  }
  e = k;
  while (d % 10 == 0) {
    d /= 10;
    ++e;
  }
}

// The shortest decimal in the rounding interval of c * 2^q (c > 0): digits
// `d` (no trailing zero) and exponent `e`, the value being d * 10^e.
void shortest(uint64_t c, int q, bool irregular, uint64_t& d, int& e) {
  const uint64_t cb = c << 2;
  const uint64_t cbl = irregular ? cb - 1 : cb - 2;
  const uint64_t cbr = cb + 2;
  const int k = irregular ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q);
  const Pow10& g = table()[static_cast<size_t>(-k - kMinE)];
  const int h = q + g.beta + 3;  // the three products are 4 * bound * 10^-k
  const uint64_t vb = roundToOdd(g, cb << h);
  const uint64_t vbl = roundToOdd(g, cbl << h);
  const uint64_t vbr = roundToOdd(g, cbr << h);
  const uint64_t out = c & 1;  // bounds belong to the interval when c is even
  pick(
      vb >> 2, k, [&](uint64_t x) { return vbl + out <= x << 2; }, [&](uint64_t x) { return (x << 2) + out <= vbr; },
      [&](uint64_t s, uint64_t t) {
        uint64_t mid = (s + t) << 1;
        return vb < mid || (vb == mid && (s & 1) == 0);
      },
      d, e);
}

// shortest() for whole numbers c * 2^q, 1 <= q <= 68, in exact 128-bit
// integers: here the interval's bounds are whole numbers and may fall
// exactly on a candidate (a multiple of 10^k), where the 126-bit fraction of
// an inexact 10^-k could put them on the wrong side.
void shortestWhole(uint64_t c, int q, bool irregular, uint64_t& d, int& e) {
  const u128 v4 = static_cast<u128>(c << 2) << q;  // all four times the real values
  const u128 lo4 = static_cast<u128>(irregular ? (c << 2) - 1 : (c << 2) - 2) << q;
  const u128 hi4 = static_cast<u128>((c << 2) + 2) << q;
  const bool open = (c & 1) != 0;  // bounds belong to the interval when c is even
  const int k = irregular ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q);
  u128 pk = 1;
  for (int i = 0; i < k; ++i) pk *= 10;
  auto four = [&](uint64_t x) { return (static_cast<u128>(x) * pk) << 2; };  // 4 * x * 10^k
  pick(
      static_cast<uint64_t>(v4 / (pk << 2)), k, [&](uint64_t x) { return open ? lo4 < four(x) : lo4 <= four(x); },
      [&](uint64_t x) { return open ? four(x) < hi4 : four(x) <= hi4; },
      [&](uint64_t s, uint64_t t) {
        u128 mid = (static_cast<u128>(s + t) * pk) << 1;
        return v4 < mid || (v4 == mid && (s & 1) == 0);
      },
      d, e);
}

constexpr char kPairs[] =
    "0001020304050607080910111213141516171819"
    "2021222324252627282930313233343536373839"
    "4041424344454647484950515253545556575859"
    "6061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// x < 10^8 as exactly 8 digits (leading zeros kept), with 32-bit arithmetic.
inline void write8(char* p, uint32_t x) {
  uint32_t hi = x / 10000, lo = x % 10000;
  std::memcpy(p, kPairs + 2 * (hi / 100), 2);
  std::memcpy(p + 2, kPairs + 2 * (hi % 100), 2);
  std::memcpy(p + 4, kPairs + 2 * (lo / 100), 2);
  std::memcpy(p + 6, kPairs + 2 * (lo % 100), 2);
}

// The decimal digits of 0 < d < 10^18, right-aligned in out[0..18); returns
// how many there are.
inline int digitsOf(uint64_t d, char (&out)[18]) {
  uint64_t a = d / 100000000;
  write8(out + 10, static_cast<uint32_t>(d - a * 100000000));
  uint64_t top = a / 100000000;
  write8(out + 2, static_cast<uint32_t>(a - top * 100000000));
  std::memcpy(out, kPairs + 2 * top, 2);
  int lead = 0;
  while (lead < 17 && out[lead] == '0') ++lead;
  return 18 - lead;
}

}  // namespace

char* writeShortestDouble(char* p, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
  const int biased = static_cast<int>((bits >> 52) & 0x7FF);
  const int q = biased - 1075;
  // Zero, subnormals, inf, nan, and whole numbers beyond 2^121: to_chars.
  if (biased == 0 || biased == 0x7FF || q > 68) return std::to_chars(p, p + 25, v).ptr;
  if (bits >> 63) *p++ = '-';
  uint64_t d;
  int e;
  const uint64_t c = fraction | (uint64_t{1} << 52);
  const bool irregular = fraction == 0 && biased > 1;
  if (q >= 1) shortestWhole(c, q, irregular, d, e);
  else shortest(c, q, irregular, d, e);

  char all[18];
  const int n = digitsOf(d, all);
  const char* digits = all + (18 - n);
  const int x = e + n - 1;  // the scientific exponent
  const int ax = x < 0 ? -x : x;
  const int sciLen = n + (n > 1 ? 1 : 0) + 2 + (ax >= 100 ? 3 : 2);
  const int fixLen = e >= 0 ? n + e : (x >= 0 ? n + 1 : 2 + (-x - 1) + n);
  if (fixLen <= sciLen) {  // fixed on a tie, as to_chars
    if (e > 0 && q > 0) {
      // A whole number of 17+ digits: in fixed notation every digit costs a
      // character anyway, so to_chars writes the exact value ("the nearest
      // of the shortest"), not the shortest digits padded with zeros. Here
      // q <= 20 (fixed beats scientific only below about 10^22).
      u128 x = static_cast<u128>(c) << q;
      char buf[40];
      char* b = buf + sizeof buf;
      do {
        *--b = static_cast<char>('0' + static_cast<int>(x % 10));
        x /= 10;
      } while (x != 0);
      std::memcpy(p, b, static_cast<size_t>(buf + sizeof buf - b));
      return p + (buf + sizeof buf - b);
    }
    if (e >= 0) {
      std::memcpy(p, digits, static_cast<size_t>(n));
      p += n;
      for (int i = 0; i < e; ++i) *p++ = '0';
    } else if (x >= 0) {
      std::memcpy(p, digits, static_cast<size_t>(x + 1));
      p += x + 1;
      *p++ = '.';
      std::memcpy(p, digits + x + 1, static_cast<size_t>(n - x - 1));
      p += n - x - 1;
    } else {
      *p++ = '0';
      *p++ = '.';
      for (int i = 0; i < -x - 1; ++i) *p++ = '0';
      std::memcpy(p, digits, static_cast<size_t>(n));
      p += n;
    }
    return p;
  }
  *p++ = digits[0];
  if (n > 1) {
    *p++ = '.';
    std::memcpy(p, digits + 1, static_cast<size_t>(n - 1));
    p += n - 1;
  }
  *p++ = 'e';
  *p++ = x < 0 ? '-' : '+';
  if (ax < 10) *p++ = '0';
  return std::to_chars(p, p + 4, ax).ptr;
}

}  // namespace argus
