// ValueTree: a decoded message as a flat vector of nodes. Children of an
// object or array are contiguous (first, count). Strings are views into the
// message bytes or into the tree's arena, so decoding allocates little.
// Primitive arrays from binary encodings stay as raw bytes (PrimArray) and
// are only read element by element when a column needs them.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace argus {

enum class VKind : uint8_t {
  Null, Bool, Int, UInt, Float32, Float64, String, Object, Array,
  PrimArray,  // raw little/big-endian elements, see Value::elem
};

// Element type of a PrimArray.
enum class Prim : uint8_t { Bool, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float32, Float64 };

size_t primSize(Prim p);

// Exact powers of ten as doubles (10^22 is the largest exactly representable).
inline constexpr double kExactPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

struct Value {
  VKind kind = VKind::Null;
  Prim elem = Prim::UInt8;  // PrimArray only
  bool bigEndian = false;   // PrimArray only
  bool blob = false;        // PrimArray of bytes meant as a blob (variable byte[]/uint8[]/bytes)
  uint32_t first = 0;       // Object/Array: index of the first child
  uint32_t count = 0;       // Object/Array/PrimArray: element count
  union {
    bool b;
    int64_t i;
    uint64_t u;
    double d;
  } n{};
  std::string_view str;  // String value, PrimArray raw bytes, or a JSON number's text when it is already its shortest form
  std::string_view key;  // member name when the parent is an Object
};

class ValueTree {
 public:
  std::vector<Value> nodes;

  void clear() {
    nodes.clear();
    arena_.clear();
  }
  // Stores a string whose bytes must outlive the source (unescaped JSON etc.).
  std::string_view keep(std::string s) {
    arena_.push_back(std::move(s));
    return arena_.back();
  }
  uint32_t add(const Value& v) {
    nodes.push_back(v);
    return static_cast<uint32_t>(nodes.size() - 1);
  }
  // Reserves n contiguous child slots and returns the index of the first.
  uint32_t reserve(uint32_t n) {
    uint32_t at = static_cast<uint32_t>(nodes.size());
    nodes.resize(nodes.size() + n);
    return at;
  }

  // Reads element i of a PrimArray as a scalar Value.
  static Value primAt(const Value& arr, uint32_t i);
  // A scalar Value from the raw bits of one element (already byte-swapped).
  static Value fromRaw(Prim p, uint64_t raw);

 private:
  std::deque<std::string> arena_;
};

// Appends the text of a scalar for a CSV cell: integers exact, floats in the
// shortest form that round-trips, booleans true/false, strings raw.
void appendScalar(std::string& out, const Value& v);
// The cell appendScalar writes for a float (f32: a float32's value),
// without a Value around it, written at `p`, which has room for
// kMaxFloatText bytes; returns its end.
constexpr size_t kMaxFloatText = 32;
char* writeFloatCell(char* p, double d, bool f32);
// Appends compact JSON for any node (objects, arrays, primitive arrays).
void appendJson(std::string& out, const ValueTree& t, const Value& v);
void appendJsonString(std::string& out, std::string_view s);

}  // namespace argus
