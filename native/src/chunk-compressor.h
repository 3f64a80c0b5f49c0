// zstd compression of CSV chunks the moment the parser completes them, on
// the parse thread. The CSV text goes back to the spare chunk buffers at
// once, so the next chunk is written into pages already touched (a chunk
// handed to JS comes back only when V8 collects it, usually long after:
// every CSV page would be a fresh page fault), and JS receives only the
// compressed bytes. Part of the binding, not of the core: the core stays
// bytes in, CSV out.
#pragma once

#include <string>

#include "core/csv-writer.h"

struct ZSTD_CCtx_s;

namespace argus {

class ChunkCompressor : public ChunkSink {
 public:
  explicit ChunkCompressor(int level);
  ~ChunkCompressor() override;
  ChunkCompressor(const ChunkCompressor&) = delete;
  ChunkCompressor& operator=(const ChunkCompressor&) = delete;

  // Replaces the chunk's CSV with one zstd frame of it (content size in the
  // frame header) and sets `rawBytes`. If zstd fails the chunk stays CSV and
  // takeError() says why.
  void complete(CsvChunk& chunk) override;
  // The first failure since the last call, then cleared ("" if none).
  std::string takeError();

 private:
  ZSTD_CCtx_s* cctx_;
  std::string scratch_;  // compressBound-sized output, reused
  std::string error_;
};

}  // namespace argus
