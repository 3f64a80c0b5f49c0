#include "value.h"

#include "shortest-double.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace argus {

size_t primSize(Prim p) {
  switch (p) {
    case Prim::Bool: case Prim::Int8: case Prim::UInt8: return 1;
    case Prim::Int16: case Prim::UInt16: return 2;
    case Prim::Int32: case Prim::UInt32: case Prim::Float32: return 4;
    case Prim::Int64: case Prim::UInt64: case Prim::Float64: return 8;
  }
  return 1;
}

Value ValueTree::primAt(const Value& arr, uint32_t i) {
  size_t sz = primSize(arr.elem);
  const uint8_t* p = reinterpret_cast<const uint8_t*>(arr.str.data()) + static_cast<size_t>(i) * sz;
  uint64_t raw = 0;
  if (arr.bigEndian) {
    for (size_t k = 0; k < sz; ++k) raw = (raw << 8) | p[k];
  } else {
    for (size_t k = sz; k-- > 0;) raw = (raw << 8) | p[k];
  }
  return fromRaw(arr.elem, raw);
}

Value ValueTree::fromRaw(Prim p, uint64_t raw) {
  Value v;
  switch (p) {
    case Prim::Bool: v.kind = VKind::Bool; v.n.b = raw != 0; break;
    case Prim::Int8: v.kind = VKind::Int; v.n.i = static_cast<int8_t>(raw); break;
    case Prim::Int16: v.kind = VKind::Int; v.n.i = static_cast<int16_t>(raw); break;
    case Prim::Int32: v.kind = VKind::Int; v.n.i = static_cast<int32_t>(raw); break;
    case Prim::Int64: v.kind = VKind::Int; v.n.i = static_cast<int64_t>(raw); break;
    case Prim::UInt8: case Prim::UInt16: case Prim::UInt32: case Prim::UInt64:
      v.kind = VKind::UInt; v.n.u = raw; break;
    case Prim::Float32: {
      uint32_t r32 = static_cast<uint32_t>(raw);
      float f;
      std::memcpy(&f, &r32, 4);
      v.kind = VKind::Float32;
      v.n.d = f;
      break;
    }
    case Prim::Float64: {
      double d;
      std::memcpy(&d, &raw, 8);
      v.kind = VKind::Float64;
      v.n.d = d;
      break;
    }
  }
  return v;
}

namespace {

template <typename T>
void appendNumber(std::string& out, T x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}

// Byte arrays longer than this are only sized inside JSON columns.
constexpr uint32_t kJsonBlobLimit = 64;

// Writes `mag` / 10^k in fixed notation (k >= 1) with its sign at `p`;
// returns the end. `digits` holds mag's decimal digits (len of them).
char* writeFixed(char* p, bool negative, const char* digits, size_t len, size_t k) {
  // Plain loops: cells are short, and small variable-length memcpy calls
  // showed up in profiles.
  if (negative) *p++ = '-';
  if (len <= k) {
    *p++ = '0';
    *p++ = '.';
    for (size_t i = len; i < k; ++i) *p++ = '0';
    for (size_t i = 0; i < len; ++i) *p++ = digits[i];
  } else {
    for (size_t i = 0; i < len - k; ++i) *p++ = digits[i];
    *p++ = '.';
    for (size_t i = len - k; i < len; ++i) *p++ = digits[i];
  }
  return p;
}

// Trailing decimal zeros of x (x > 0) are removed; returns how many.
inline int stripZeros(uint64_t& x) {
  int tz = 0;  // in 8/4/2/1 steps: constant divisors
  if (x % 100000000 == 0) { x /= 100000000; tz += 8; }
  if (x % 10000 == 0) { x /= 10000; tz += 4; }
  if (x % 100 == 0) { x /= 100; tz += 2; }
  if (x % 10 == 0) { x /= 10; tz += 1; }
  return tz;
}

// Writes the text of a short decimal (at most 9-10 significant digits, as
// sensors write them) with 1e-3 <= |d| < 1e9 and d not integral at `p` and
// returns its end, or returns null: then writeShortestDouble writes it
// (full-precision values). With k decimals chosen for ~10 digits, n = round(d *
// 10^k) is below 2^53 and 10^k is exact, so n / 10^k == d is decided exactly
// (Clinger's fast path): the decimal n * 10^-k reads back as d. A decimal of
// at most 15 digits that reads back as d is unique (DBL_DIG), so n with its
// trailing zeros stripped is the shortest, the text std::to_chars writes (in
// this range fixed notation is never longer than scientific).
char* writeShortFixed(char* p, double d) {
  double a = std::fabs(d);
  if (!(a >= 1e-3 && a < 1e9)) return nullptr;
  uint64_t bits;
  std::memcpy(&bits, &a, 8);
  int e2 = static_cast<int>(bits >> 52) - 1023;  // a in [2^e2, 2^(e2+1))
  int e10 = (e2 * 315653) >> 20;  // floor(e2 * log10 2): floor(log10 a) or one less
  int k = 9 - e10;                // 10 or 11 significant digits, so |x| < 1e11
  if (k < 1 || k > 22) return nullptr;
  double x = d * kExactPow10[k];
  int64_t n = static_cast<int64_t>(x < 0 ? x - 0.5 : x + 0.5);
  // A decimal that reads back as d is within 1.2e-5 of x here (half an ulp
  // of d scaled, plus the product's rounding): anything farther from an
  // integer is not short, and most full-precision values leave at this test.
  if (std::fabs(x - static_cast<double>(n)) > 1e-4) return nullptr;
  if (static_cast<double>(n) / kExactPow10[k] != d) return nullptr;
  uint64_t mag = n < 0 ? static_cast<uint64_t>(-n) : static_cast<uint64_t>(n);
  int decimals = k - stripZeros(mag);
  if (decimals <= 0) return nullptr;
  char digits[24];
  size_t len = static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, mag).ptr - digits);
  return writeFixed(p, d < 0, digits, len, static_cast<size_t>(decimals));
}

// Recently printed short float cells, per thread: sensor messages repeat the
// same constants row after row (covariance matrices, fixed calibration
// values), and printing one costs 15-40 ns against ~3 for a copy. Direct
// mapped on the value's bits; only texts of at most 12 characters enter, so
// full-precision readings (17+ characters, rarely repeated) never evict them.
struct ShortFloatText {
  uint64_t bits = 0;
  uint8_t len = 0;  // 0: empty slot
  bool f32 = false;
  char text[12];
};
constexpr int kShortFloatSlotBits = 8;
thread_local ShortFloatText tShortFloats[size_t{1} << kShortFloatSlotBits];

// Writes the shortest text of `d` (a float32 when `f32`: then the shortest
// that reads back as that float) at `p`, which has room for kMaxFloatText
// bytes; returns the end.
char* writeFloatValue(char* p, double d, bool f32, bool json) {
  if (!std::isfinite(d)) {
    const char* t = json ? "null" : std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf");  // JSON has no NaN/Infinity
    size_t n = std::strlen(t);
    std::memcpy(p, t, n);
    return p + n;
  }
  // Integral values print as plain integers (to_chars would write 1e+05 for
  // 100000; the integer is as exact and friendlier in a CSV).
  if (d > -1e15 && d < 1e15) {
    int64_t i = static_cast<int64_t>(d);
    if (static_cast<double>(i) == d && !(i == 0 && std::signbit(d))) return std::to_chars(p, p + 24, i).ptr;
  }
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  ShortFloatText& e = tShortFloats[(bits * 0x9E3779B97F4A7C15ull) >> (64 - kShortFloatSlotBits)];  // Fibonacci hash
  if (e.len != 0 && e.bits == bits && e.f32 == f32) {
    std::memcpy(p, e.text, sizeof e.text);  // whole slot: a fixed-size copy
    return p + e.len;
  }
  char* end = nullptr;
  if (f32) end = std::to_chars(p, p + kMaxFloatText, static_cast<float>(d)).ptr;
  else if (!(end = writeShortFixed(p, d))) end = writeShortestDouble(p, d);
  const size_t n = static_cast<size_t>(end - p);
  if (n <= sizeof e.text) {
    std::memcpy(e.text, p, n);
    e.bits = bits;
    e.len = static_cast<uint8_t>(n);
    e.f32 = f32;
  }
  return end;
}

void appendFloatValue(std::string& out, double d, bool f32, bool json) {
  char buf[kMaxFloatText];
  out.append(buf, static_cast<size_t>(writeFloatValue(buf, d, f32, json) - buf));
}

void appendFloat(std::string& out, const Value& v, bool json) {
  if (!v.str.empty()) {  // a JSON number whose text is already the shortest form (json-parser.cc)
    out.append(v.str);
    return;
  }
  appendFloatValue(out, v.n.d, v.kind == VKind::Float32, json);
}

}  // namespace

char* writeFloatCell(char* p, double d, bool f32) { return writeFloatValue(p, d, f32, false); }

void appendScalar(std::string& out, const Value& v) {
  switch (v.kind) {
    case VKind::Null: break;
    case VKind::Bool: out += v.n.b ? "true" : "false"; break;
    case VKind::Int: appendNumber(out, v.n.i); break;
    case VKind::UInt: appendNumber(out, v.n.u); break;
    case VKind::Float32: case VKind::Float64: appendFloat(out, v, false); break;
    case VKind::String: out.append(v.str); break;
    default: break;
  }
}

void appendJsonString(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void appendJson(std::string& out, const ValueTree& t, const Value& v) {
  switch (v.kind) {
    case VKind::Null: out += "null"; break;
    case VKind::Bool: case VKind::Int: case VKind::UInt: appendScalar(out, v); break;
    case VKind::Float32: case VKind::Float64: appendFloat(out, v, true); break;
    case VKind::String: appendJsonString(out, v.str); break;
    case VKind::Object:
      out += '{';
      for (uint32_t i = 0; i < v.count; ++i) {
        const Value& c = t.nodes[v.first + i];
        if (i) out += ',';
        appendJsonString(out, c.key);
        out += ':';
        appendJson(out, t, c);
      }
      out += '}';
      break;
    case VKind::Array:
      out += '[';
      for (uint32_t i = 0; i < v.count; ++i) {
        if (i) out += ',';
        appendJson(out, t, t.nodes[v.first + i]);
      }
      out += ']';
      break;
    case VKind::PrimArray:
      if (v.blob && v.count > kJsonBlobLimit) {
        // Blobs (images, point clouds) are never dumped, only sized.
        out += "{\"len\":";
        appendNumber(out, v.count);
        out += '}';
        break;
      }
      out += '[';
      for (uint32_t i = 0; i < v.count; ++i) {
        if (i) out += ',';
        Value e = ValueTree::primAt(v, i);
        if (e.kind == VKind::Float32 || e.kind == VKind::Float64) appendFloat(out, e, true);
        else appendScalar(out, e);
      }
      out += ']';
      break;
  }
}

}  // namespace argus
