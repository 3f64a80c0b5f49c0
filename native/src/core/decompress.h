// Chunk decompression (spec "Chunk": compression "", "zstd", "lz4").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace argus {

// Decompresses `in` into `out` (resized to exactly `expectedSize`).
// Returns an empty string on success, otherwise a reason.
std::string decompressChunk(const std::string& compression, std::string_view in,
                            uint64_t expectedSize, std::vector<uint8_t>& out);

}  // namespace argus
