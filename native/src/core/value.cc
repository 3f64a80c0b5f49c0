#include "value.h"

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

// Exact powers of ten as doubles (10^22 is the largest exactly representable).
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr double kTwo53 = 9007199254740992.0;

// Shortest fixed-notation text for a non-integral double with
// 1e-3 <= |d| < 1e15, or false. A candidate n * 10^-k (|n| < 2^53, k <= 22)
// round-trips iff n / 10^k == d: both operands are exact doubles, so the
// division is correctly rounded (Clinger's fast path), exactly what a correct
// parser does. Round-tripping is monotone in k, so the fewest decimals are
// found by bisection. In this range fixed notation is never longer than
// scientific, so the text matches std::to_chars' choice of format.
bool appendShortFixed(std::string& out, double d) {
  double a = std::fabs(d);
  if (!(a >= 1e-3 && a < 1e15)) return false;
  int kmax = 0;
  while (kmax < 22 && a * kPow10[kmax + 1] < kTwo53) ++kmax;
  auto roundTrips = [d](int k, int64_t& n) {
    n = std::llround(d * kPow10[k]);
    return static_cast<double>(n) / kPow10[k] == d;
  };
  int64_t n = 0;
  if (kmax < 1 || !roundTrips(kmax, n)) return false;
  int lo = 1, hi = kmax;
  int64_t best = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    int64_t m;
    if (roundTrips(mid, m)) {
      hi = mid;
      best = m;
    } else {
      lo = mid + 1;
    }
  }
  if (hi != kmax || best != n) roundTrips(hi, best);
  uint64_t mag = best < 0 ? static_cast<uint64_t>(-best) : static_cast<uint64_t>(best);
  char digits[32];
  auto r = std::to_chars(digits, digits + sizeof digits, mag);
  size_t len = static_cast<size_t>(r.ptr - digits);
  size_t k = static_cast<size_t>(hi);
  if (best < 0) out += '-';
  if (len <= k) {
    out += "0.";
    out.append(k - len, '0');
    out.append(digits, len);
  } else {
    out.append(digits, len - k);
    out += '.';
    out.append(digits + (len - k), k);
  }
  return true;
}

void appendFloat(std::string& out, const Value& v, bool json) {
  double d = v.n.d;
  if (!std::isfinite(d)) {
    if (json) out += "null";  // JSON has no NaN/Infinity
    else out += std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf");
    return;
  }
  // Integral values print as plain integers (to_chars would write 1e+05 for
  // 100000; the integer is as exact and friendlier in a CSV).
  if (d > -1e15 && d < 1e15) {
    int64_t i = static_cast<int64_t>(d);
    if (static_cast<double>(i) == d && !(i == 0 && std::signbit(d))) {
      appendNumber(out, i);
      return;
    }
  }
  if (v.kind == VKind::Float32) {
    appendNumber(out, static_cast<float>(d));
  } else if (!appendShortFixed(out, d)) {
    appendNumber(out, d);
  }
}

}  // namespace

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
