#include "decompress.h"

#include <zstd.h>
#include <lz4frame.h>

namespace argus {
namespace {

std::string zstdCheckSize(std::string_view in, uint64_t expected) {
  // Refuse before allocating when the frame header disagrees with the chunk
  // record (a flipped uncompressed_size must not cost gigabytes).
  unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR) return "zstd: not a zstd frame";
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != expected) {
    return "zstd: frame holds " + std::to_string(declared) + " bytes, uncompressed_size says " + std::to_string(expected);
  }
  return {};
}

std::string lz4CheckSize(std::string_view in, uint64_t expected) {
  LZ4F_dctx* ctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION))) return "lz4: cannot create context";
  LZ4F_frameInfo_t info{};
  size_t consumed = in.size();
  size_t r = LZ4F_getFrameInfo(ctx, &info, in.data(), &consumed);
  LZ4F_freeDecompressionContext(ctx);
  if (LZ4F_isError(r)) return std::string("lz4: ") + LZ4F_getErrorName(r);
  if (info.contentSize != 0 && info.contentSize != expected) {
    return "lz4: frame holds " + std::to_string(info.contentSize) + " bytes, uncompressed_size says " + std::to_string(expected);
  }
  return {};
}

std::string zstdInto(std::string_view in, std::vector<uint8_t>& out) {
  size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(n)) return std::string("zstd: ") + ZSTD_getErrorName(n);
  if (n != out.size()) {
    return "zstd: decompressed " + std::to_string(n) + " bytes, uncompressed_size says " +
           std::to_string(out.size());
  }
  return {};
}

std::string lz4Into(std::string_view in, std::vector<uint8_t>& out) {
  LZ4F_dctx* ctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION))) {
    return "lz4: cannot create context";
  }
  const char* src = in.data();
  size_t srcLeft = in.size();
  size_t produced = 0;
  std::string err;
  for (;;) {
    size_t dstSize = out.size() - produced;
    size_t srcSize = srcLeft;
    size_t hint = LZ4F_decompress(ctx, out.data() + produced, &dstSize, src, &srcSize, nullptr);
    if (LZ4F_isError(hint)) {
      err = std::string("lz4: ") + LZ4F_getErrorName(hint);
      break;
    }
    produced += dstSize;
    src += srcSize;
    srcLeft -= srcSize;
    if (hint == 0) {
      // End of a frame; MCAP chunks hold one frame but concatenated frames are legal lz4.
      if (srcLeft == 0) break;
      continue;
    }
    if (srcSize == 0 && dstSize == 0) {
      err = produced == out.size() ? "lz4: more data than uncompressed_size"
                                   : "lz4: truncated frame";
      break;
    }
  }
  LZ4F_freeDecompressionContext(ctx);
  if (err.empty() && produced != out.size()) {
    err = "lz4: decompressed " + std::to_string(produced) + " bytes, uncompressed_size says " +
          std::to_string(out.size());
  }
  return err;
}

}  // namespace

std::string decompressChunk(const std::string& compression, std::string_view in,
                            uint64_t expectedSize, std::vector<uint8_t>& out) {
  std::string err;
  if (compression == "zstd") err = zstdCheckSize(in, expectedSize);
  else if (compression == "lz4") err = lz4CheckSize(in, expectedSize);
  else return "unsupported compression \"" + compression + "\"";
  if (!err.empty()) return err;
  out.resize(static_cast<size_t>(expectedSize));
  return compression == "zstd" ? zstdInto(in, out) : lz4Into(in, out);
}

}  // namespace argus
