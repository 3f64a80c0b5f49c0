// A small JSON parser (RFC 8259) that builds a ValueTree. Strings without
// escapes are views into the input; integers stay exact (int64/uint64) and
// only become doubles when they have a fraction/exponent or overflow.
#pragma once

#include <string_view>

#include "status.h"
#include "value.h"

namespace argus {

// Parses `text` into `tree` (cleared first); the root is tree.nodes[root].
// Error offsets are byte offsets into `text`.
Status parseJson(std::string_view text, ValueTree& tree, uint32_t& root);

// The extent and shape of the JSON number starting at `at` (RFC 8259
// grammar; the parser and the direct row writer share it).
struct JsonNumberText {
  const char* error = nullptr;  // not a number: why, and `end` is where
  size_t end = 0;               // one past the number
  size_t digits = 0;            // first digit of the integer part (after '-')
  size_t intLen = 0, frac = 0, fracLen = 0;
  bool negative = false, isFloat = false, exponent = false;
  // A plain decimal ("-0.42", "13.981": no exponent, not ending in 0, at
  // most 15 significant digits, 1e-3 <= |x|) whose text is already its
  // shortest round-trip cell text; its value is jsonCellValue().
  bool isCell = false;
};
JsonNumberText scanJsonNumber(std::string_view s, size_t at);
// The value of an `isCell` number, exactly what a correctly rounded parse gives.
double jsonCellValue(std::string_view s, const JsonNumberText& n);

}  // namespace argus
