#include "stream-reader.h"

#include <cstring>

#include "byte-reader.h"
#include "crc32.h"

namespace argus::mcap {
namespace {

uint64_t readLe64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string at(uint64_t offset) { return " at offset " + std::to_string(offset); }

}  // namespace

StreamReader::StreamReader(ReaderOptions opts) : opts_(opts) {}

void StreamReader::ownWindow() {
  win_ = buf_.data();
  winSize_ = buf_.size();
  borrowed_ = false;
}

void StreamReader::dropConsumed() {
  // Views handed out before this call are now dead.
  if (pos_ > 0) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    base_ += pos_;
    pos_ = 0;
  }
  ownWindow();
}

void StreamReader::detachChunk() {
  if (!inChunk_ || chunkData_.empty()) return;
  const uint8_t* d = reinterpret_cast<const uint8_t*>(chunkData_.data());
  if (!chunkBuf_.empty() && d >= chunkBuf_.data() && d < chunkBuf_.data() + chunkBuf_.size()) return;
  // An uncompressed chunk is read in place: keep its records across the window change.
  std::vector<uint8_t> copy(d, d + chunkData_.size());
  chunkBuf_.swap(copy);
  chunkData_ = std::string_view(reinterpret_cast<const char*>(chunkBuf_.data()), chunkBuf_.size());
}

void StreamReader::append(const uint8_t* data, size_t size) {
  release();
  detachChunk();
  dropConsumed();
  buf_.insert(buf_.end(), data, data + size);
  ownWindow();
}

size_t StreamReader::completion(const uint8_t* data, size_t size) const {
  size_t have = winSize_ - pos_;
  const uint8_t* p = win_ + pos_;
  size_t need = size;  // unknown framing: copy everything, as append() does
  if (state_ == State::Magic || state_ == State::TrailingMagic) {
    need = have >= kMagicSize ? 0 : kMagicSize - have;
  } else if (state_ == State::Records && skipRemaining_ == 0) {
    if (have + size < kRecordPrefix) return size;
    uint8_t prefix[kRecordPrefix];
    for (size_t i = 0; i < kRecordPrefix; ++i) prefix[i] = i < have ? p[i] : data[i - have];
    uint64_t len = readLe64(prefix + 1);
    uint64_t total = len > UINT64_MAX - kRecordPrefix ? UINT64_MAX : kRecordPrefix + len;
    need = total <= have ? 0 : (total - have > size ? size : static_cast<size_t>(total - have));
  }
  return need < size ? need : size;
}

void StreamReader::lendWindow(const uint8_t* data, size_t size) {
  base_ += winSize_;
  buf_.clear();
  pos_ = 0;
  win_ = data;
  winSize_ = size;
  borrowed_ = true;
}

void StreamReader::borrow(const uint8_t* data, size_t size) {
  release();
  detachChunk();
  if (pos_ == winSize_) {
    lendWindow(data, size);
    return;
  }
  // A partial unit is unread in buf_: copy just what completes it and read
  // the rest in place once it is done.
  dropConsumed();
  size_t k = completion(data, size);
  buf_.insert(buf_.end(), data, data + k);
  ownWindow();
  if (k < size) {
    pending_ = data + k;
    pendingSize_ = size - k;
  }
}

void StreamReader::mergePending() {
  detachChunk();
  dropConsumed();
  buf_.insert(buf_.end(), pending_, pending_ + pendingSize_);
  ownWindow();
  pending_ = nullptr;
  pendingSize_ = 0;
}

void StreamReader::release() {
  if (pendingSize_ > 0) mergePending();
  if (borrowed_) {
    detachChunk();
    buf_.assign(win_ + pos_, win_ + winSize_);
    base_ += pos_;
    pos_ = 0;
    ownWindow();
  }
}

void StreamReader::finish() { finished_ = true; }

void StreamReader::seek(uint64_t offset) {
  buf_.clear();
  ownWindow();
  pending_ = nullptr;
  pendingSize_ = 0;
  pos_ = 0;
  base_ = offset;
  inChunk_ = false;
  chunkData_ = {};
  contiguous_ = false;
  summaryCrcValid_ = false;
}

void StreamReader::problem(std::string code, std::string message, uint64_t offset) {
  problems_.push_back(Problem{std::move(code), std::move(message), offset, {}});
}

ReadResult StreamReader::fail(Status s) {
  error_ = std::move(s);
  state_ = State::Failed;
  return ReadResult::Error;
}

void StreamReader::consume(size_t n) {
  if (opts_.checkCrc && inDataSection) dataCrc_ = crc32Update(dataCrc_, win_ + pos_, n);
  pos_ += n;
}

ReadResult StreamReader::nextInChunk(Record& out) {
  while (chunkPos_ < chunkData_.size()) {
    size_t left = chunkData_.size() - chunkPos_;
    const uint8_t* p = reinterpret_cast<const uint8_t*>(chunkData_.data()) + chunkPos_;
    if (left < kRecordPrefix || readLe64(p + 1) > left - kRecordPrefix) {
      if (!truncated_) {
        problem("BAD_CHUNK",
                "chunk" + at(chunkOffset_) + ": record at chunk offset " +
                    std::to_string(chunkPos_) + " runs past the end of the chunk data",
                chunkOffset_);
      }
      break;
    }
    uint8_t opcode = p[0];
    size_t len = static_cast<size_t>(readLe64(p + 1));
    std::string_view content(reinterpret_cast<const char*>(p + kRecordPrefix), len);
    size_t inner = chunkPos_;
    chunkPos_ += kRecordPrefix + len;
    Status st = parseRecordBody(opcode, content, chunkOffset_, out.body);
    if (!st.ok()) {
      problem(st.code, st.message + " (inside chunk, chunk offset " + std::to_string(inner) + ")",
              chunkOffset_);
      continue;
    }
    out.opcode = opcode;
    out.offset = chunkOffset_;
    out.inChunk = true;
    out.chunkOffset = inner;
    ++recordsRead_;
    return ReadResult::Record;
  }
  inChunk_ = false;
  chunkData_ = {};
  return ReadResult::NeedMore;
}

ReadResult StreamReader::openChunk(const Record& rec, Record& out) {
  const Chunk& c = std::get<Chunk>(rec.body);
  chunkOffset_ = rec.offset;
  chunkPos_ = 0;
  if (c.uncompressedSize > opts_.maxChunkUncompressed) {
    problem("BAD_CHUNK",
            "chunk" + at(rec.offset) + ": uncompressed_size " + std::to_string(c.uncompressedSize) +
                " exceeds the " + std::to_string(opts_.maxChunkUncompressed) + " byte limit; skipped",
            rec.offset);
    return ReadResult::NeedMore;
  }
  if (c.compression.empty()) {
    if (c.records.size() != c.uncompressedSize) {
      problem("BAD_CHUNK",
              "chunk" + at(rec.offset) + ": uncompressed chunk holds " +
                  std::to_string(c.records.size()) + " bytes but uncompressed_size says " +
                  std::to_string(c.uncompressedSize),
              rec.offset);
    }
    chunkData_ = c.records;
  } else {
    std::string err = decompressor_.run(c.compression, c.records, c.uncompressedSize, chunkBuf_);
    if (!err.empty()) {
      problem("BAD_CHUNK", "chunk" + at(rec.offset) + ": " + err + "; skipped", rec.offset);
      return ReadResult::NeedMore;
    }
    chunkData_ = std::string_view(reinterpret_cast<const char*>(chunkBuf_.data()), chunkBuf_.size());
  }
  // Spec "Chunk": uncompressed_crc of 0 means not computed.
  if (opts_.checkCrc && c.uncompressedCrc != 0) {
    uint32_t crc = crc32Update(0, reinterpret_cast<const uint8_t*>(chunkData_.data()),
                               chunkData_.size());
    if (crc != c.uncompressedCrc) {
      problem("CRC_MISMATCH",
              "chunk" + at(rec.offset) + ": uncompressed_crc " + std::to_string(c.uncompressedCrc) +
                  " but the data has " + std::to_string(crc) + "; records read anyway",
              rec.offset);
    }
  }
  inChunk_ = true;
  (void)out;
  return ReadResult::NeedMore;
}

void StreamReader::salvageUncompressedChunk(uint64_t offset, std::string_view partial) {
  // A cut inside an uncompressed chunk: its complete inner records are still
  // readable. Fields before `records` are fixed except the compression string.
  ByteReader r(partial);
  r.skip(8 + 8 + 8 + 4);
  std::string_view compression = r.prefixed32();
  r.u64();
  if (!r.ok() || !compression.empty()) return;
  chunkOffset_ = offset;
  chunkPos_ = 0;
  chunkData_ = partial.substr(r.pos());
  inChunk_ = true;
}

ReadResult StreamReader::next(Record& out) {
  for (;;) {
    if (inChunk_) {
      if (nextInChunk(out) == ReadResult::Record) return ReadResult::Record;
    }
    if (pendingSize_ > 0 && pos_ == winSize_) {
      // The record begun in buf_ is read: go on in the lent bytes.
      lendWindow(pending_, pendingSize_);
      pending_ = nullptr;
      pendingSize_ = 0;
    }
    size_t avail = winSize_ - pos_;
    const uint8_t* p = win_ + pos_;
    uint64_t offset = base_ + pos_;
    switch (state_) {
      case State::Failed:
        return ReadResult::Error;
      case State::Done:
        if (avail > 0 && !inChunk_) {
          if (!trailingReported_) {
            problem("TRAILING_DATA", "ignored " + std::to_string(avail) + "+ bytes after the trailing magic" + at(offset), offset);
            trailingReported_ = true;
          }
          pos_ = winSize_;
        }
        return ReadResult::End;
      case State::Magic: {
        size_t n = avail < kMagicSize ? avail : kMagicSize;
        if (n > 0 && std::memcmp(p, kMagic, n) != 0) {
          return fail(Status::Error("BAD_MAGIC", "not an MCAP file: bad magic at offset 0", 0));
        }
        if (avail < kMagicSize) {
          if (!finished_) {
          if (pendingSize_ > 0) { mergePending(); continue; }  // (framing this reader did not foresee)
          return ReadResult::NeedMore;
        }
          return fail(Status::Error("BAD_MAGIC",
                                    "not an MCAP file: " + std::to_string(avail) +
                                        " bytes, shorter than the 8-byte magic",
                                    0));
        }
        consume(kMagicSize);
        state_ = State::Records;
        continue;
      }
      case State::TrailingMagic: {
        if (avail < kMagicSize) {
          if (!finished_) {
          if (pendingSize_ > 0) { mergePending(); continue; }  // (framing this reader did not foresee)
          return ReadResult::NeedMore;
        }
          truncated_ = true;
          problem("TRUNCATED", "file ends" + at(offset) + " inside the trailing magic", offset);
          pos_ = winSize_;
          state_ = State::Done;
          continue;
        }
        if (std::memcmp(p, kMagic, kMagicSize) != 0) {
          problem("BAD_MAGIC", "bad trailing magic" + at(offset), offset);
        }
        pos_ += kMagicSize;
        state_ = State::Done;
        continue;
      }
      case State::Records:
        break;
    }

    if (skipRemaining_ > 0) {
      size_t n = static_cast<size_t>(avail < skipRemaining_ ? avail : skipRemaining_);
      consume(n);
      skipRemaining_ -= n;
      if (skipRemaining_ > 0) {
        if (!finished_) {
          if (pendingSize_ > 0) { mergePending(); continue; }  // (framing this reader did not foresee)
          return ReadResult::NeedMore;
        }
        truncated_ = true;
        problem("TRUNCATED",
                std::string("file ends") + at(base_ + pos_) + " inside a " + opcodeName(skipOpcode_) +
                    " record that starts" + at(skipOffset_),
                skipOffset_);
        state_ = State::Done;
      }
      continue;
    }
    if (avail < kRecordPrefix) {
      if (!finished_) {
          if (pendingSize_ > 0) { mergePending(); continue; }  // (framing this reader did not foresee)
          return ReadResult::NeedMore;
        }
      truncated_ = true;
      problem("TRUNCATED",
              avail == 0 ? "file ends" + at(offset) + " without a Footer record"
                         : "file ends" + at(offset) + " inside a record header",
              offset);
      pos_ = winSize_;
      state_ = State::Done;
      continue;
    }
    uint8_t opcode = p[0];
    uint64_t len = readLe64(p + 1);
    if (len > opts_.maxRecordBuffered && len > avail - kRecordPrefix) {
      // Too big to hold in memory (or a damaged length): pass its bytes by as
      // they arrive. Framing resumes after it if the file is long enough.
      problem("SKIPPED_RECORD",
              std::string(opcodeName(opcode)) + " record" + at(offset) + " of " + std::to_string(len) +
                  " bytes exceeds the " + std::to_string(opts_.maxRecordBuffered) + " byte buffer limit; skipped",
              offset);
      if (opcode == static_cast<uint8_t>(Opcode::DataEnd)) inDataSection = false;
      consume(kRecordPrefix);
      skipRemaining_ = len;
      skipOffset_ = offset;
      skipOpcode_ = opcode;
      continue;
    }
    if (len > avail - kRecordPrefix) {
      if (!finished_) {
          if (pendingSize_ > 0) { mergePending(); continue; }  // (framing this reader did not foresee)
          return ReadResult::NeedMore;
        }
      truncated_ = true;
      problem("TRUNCATED",
              std::string("file ends") + at(base_ + winSize_) + " inside a " +
                  opcodeName(opcode) + " record that starts" + at(offset) + " and needs " +
                  std::to_string(len) + " content bytes; only " +
                  std::to_string(avail - kRecordPrefix) + " are present",
              offset);
      pos_ = winSize_;  // the partial record stays in the window
      state_ = State::Done;
      if (opcode == static_cast<uint8_t>(Opcode::Chunk)) {
        salvageUncompressedChunk(offset, std::string_view(reinterpret_cast<const char*>(p + kRecordPrefix),
                                                          avail - kRecordPrefix));
      }
      continue;
    }
    size_t total = kRecordPrefix + static_cast<size_t>(len);
    std::string_view content(reinterpret_cast<const char*>(p + kRecordPrefix), static_cast<size_t>(len));

    if (opcode == static_cast<uint8_t>(Opcode::DataEnd)) inDataSection = false;
    if (summaryCrcValid_ && opts_.checkCrc) {
      // Spec "Footer": summary_crc covers the summary section and the footer
      // up to (excluding) the summary_crc field itself.
      size_t n = opcode == static_cast<uint8_t>(Opcode::Footer) && len >= 20 ? kRecordPrefix + 16 : total;
      summaryCrc_ = crc32Update(summaryCrc_, p, n);
    }
    consume(total);

    Status st = parseRecordBody(opcode, content, offset, out.body);
    if (!st.ok()) {
      problem(st.code, st.message, offset);
      continue;
    }
    out.opcode = opcode;
    out.offset = offset;
    out.inChunk = false;
    out.chunkOffset = 0;

    switch (static_cast<Opcode>(opcode)) {
      case Opcode::Chunk:
        openChunk(out, out);
        ++recordsRead_;
        if (opts_.yieldChunks) return ReadResult::Record;
        continue;
      case Opcode::MessageIndex:
        ++recordsRead_;
        if (!opts_.yieldMessageIndexes) continue;
        return ReadResult::Record;
      case Opcode::DataEnd: {
        uint32_t expected = std::get<DataEnd>(out.body).dataSectionCrc;
        // Spec "DataEnd": CRC of everything before this record, magic included; 0 = absent.
        if (opts_.checkCrc && contiguous_ && expected != 0 && expected != dataCrc_) {
          problem("CRC_MISMATCH",
                  "data section CRC " + std::to_string(expected) + " but the data has " +
                      std::to_string(dataCrc_) + " (DataEnd" + at(offset) + ")",
                  offset);
        }
        summaryCrcValid_ = contiguous_;
        summaryCrcStart_ = offset + total;
        summaryCrc_ = 0;
        break;
      }
      case Opcode::Footer: {
        const Footer& f = std::get<Footer>(out.body);
        if (opts_.checkCrc && summaryCrcValid_ && f.summaryCrc != 0 && f.summaryStart != 0 &&
            f.summaryStart == summaryCrcStart_ && summaryCrc_ != f.summaryCrc) {
          problem("CRC_MISMATCH",
                  "summary CRC " + std::to_string(f.summaryCrc) + " but the summary has " +
                      std::to_string(summaryCrc_) + " (Footer" + at(offset) + ")",
                  offset);
        }
        summaryCrcValid_ = false;
        state_ = State::TrailingMagic;
        break;
      }
      case Opcode::Attachment: {
        const Attachment& a = std::get<Attachment>(out.body);
        // Spec "Attachment": crc covers log_time .. data; 0 = absent.
        if (opts_.checkCrc && a.crc != 0 && content.size() >= 4) {
          size_t covered = static_cast<size_t>(a.data.data() + a.data.size() - content.data());
          uint32_t crc = crc32Update(0, reinterpret_cast<const uint8_t*>(content.data()), covered);
          if (crc != a.crc) {
            problem("CRC_MISMATCH", "attachment \"" + a.name + "\"" + at(offset) + ": crc " +
                                        std::to_string(a.crc) + " but the data has " + std::to_string(crc),
                    offset);
          }
        }
        break;
      }
      default:
        if (opcode == 0 || opcode > static_cast<uint8_t>(Opcode::DataEnd)) {
          // Spec "Records": unknown opcodes are skipped; 0x80-0xFF are private.
          if (unknownOpcodeReports_++ < 8) {
            problem("UNKNOWN_RECORD",
                    "skipped record with unknown opcode " + std::to_string(opcode) + at(offset), offset);
          }
        }
        break;
    }
    ++recordsRead_;
    return ReadResult::Record;
  }
}

}  // namespace argus::mcap
