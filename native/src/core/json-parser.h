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

}  // namespace argus
