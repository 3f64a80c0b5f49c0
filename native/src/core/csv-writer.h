// Per-topic CSV text (RFC 4180) cut into self-contained chunks: each chunk
// starts with the header row and stays under `chunkBytes` unless a single
// row is larger than that.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace argus {

struct CsvChunk {
  std::string topic;
  uint32_t index = 0;  // 0-based per topic
  std::string csv;
  uint64_t rows = 0;
  size_t rawBytes = 0;  // CSV length when a ChunkSink replaced `csv` by an encoded form; 0: `csv` is the text
};

// Sees each chunk the moment it is completed, on the thread that completes
// it: e.g. compresses it and hands the CSV buffer back (ChunkBuffers), so the
// next chunk is written into pages already touched.
class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  virtual void complete(CsvChunk& chunk) = 0;
};

void appendCsvField(std::string& out, std::string_view field);
// True when `field` needs no quotes (no comma, quote, CR or LF).
inline bool csvPlain(std::string_view field) {
  for (char c : field) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return false;
  }
  return true;
}

// Process-wide spare CSV chunk buffers. A chunk buffer written for the
// first time costs a page fault per 4 KiB (expensive on virtual machines);
// chunks handed back (by the Node binding when JS lets go of one, or by a
// ChunkSink once it has encoded one) are reused by the next chunks of any
// parser. Holds at most kKeepBytes.
class ChunkBuffers {
 public:
  static constexpr size_t kKeepBytes = 16u << 20;
  // An empty string with at least `capacity` bytes reserved.
  static std::string take(size_t capacity);
  static void give(std::string&& s);
};

class CsvWriter {
 public:
  CsvWriter(std::string topic, size_t chunkBytes, ChunkSink* sink = nullptr)
      : topic_(std::move(topic)), chunkBytes_(chunkBytes), sink_(sink) {}

  void setColumns(const std::vector<std::string>& columns);
  // `row` is a complete CSV line with its CRLF, built by the caller.
  // A chunk that would pass the size limit is moved into `out` first.
  void addRow(std::string_view row, std::vector<CsvChunk>& out);
  // In-place rows (no per-row copy): append one complete line (with CRLF)
  // to the string beginRow() returns, then call endRow(). Chunks come out
  // exactly as with addRow.
  std::string& beginRow();
  void endRow(std::vector<CsvChunk>& out);
  // Drops what was written since beginRow().
  void cancelRow() { buf_.resize(rowStart_); }
  void flush(std::vector<CsvChunk>& out);

 private:
  std::string freshChunk() const;  // a chunk buffer (spare if one fits) holding the header row
  void prefault();                 // maps the pages the next rows will write (see csv-writer.cc)
  static constexpr size_t kMapAhead = 256u << 10;

  std::string topic_;
  size_t chunkBytes_;
  ChunkSink* sink_;
  std::string header_;
  std::string buf_;
  uint64_t rows_ = 0;
  uint32_t next_ = 0;
  size_t rowStart_ = 0;  // beginRow(): where the row being written starts in buf_
  const char* mappedBase_ = nullptr;  // prefault(): the buffer it mapped pages of
  size_t mapped_ = 0;                 // and up to where
};

}  // namespace argus
