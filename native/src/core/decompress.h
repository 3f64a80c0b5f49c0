// Chunk decompression (spec "Chunk": compression "", "zstd", "lz4").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace argus {

// Decompresses chunk records, reusing its zstd/lz4 contexts across chunks.
class Decompressor {
 public:
  Decompressor() = default;
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;
  ~Decompressor();

  // Decompresses `in` into `out` (resized to exactly `expectedSize`).
  // Returns an empty string on success, otherwise a reason.
  std::string run(const std::string& compression, std::string_view in, uint64_t expectedSize,
                  std::vector<uint8_t>& out);

 private:
  void* zstd_ = nullptr;  // ZSTD_DCtx*
  void* lz4_ = nullptr;   // LZ4F_dctx*
};

}  // namespace argus
