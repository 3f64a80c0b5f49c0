// zstd compression of finished CSV chunks, on the thread that parsed them.
// The CSV text goes back to the spare chunk buffers at once, so the next
// chunks are written into pages already touched (a chunk handed to JS comes
// back only when V8 collects it, usually long after: every CSV page would be
// a fresh page fault), and JS receives only the compressed bytes. Part of the
// binding, not of the core: the core stays bytes in, CSV out.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/csv-writer.h"

struct ZSTD_CCtx_s;

namespace argus {

class ChunkCompressor {
 public:
  explicit ChunkCompressor(int level);
  ~ChunkCompressor();
  ChunkCompressor(const ChunkCompressor&) = delete;
  ChunkCompressor& operator=(const ChunkCompressor&) = delete;

  // Replaces each chunk's CSV with one zstd frame of it (content size in the
  // frame header) and puts the CSV length in `rawBytes`. False, with `error`
  // set, if zstd failed; the chunks are then left as they were.
  bool run(std::vector<CsvChunk>& chunks, std::vector<size_t>& rawBytes, std::string& error);

 private:
  ZSTD_CCtx_s* cctx_;
  int level_;
  std::string scratch_;  // compressBound-sized output, reused
};

}  // namespace argus
