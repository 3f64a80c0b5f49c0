#include "chunk-compressor.h"

#include <zstd.h>

namespace argus {

ChunkCompressor::ChunkCompressor(int level) : cctx_(ZSTD_createCCtx()), level_(level) {}

ChunkCompressor::~ChunkCompressor() { ZSTD_freeCCtx(cctx_); }

bool ChunkCompressor::run(std::vector<CsvChunk>& chunks, std::vector<size_t>& rawBytes, std::string& error) {
  rawBytes.clear();
  if (cctx_ == nullptr) {
    error = "zstd: out of memory for a compression context";
    return false;
  }
  std::vector<std::string> out;
  out.reserve(chunks.size());
  for (const CsvChunk& c : chunks) {
    size_t bound = ZSTD_compressBound(c.csv.size());
    if (scratch_.size() < bound) scratch_.resize(bound);
    size_t n = ZSTD_compressCCtx(cctx_, scratch_.data(), bound, c.csv.data(), c.csv.size(), level_);
    if (ZSTD_isError(n)) {
      error = std::string("zstd: ") + ZSTD_getErrorName(n);
      return false;
    }
    out.emplace_back(scratch_.data(), n);
  }
  for (size_t i = 0; i < chunks.size(); ++i) {
    rawBytes.push_back(chunks[i].csv.size());
    ChunkBuffers::give(std::move(chunks[i].csv));
    chunks[i].csv = std::move(out[i]);
  }
  return true;
}

}  // namespace argus
