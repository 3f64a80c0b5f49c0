// StreamReader: incremental MCAP record reader. No I/O: the caller appends
// bytes as they arrive and pulls records; NeedMore is a normal answer.
// Chunks are decompressed and their records yielded in place of the chunk.
// Damage (truncation, bad lengths, CRC mismatches, undecompressable chunks)
// becomes a Problem and reading goes on where the framing allows it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "decompress.h"
#include "records.h"
#include "status.h"

namespace argus::mcap {

struct ReaderOptions {
  bool checkCrc = true;                          // chunk, data section, summary, attachment CRCs
  uint64_t maxChunkUncompressed = 1ull << 28;    // sanity cap on Chunk.uncompressed_size (256 MiB)
  uint64_t maxRecordBuffered = 1ull << 27;      // larger records are skipped as bytes arrive (128 MiB)
  bool yieldChunks = false;                      // also yield the Chunk record itself (raw readers)
  bool yieldMessageIndexes = true;               // MessageIndex records (after chunks)
};

enum class ReadResult { Record, NeedMore, End, Error };

class StreamReader {
 public:
  explicit StreamReader(ReaderOptions opts = {});

  // Copies bytes into the internal buffer. Views handed out earlier die.
  void append(const uint8_t* data, size_t size);
  // Reads the bytes in place until release(): only the part of them that
  // completes a record begun in earlier bytes is copied. The caller keeps
  // them alive and unchanged until release(), which copies what is left
  // unread (one partial record) into the internal buffer; views handed out
  // before release() die there.
  void borrow(const uint8_t* data, size_t size);
  void release();
  // No more bytes will come: leftovers become a TRUNCATED problem.
  void finish();
  // The next appended bytes start at absolute file `offset` (indexed reads
  // that skip chunks). Unconsumed bytes are dropped. Data-section and summary
  // CRCs cannot be checked after a seek; chunk CRCs still are.
  void seek(uint64_t offset);

  // Pulls the next record. Record: `out` filled. NeedMore: append more (or
  // finish). End: the file is done. Error: fatal, see error().
  ReadResult next(Record& out);

  const Status& error() const { return error_; }
  // Non-fatal problems found so far; the caller drains them.
  std::vector<Problem>& problems() { return problems_; }
  bool truncated() const { return truncated_; }
  uint64_t recordsRead() const { return recordsRead_; }
  // Absolute offset of the first byte not yet consumed.
  uint64_t consumed() const { return base_ + pos_; }

 private:
  enum class State { Magic, Records, TrailingMagic, Done, Failed };

  ReadResult nextInChunk(Record& out);
  ReadResult openChunk(const Record& chunkRecord, Record& out);
  void salvageUncompressedChunk(uint64_t offset, std::string_view partial);
  void problem(std::string code, std::string message, uint64_t offset);
  void consume(size_t n);
  // Bytes of `size` new ones needed to complete the unit (magic or record)
  // whose start is unread in the internal buffer.
  size_t completion(const uint8_t* data, size_t size) const;
  void ownWindow();        // the window is buf_ again (after buf_ changed)
  void lendWindow(const uint8_t* data, size_t size);  // buf_ is all read: the window is these lent bytes
  void dropConsumed();     // erases buf_'s consumed bytes
  void detachChunk();
  void mergePending();     // copies the pending lent bytes after buf_      // chunk records viewed in the window move to chunkBuf_
  ReadResult fail(Status s);

  ReaderOptions opts_;
  State state_ = State::Magic;
  // Records are read from a window: buf_ (owned), or bytes lent by borrow().
  // While a record begun in buf_ is being completed, the rest of the lent
  // bytes wait in pending_ and become the window once buf_ is read.
  std::vector<uint8_t> buf_;
  const uint8_t* win_ = nullptr;
  size_t winSize_ = 0;
  bool borrowed_ = false;
  const uint8_t* pending_ = nullptr;
  size_t pendingSize_ = 0;
  size_t pos_ = 0;      // read position in the window
  uint64_t base_ = 0;   // absolute file offset of the window's first byte
  bool finished_ = false;
  bool truncated_ = false;
  Status error_;
  std::vector<Problem> problems_;
  uint64_t recordsRead_ = 0;

  // Running CRC of the data section (everything before DataEnd).
  uint32_t dataCrc_ = 0;
  bool inDataSection = true;
  bool contiguous_ = true;  // false after seek(): whole-section CRCs are skipped
  // Running CRC from the end of DataEnd, for the Footer summary_crc check.
  uint32_t summaryCrc_ = 0;
  uint64_t summaryCrcStart_ = 0;
  bool summaryCrcValid_ = false;

  // Current chunk being iterated.
  Decompressor decompressor_;
  std::vector<uint8_t> chunkBuf_;
  std::string_view chunkData_;
  size_t chunkPos_ = 0;
  uint64_t chunkOffset_ = 0;
  bool inChunk_ = false;
  uint32_t unknownOpcodeReports_ = 0;
  bool trailingReported_ = false;
  // Skipping an oversized record without buffering it.
  uint64_t skipRemaining_ = 0;
  uint64_t skipOffset_ = 0;
  uint8_t skipOpcode_ = 0;
};

}  // namespace argus::mcap
