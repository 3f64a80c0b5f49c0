#include "decompress.h"

#include <zstd.h>
#include <lz4frame.h>

namespace argus {
namespace {

std::string zstdCheckSize(std::string_view in, uint64_t expected) {
  // Refuse before allocating when the frame header disagrees with the chunk
  // record (a flipped uncompressed_size must not cost gigabytes).
  if (in.empty()) return "zstd: empty frame";
  unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR) return "zstd: not a zstd frame";
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != expected) {
    return "zstd: frame holds " + std::to_string(declared) + " bytes, uncompressed_size says " + std::to_string(expected);
  }
  return {};
}

std::string lz4CheckSize(LZ4F_dctx* ctx, std::string_view in, uint64_t expected) {
  LZ4F_resetDecompressionContext(ctx);
  LZ4F_frameInfo_t info{};
  if (in.empty()) return "lz4: empty frame";
  size_t consumed = in.size();
  size_t r = LZ4F_getFrameInfo(ctx, &info, in.data(), &consumed);
  if (LZ4F_isError(r)) return std::string("lz4: ") + LZ4F_getErrorName(r);
  if (info.contentSize != 0 && info.contentSize != expected) {
    return "lz4: frame holds " + std::to_string(info.contentSize) + " bytes, uncompressed_size says " + std::to_string(expected);
  }
  return {};
}

std::string zstdInto(ZSTD_DCtx* ctx, std::string_view in, std::vector<uint8_t>& out) {
  uint8_t none = 0;  // same null-pointer care as lz4Into
  void* dst = out.empty() ? &none : out.data();
  const void* src = in.empty() ? static_cast<const void*>(&none) : in.data();
  size_t n = ZSTD_decompressDCtx(ctx, dst, out.size(), src, in.size());
  if (ZSTD_isError(n)) return std::string("zstd: ") + ZSTD_getErrorName(n);
  if (n != out.size()) {
    return "zstd: decompressed " + std::to_string(n) + " bytes, uncompressed_size says " +
           std::to_string(out.size());
  }
  return {};
}

std::string lz4Into(LZ4F_dctx* ctx, std::string_view in, std::vector<uint8_t>& out) {
  LZ4F_resetDecompressionContext(ctx);
  // lz4frame does pointer arithmetic on both buffers before looking at their
  // sizes, so an empty vector's null data() is undefined behaviour there:
  // hand it a one-byte stand-in instead (dstSize stays 0, nothing is written).
  uint8_t none = 0;
  uint8_t* dst = out.empty() ? &none : out.data();
  const char* src = in.empty() ? reinterpret_cast<const char*>(&none) : in.data();
  size_t srcLeft = in.size();
  size_t produced = 0;
  std::string err;
  for (;;) {
    size_t dstSize = out.size() - produced;
    size_t srcSize = srcLeft;
    size_t hint = LZ4F_decompress(ctx, dst + produced, &dstSize, src, &srcSize, nullptr);
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
  if (err.empty() && produced != out.size()) {
    err = "lz4: decompressed " + std::to_string(produced) + " bytes, uncompressed_size says " +
          std::to_string(out.size());
  }
  return err;
}

}  // namespace

Decompressor::~Decompressor() {
  if (zstd_) ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(zstd_));
  if (lz4_) LZ4F_freeDecompressionContext(static_cast<LZ4F_dctx*>(lz4_));
}

std::string Decompressor::run(const std::string& compression, std::string_view in, uint64_t expectedSize,
                              std::vector<uint8_t>& out) {
  if (compression == "zstd") {
    if (!zstd_) zstd_ = ZSTD_createDCtx();
    if (!zstd_) return "zstd: cannot create context";
    std::string err = zstdCheckSize(in, expectedSize);
    if (!err.empty()) return err;
    out.resize(static_cast<size_t>(expectedSize));
    return zstdInto(static_cast<ZSTD_DCtx*>(zstd_), in, out);
  }
  if (compression == "lz4") {
    if (!lz4_) {
      LZ4F_dctx* ctx = nullptr;
      if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION))) return "lz4: cannot create context";
      lz4_ = ctx;
    }
    std::string err = lz4CheckSize(static_cast<LZ4F_dctx*>(lz4_), in, expectedSize);
    if (!err.empty()) return err;
    out.resize(static_cast<size_t>(expectedSize));
    return lz4Into(static_cast<LZ4F_dctx*>(lz4_), in, out);
  }
  return "unsupported compression \"" + compression + "\"";
}

}  // namespace argus
